"""TIGER speed side by side with cornac 3.0.1's TIGER on Beauty, in one run: training examples/s at the paper's size
and batch 256, test users/s for generation at beam 20 (K = 10), peak memory, and the training FLOP/s we reach against
a plain matmul's on the same machine.

    .venv/bin/python benchmarks/speed_vs_cornac.py --cornac-python ../cornac-venv/bin/python

Each side runs in its own process (so peak memory is its own); cornac runs through the peer driver in
`../shared/peers/` (its README sets up the venv). Writes benchmarks/results/speed_vs_cornac.json.
Without `--cornac-python`, only our side is measured (and no ratio is written).
"""
import argparse, json, os, resource, shlex, subprocess, sys, tempfile, time
from pathlib import Path
from _data import data_args, bf16_arg, bf16_of

ROOT = Path(__file__).resolve().parents[1]

def peak_mb() -> float: return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def matmul_flops(dtype, n:int=2048, reps:int=5) -> float:
    "FLOP/s of a plain n x n x n matmul (the machine's practical peak)."
    import torch
    a,b = torch.randn(n, n, dtype=dtype),torch.randn(n, n, dtype=dtype)
    a @ b
    t = time.perf_counter()
    for _ in range(reps): a @ b
    return 2 * n ** 3 * reps / (time.perf_counter() - t)

def ours(a) -> dict:
    "Our side, in this process: train `a.steps` steps and generate for `a.users` test users."
    import numpy as np, torch
    from torch.utils.flop_counter import FlopCounterMode
    from tigress.data.split import Examples
    from tigress.decoder import TIGER, TIGERConfig, Recommender
    from tigress.train import epoch_batches, train_step, adamw
    from tigress.metrics import evaluate
    from _data import split_and_ids
    ds,sp,ids = split_and_ids(a.data, a.ids, a.rqvae_epochs)
    torch.manual_seed(0)
    model = TIGER(TIGERConfig(code_sizes=ids.sizes, dropout=a.dropout))
    if a.model: model.load_state_dict(torch.load(a.model, weights_only=False)['model'])
    rec = Recommender(model, ids, a.beam, bf16=a.bf16)
    opt = adamw(model.parameters(), 1e-3)  # as training: fused
    batches = epoch_batches(sp.train, a.batch_size, 64, 0, 0)
    step = lambda i: train_step(model, rec, sp.train, batches[i], opt, a.bf16, clip=None)[1]  # training's step; no clipping, as cornac's
    model.train()
    for i in range(a.warmup_steps): step(i)  # allocator and thread pools warm
    t,n = time.perf_counter(),0
    for i in range(a.warmup_steps, a.warmup_steps + a.steps): n += step(i)
    train_s = time.perf_counter() - t
    with FlopCounterMode(display=False) as fc: step(a.warmup_steps + a.steps)  # forward + backward FLOPs of one average-size batch
    flops = fc.get_total_flops()
    users = np.random.default_rng(0).choice(len(sp.test), min(a.users, len(sp.test)), replace=False)
    ex = Examples(sp.test.users[users], sp.test.histories[users], sp.test.targets[users])
    t = time.perf_counter()
    m = evaluate(rec, ex, ds.n_items, (5, 10), batch_size=512, progress=False)
    gen_s = time.perf_counter() - t
    peak = {torch.float32: matmul_flops(torch.float32), torch.bfloat16: matmul_flops(torch.bfloat16)}
    achieved = flops * a.steps / train_s
    return dict(train_examples_per_s=n / train_s, train_steps_per_s=a.steps / train_s, steps=a.steps, batch_size=a.batch_size,
                precision='bf16 autocast' if a.bf16 else 'fp32', dropout=a.dropout, train_flops_per_step=flops,
                train_flop_per_s=achieved, matmul_flop_per_s={'fp32': peak[torch.float32], 'bf16': peak[torch.bfloat16]},
                share_of_matmul_peak=achieved / peak[torch.bfloat16 if a.bf16 else torch.float32],
                generate_users_per_s=len(ex) / gen_s, generate_users=len(ex), beam=a.beam, k=10,
                metrics_of_model=m, trained_model=a.model, parameters=sum(p.numel() for p in model.parameters()),
                threads=torch.get_num_threads(), peak_rss_mb=peak_mb())

