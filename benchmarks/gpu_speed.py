"""TIGER on a CUDA GPU against the same machine's CPU, side by side in one run, on Beauty: training examples/s at
the paper's size and batch 256 (bf16 autocast on both), test users/s for generation at beam 20 (K = 10) with the
Triton jagged cross-attention and with the padded torch path, and peak memory.

    .venv/bin/python benchmarks/gpu_speed.py --ids runs/train/beauty_wd02/semids/ids.json

Writes benchmarks/results/gpu_speed.json. Needs a CUDA GPU (the CPU side is the reference, measured in the same
process with fewer steps). The generated lists of the two GPU paths and the CPU are compared too (same weights).
"""
import argparse, resource, shlex, sys, time
import numpy as np

def sync(dev):
    import torch
    if dev.type == 'cuda': torch.cuda.synchronize(dev)

def train_rate(model, rec, sp, dev, batch:int, steps:int, warmup:int) -> dict:
    "Training examples/s over `steps` timed steps (after `warmup` untimed ones), bf16 autocast."
    from tigress.train import epoch_batches, train_step, adamw
    opt = adamw(model.parameters(), 1e-3, dev)  # as training: fused
    batches = epoch_batches(sp.train, batch, 64, 0, 0)
    step = lambda i: train_step(model, rec, sp.train, batches[i], opt, bf16=True, clip=None)[1]  # training's step, without clipping as first measured
    model.train()
    for i in range(warmup): step(i)
    sync(dev); t,n = time.perf_counter(),0
    for i in range(warmup, warmup + steps): n += step(i)
    sync(dev); s = time.perf_counter() - t
    return dict(examples_per_s=n / s, steps_per_s=steps / s, steps=steps, batch_size=batch)

def generate(rec, ex, n_items:int, dev, exclude_seen:bool|None=None) -> tuple:
    "Users/s for the beam search over `ex` (`exclude_seen` as in `tigress.metrics.evaluate`), and the top-10 lists."
    from tigress.metrics import evaluate
    got = {}
    class Keep:  # records the lists `evaluate` ranks, to compare the paths
        def recommend(self, h, u, k, exclude=None):
            r = rec.recommend(h, u, k, exclude); got.setdefault('lists', []).append(r); return r
    rec.recommend(ex.histories[np.arange(8)], ex.users[:8], 10)  # warm (kernels compiled)
    sync(dev); t = time.perf_counter()
    m = evaluate(Keep(), ex, n_items, (5, 10), batch_size=512, progress=False, exclude_seen=exclude_seen)
    sync(dev); s = time.perf_counter() - t
    return dict(users_per_s=len(ex) / s, users=len(ex), metrics=m),np.concatenate(got['lists'])

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--data', default='beauty'); p.add_argument('--ids', required=True, help='semantic IDs JSON of the dataset')
    p.add_argument('--steps', type=int, default=200); p.add_argument('--cpu-steps', type=int, default=10)
    p.add_argument('--batch-size', type=int, default=256); p.add_argument('--users', type=int, default=4096)
    p.add_argument('--cpu-users', type=int, default=512); p.add_argument('--beam', type=int, default=20)
    p.add_argument('--out', default='benchmarks/results/gpu_speed.json')
    p.add_argument('--smoke', action='store_true', help="the 'GPU' side on the CPU too: a dry run of this script (figures meaningless)")
    a = p.parse_args(argv)
    import torch
    if not torch.cuda.is_available() and not a.smoke: sys.exit("gpu_speed.py needs a CUDA GPU")
    from tigress.data.loaders import load_dataset
    from tigress.data.split import leave_last_out, Examples
    from tigress.semids import SemanticIDs
    from tigress.decoder import TIGER, TIGERConfig, Recommender
    from tigress.cli import machine_info, write_json
    ds = load_dataset(a.data); sp = leave_last_out(ds); ids = SemanticIDs.load(a.ids)
    users = np.random.default_rng(0).choice(len(sp.test), min(a.users, len(sp.test)), replace=False)
    ex = Examples(sp.test.users[users], sp.test.histories[users], sp.test.targets[users])
    small = ex.subset(np.arange(min(a.cpu_users, len(ex))))
    res = {}
    for name in ('cuda', 'cpu'):
        dev = torch.device('cpu' if a.smoke else name)
        torch.manual_seed(0)
        model = TIGER(TIGERConfig(code_sizes=ids.sizes, dropout=0.1)).to(dev)  # the paper's size
        if dev.type == 'cuda': torch.cuda.reset_peak_memory_stats(dev)
        tr = train_rate(model, Recommender(model, ids, a.beam), sp, dev, a.batch_size, a.steps if name == 'cuda' else a.cpu_steps, 5 if name == 'cuda' else 2)
        torch.manual_seed(1); model = TIGER(TIGERConfig(code_sizes=ids.sizes, dropout=0.1)).to(dev).eval()  # fresh weights, the same on both
        r = dict(train=tr)
        if name == 'cuda':
            r['generate_triton'],lists_t = generate(Recommender(model, ids, a.beam, jagged=True), ex, ds.n_items, dev)
            r['generate_padded'],lists_p = generate(Recommender(model, ids, a.beam, jagged=False), ex, ds.n_items, dev)
            if dev.type == 'cuda': r.update(peak_gpu_mb=torch.cuda.max_memory_allocated(dev) / 2 ** 20, gpu=torch.cuda.get_device_name(dev))
        else:
            r['generate_padded'],lists_c = generate(Recommender(model, ids, a.beam), small, ds.n_items, dev)
            r['threads'] = torch.get_num_threads()
        res[name] = r
        print(name, r, flush=True)
    same = lambda x, y: float(np.mean([len(set(a) & set(b)) / len(a) for a,b in zip(x, y)]))
    n = len(lists_c)
    agree = dict(triton_vs_padded_gpu=same(lists_t, lists_p), triton_gpu_vs_cpu=same(lists_t[:n], lists_c),
                 identical_lists_triton_vs_padded=float(np.mean([list(x) == list(y) for x,y in zip(lists_t, lists_p)])))
    ratio = dict(train=res['cuda']['train']['examples_per_s'] / res['cpu']['train']['examples_per_s'],
                 generate=res['cuda']['generate_triton']['users_per_s'] / res['cpu']['generate_padded']['users_per_s'],
                 generate_triton_vs_padded=res['cuda']['generate_triton']['users_per_s'] / res['cuda']['generate_padded']['users_per_s'])
    print(f"GPU vs this machine's CPU ({res['cpu']['threads']} threads): training {ratio['train']:.1f}x "
          f"({res['cuda']['train']['examples_per_s']:,.0f} vs {res['cpu']['train']['examples_per_s']:,.0f} examples/s), generation "
          f"{ratio['generate']:.1f}x ({res['cuda']['generate_triton']['users_per_s']:,.0f} vs {res['cpu']['generate_padded']['users_per_s']:,.0f} users/s); "
          f"Triton jagged vs padded cross-attention on the GPU: {ratio['generate_triton_vs_padded']:.2f}x; top-10 overlap {agree}")
    write_json(a.out, dict(dataset=ds.name, model='TIGER, paper size (4+4 layers, 6 heads of 64, d_model 128, MLP 1024)', precision='bf16 autocast (training), fp32 (generation)',
                           ratio=ratio, agreement=agree, results=res, peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                           command='.venv/bin/python benchmarks/gpu_speed.py ' + ' '.join(map(shlex.quote, sys.argv[1:] if argv is None else argv)),
                           machine=machine_info()))
    print(f"wrote {a.out}")

if __name__ == '__main__': main()
