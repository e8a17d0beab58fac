"""Training speed of the Beauty recipe's model on this CPU (causal encoder, one token per item with item embeddings,
bf16 autocast where the CPU computes bf16 natively, else fp32; dropout as given), side by side in one run: eager PyTorch against `torch.compile`d encoder and
decoder blocks, at several batch sizes (users' segments a step). Prints training targets/s, the ratios to eager at
the recipe's batch, the compile time, and where an eager step's time goes (torch.profiler's top operators).

    .venv/bin/python benchmarks/train_speed.py --ids runs/train/beauty_itememb_rq300/semids/ids.json

Writes benchmarks/results/train_speed.json.
"""
import argparse, shlex, sys, time
from _data import data_args, bf16_arg, bf16_of

def build(ids, dropout:float, compiled:bool):
    "The recipe's model (seed 0), its blocks compiled when asked."
    import torch
    from tigress.decoder import TIGER, TIGERConfig, Recommender
    torch.manual_seed(0)
    model = TIGER(TIGERConfig(code_sizes=ids.sizes, dropout=dropout, causal=True, item_tokens=True, n_items=len(ids.codes)))
    model.set_catalogue(ids.codes)
    if compiled:
        for b in [*model.enc, *model.dec]: b.compile(dynamic=True)
    return model,Recommender(model, ids)

def profile(model, rec, data, batches, steps:int, top:int=12, bf16:bool=True) -> list:
    "The `top` operators by self CPU time over `steps` eager training steps (`measure`'s own step), as dicts."
    from torch.profiler import profile as prof, ProfilerActivity
    from causal_training import measure
    with prof(activities=[ProfilerActivity.CPU]) as p: measure(model, rec, data, batches, steps, 0, bf16)
    ev = sorted(p.key_averages(), key=lambda e: e.self_cpu_time_total, reverse=True)
    total = sum(e.self_cpu_time_total for e in ev)
    return [dict(op=e.key, calls=e.count, self_ms_per_step=e.self_cpu_time_total / 1000 / steps, share=e.self_cpu_time_total / total) for e in ev[:top]]

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    data_args(p)
    p.add_argument('--batches', default='32,64,128', help="users' segments a step, comma-separated; the first is the reference")
    p.add_argument('--steps', type=int, default=60, help='timed steps at the reference batch (fewer at larger batches: the same targets)')
    p.add_argument('--warmup-steps', type=int, default=8, help='untimed steps first (compilation happens here)')
    p.add_argument('--dropout', type=float, default=0.2)
    p.add_argument('--compile', action=argparse.BooleanOptionalAction, default=True, help='also time torch.compile')
    p.add_argument('--profile-steps', type=int, default=20)
    bf16_arg(p)
    p.add_argument('--out', default='benchmarks/results/train_speed.json')
    a = p.parse_args(argv)
    a.bf16 = bf16_of(a)
    import torch
    from tigress.train import epoch_batches, user_segments
    from tigress.cli import machine_info, write_json
    from _data import split_and_ids
    from causal_training import measure
    ds,sp,ids = split_and_ids(a.data, a.ids, a.rqvae_epochs)
    seg = user_segments(sp)
    sizes = [int(b) for b in a.batches.split(',')]
    res = []
    for bs in sizes:
        batches = epoch_batches(seg, bs, 64, 0, 0)
        steps = max(4, a.steps * sizes[0] // bs)
        for compiled in ([False, True] if a.compile else [False]):
            model,rec = build(ids, a.dropout, compiled)
            t = time.perf_counter()
            try: r = measure(model, rec, seg, batches, steps, a.warmup_steps, a.bf16)
            except Exception as e:  # torch.compile can fail on a machine (no C++ compiler, an unsupported op): report it, go on
                if not compiled: raise
                print(f"batch {bs:4d} compiled: failed, {type(e).__name__}: {str(e)[:300]}", flush=True)
                res.append(dict(batch_size=bs, compiled=True, error=f"{type(e).__name__}: {str(e)[:1000]}")); continue
            r.update(batch_size=bs, compiled=compiled, seconds_with_warmup=time.perf_counter() - t)
            r['epoch_seconds'] = len(sp.train) / r['targets_per_s']
            res.append(r)
            print(f"batch {bs:4d} {'compiled' if compiled else 'eager   '}: {r['targets_per_s']:.0f} targets/s, {r['steps_per_s']:.2f} steps/s, "
                  f"one epoch in {r['epoch_seconds'] / 60:.2f} min ({r['seconds_with_warmup']:.0f} s with {a.warmup_steps} warm-up steps)", flush=True)
    ref = next(r for r in res if r['batch_size'] == sizes[0] and not r['compiled'])
    ok = [r for r in res if 'error' not in r]
    for r in ok: r['ratio_to_reference'] = r['targets_per_s'] / ref['targets_per_s']
    print('ratios to eager at batch', sizes[0], ':', ', '.join(f"{r['batch_size']}{' compiled' if r['compiled'] else ''} {r['ratio_to_reference']:.2f}x" for r in ok))
    model,rec = build(ids, a.dropout, False)
    top = profile(model, rec, seg, epoch_batches(seg, sizes[0], 64, 0, 0), a.profile_steps, bf16=a.bf16)
    print(f'eager, batch {sizes[0]}: top operators by self CPU time')
    for o in top: print(f"  {o['op']:40s} {o['self_ms_per_step']:7.2f} ms/step {o['share']:6.1%}  ({o['calls']} calls)")
    args = sys.argv[1:] if argv is None else argv
    write_json(a.out, dict(dataset=a.data, targets=len(sp.train), n_segments=len(seg), model='causal, item tokens + item embeddings (the recipe)',
                           precision='bf16 autocast' if a.bf16 else 'fp32', dropout=a.dropout, threads=torch.get_num_threads(), results=res, profile=dict(batch_size=sizes[0], top=top),
                           command='.venv/bin/python benchmarks/train_speed.py ' + ' '.join(map(shlex.quote, args)), machine=machine_info()))
    print(f'wrote {a.out}')

if __name__ == '__main__': main()
