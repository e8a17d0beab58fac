"""A trained recency model (`TIGERConfig.recency`) evaluated on a CUDA GPU through both cross-attention paths, the
Triton jagged kernel with the recency biases (`jagged_attention`'s `bias`) and the padded torch path, side by side in
one run: test and validation Recall/NDCG at the run's beam on every user, users/s, and how often the two paths' top-10
lists agree. The run's own figures, computed on the CPU when it was trained, are the reference.

    .venv/bin/python benchmarks/gpu_recency.py --run runs/train/beauty_recency --json benchmarks/results/tiger_beauty_recency.json

Writes benchmarks/results/gpu_recency.json. Needs a CUDA GPU (`--smoke`: a dry run on the CPU, a few users).
"""
import argparse, shlex, sys
import numpy as np

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--run', required=True, help='a `tigress train --out` folder trained with --recency')
    p.add_argument('--json', required=True, help="that run's result file (its --json)")
    p.add_argument('--out', default='benchmarks/results/gpu_recency.json')
    p.add_argument('--smoke', action='store_true', help='on the CPU, 64 users per split: a dry run of this script (figures meaningless)')
    a = p.parse_args(argv)
    import torch
    if not torch.cuda.is_available() and not a.smoke: sys.exit("gpu_recency.py needs a CUDA GPU")
    from tigress.cli import load_run, machine_info, write_json
    from tigress.data.loaders import load_dataset
    from tigress.data.split import leave_last_out
    from tigress.decoder import Recommender
    from tigress.metrics import seen_policy
    from gpu_speed import generate  # timed beam search that keeps the lists (this folder's GPU benchmark)
    dev = torch.device('cpu' if a.smoke else 'cuda')
    model,ids,r = load_run(a.run, a.json, dev)
    if not model.cfg.recency: sys.exit(f"{a.run}: not a recency run (its model has recency=False)")
    beam,ds = r['config']['train']['beam'],load_dataset(r['dataset'])
    sp = leave_last_out(ds, model.cfg.max_items)
    excl = seen_policy(sp.valid)
    res,lists = {},{}
    for path,jagged in (('triton_jagged', True), ('padded', False)):
        rec = Recommender(model, ids, beam, jagged=jagged)
        res[path] = {}
        for split in ('valid', 'test'):
            ex = getattr(sp, split)
            if a.smoke: ex = ex.subset(np.arange(64))
            res[path][split],got = generate(rec, ex, ds.n_items, dev, exclude_seen=excl)
            lists.setdefault(path, []).append(got)
        print(path, res[path], flush=True)
    t,p_ = np.concatenate(lists['triton_jagged']),np.concatenate(lists['padded'])
    agree = dict(top10_overlap=float(np.mean([len(set(x) & set(y)) / len(x) for x,y in zip(t, p_)])),
                 identical_lists=float(np.mean([list(x) == list(y) for x,y in zip(t, p_)])))
    cpu = {s: r[s] for s in ('valid', 'test')}
    diff = max(abs(res['triton_jagged'][s]['metrics'][k] - cpu[s][k]) for s in cpu for k in ('Recall@10', 'NDCG@10'))
    print(f"Triton jagged (recency biases) vs padded on the GPU: top-10 overlap {agree['top10_overlap']:.4f}, identical lists "
          f"{agree['identical_lists']:.4f}; test users/s {res['triton_jagged']['test']['users_per_s']:,.0f} vs {res['padded']['test']['users_per_s']:,.0f}; "
          f"largest Recall/NDCG@10 difference from the run's CPU figures {diff:.4f}")
    write_json(a.out, dict(dataset=ds.name, run=a.run, beam=beam, gpu=torch.cuda.get_device_name() if dev.type == 'cuda' else 'none (CPU smoke run)',
                           results=res, cpu_reference=cpu, agreement=agree, max_abs_diff_vs_cpu=diff,
                           command='.venv/bin/python benchmarks/gpu_recency.py ' + ' '.join(map(shlex.quote, sys.argv[1:] if argv is None else argv)),
                           machine=machine_info()))
    print(f"wrote {a.out}")

if __name__ == '__main__': main()