def cornac(a) -> dict:
    "cornac's TIGER through the peer driver, in its own venv and process."
    with tempfile.TemporaryDirectory() as d:
        out = Path(d)/'cornac.json'
        cache = ROOT/'runs'/'peer-cornac'/'beauty_minilm.npy'; cache.parent.mkdir(parents=True, exist_ok=True)  # its text vectors, kept between runs
        cmd = [a.cornac_python, str(a.peer), '--max-steps', str(a.cornac_steps), '--eval-users', str(a.cornac_users),
               '--rqvae-epochs', str(a.cornac_rqvae_epochs), '--emb-cache', str(cache), '--out', str(out)]
        print('$', ' '.join(map(shlex.quote, cmd)), flush=True)
        r = subprocess.run(cmd, env={**os.environ, 'HF_HUB_OFFLINE': '1'}, text=True, capture_output=True)
        if r.returncode: raise RuntimeError(f"cornac run failed ({r.returncode}):\n{r.stderr[-3000:]}")
        s = json.loads(out.read_text())
    tr,ev = s['seq2seq_train'],s['eval']
    return dict(train_examples_per_s=tr['examples_per_s'], train_steps_per_s=tr['steps_per_s'], steps=tr['steps'],
                batch_size=s['config']['batch_size'], generate_users_per_s=ev['users_per_s'], generate_users=ev['users'],
                beam=ev['n_beams'], peak_rss_mb=s['peak_rss_mb'], parameters=tr['seq2seq_params'], config=s['config'],
                command=' '.join(map(shlex.quote, cmd)))

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    data_args(p)
    p.add_argument('--model', help='a trained best.pt to generate with (default: untrained weights; speed does not depend on them)')
    p.add_argument('--steps', type=int, default=60); p.add_argument('--warmup-steps', type=int, default=5)
    p.add_argument('--batch-size', type=int, default=256); p.add_argument('--beam', type=int, default=20)
    p.add_argument('--users', type=int, default=2048); p.add_argument('--dropout', type=float, default=0.1)
    bf16_arg(p)
    p.add_argument('--cornac-python', help="python of a venv with cornac 3.0.1 (see ../shared/peers/README.md)")
    p.add_argument('--peer', default=str(ROOT.parent/'shared'/'peers'/'cornac_tiger_beauty.py'))
    p.add_argument('--cornac-steps', type=int, default=20); p.add_argument('--cornac-users', type=int, default=200)
    p.add_argument('--cornac-rqvae-epochs', type=int, default=5, help='its RQ-VAE is not what is timed here')
    p.add_argument('--out', default='benchmarks/results/speed_vs_cornac.json')
    p.add_argument('--worker', action='store_true', help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    a.bf16 = bf16_of(a)
    if a.worker: print('RESULT ' + json.dumps(ours(a))); return
    args = sys.argv[1:] if argv is None else argv
    r = subprocess.run([sys.executable, __file__, '--worker', *args], text=True, capture_output=True)
    if r.returncode: raise SystemExit(f"our run failed:\n{r.stderr[-3000:]}")
    o = json.loads(next(l for l in r.stdout.splitlines() if l.startswith('RESULT '))[7:])
    print(f"ours:   {o['train_examples_per_s']:.1f} training examples/s ({o['precision']}), {o['generate_users_per_s']:.1f} users/s at beam {a.beam}, "
          f"peak {o['peak_rss_mb']:.0f} MB")
    print(f"        training at {o['train_flop_per_s'] / 1e9:.1f} GFLOP/s = {o['share_of_matmul_peak']:.1%} of a plain matmul's "
          f"{o['matmul_flop_per_s']['bf16' if a.bf16 else 'fp32'] / 1e9:.0f} GFLOP/s")
    res = dict(dataset=a.data, ours=o)
    if a.cornac_python:
        c = cornac(a)
        print(f"cornac: {c['train_examples_per_s']:.1f} training examples/s, {c['generate_users_per_s']:.1f} users/s at beam {c['beam']}, "
              f"peak {c['peak_rss_mb']:.0f} MB")
        res['cornac'] = c
        res['ratio'] = dict(train=o['train_examples_per_s'] / c['train_examples_per_s'], generate=o['generate_users_per_s'] / c['generate_users_per_s'],
                            memory=o['peak_rss_mb'] / c['peak_rss_mb'])
        print(f"ratio:  training {res['ratio']['train']:.1f}x, generation {res['ratio']['generate']:.1f}x, peak memory {res['ratio']['memory']:.2f}x of cornac's")
    from tigress.cli import machine_info, write_json
    res.update(command='.venv/bin/python benchmarks/speed_vs_cornac.py ' + ' '.join(map(shlex.quote, args)), machine=machine_info())
    write_json(a.out, res); print(f"wrote {a.out}")

if __name__ == '__main__': main()
