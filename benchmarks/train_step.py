"""The Beauty recipe's training step as `tigress.train.train` takes it (torch's deterministic algorithms, bf16 autocast
where the CPU has it natively, gradient clipping), against the same step without each of four changes, side by side
in one run on the same batches, round by round so that a drifting machine hits every variant alike:

- `loop`: torch's per-parameter AdamW loop instead of the fused kernel (`tigress.train.adamw`);
- `index`: the recency bias's gradient by the indexing backward instead of `bincount` (`tigress.decoder.lookup`);
- `nan-fill`: torch's deterministic mode filling every new tensor with NaN (`tigress.rqvae.deterministic` turns it off);
- `dropout`: torch's `F.dropout` (a 32-bit draw per element) instead of one random byte per element (`tigress.decoder.dropout`);
- `before`: all four at once, the step as it was; `now`: none.

    .venv/bin/python benchmarks/train_step.py

Writes benchmarks/results/train_step.json.
"""
import argparse, shlex, statistics, sys
from _data import data_args, bf16_arg, bf16_of

VARIANTS = {'before': {'loop', 'index', 'nan-fill', 'dropout'}, 'loop': {'loop'}, 'index': {'index'}, 'nan-fill': {'nan-fill'}, 'dropout': {'dropout'}, 'now': set()}

def measure(ids, seg, batches, steps:int, warmup:int, bf16:bool, off:set) -> float:
    "Steps/s of the recipe's training step with the changes in `off` undone."
    import time, torch
    import tigress.decoder as D
    from tigress.train import train_step
    from tigress.rqvae import deterministic
    from _data import recipe_model
    model,rec,opt = recipe_model(ids, fused=False if 'loop' in off else None)  # the same weights each time
    lookup,dropout = D.lookup,D.dropout
    if 'index' in off: D.lookup = lambda table, idx: table[idx]
    if 'dropout' in off: D.dropout = lambda x, p, training=True: torch.nn.functional.dropout(x, p, training)
    step = lambda i: train_step(model, rec, seg, batches[i], opt, bf16)[0].item()  # training's step, clipping at 1 as the recipe does
    model.train()
    try:
        with deterministic(warn_only=True):
            if 'nan-fill' in off: torch.utils.deterministic.fill_uninitialized_memory = True
            for i in range(warmup): step(i)
            t = time.perf_counter()
            for i in range(warmup, warmup + steps): step(i)
            return steps / (time.perf_counter() - t)
    finally: D.lookup,D.dropout = lookup,dropout

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    data_args(p); bf16_arg(p)
    p.add_argument('--batch-size', type=int, default=64, help="users' segments a step (the recipe's)")
    p.add_argument('--steps', type=int, default=25, help='timed steps per round and variant')
    p.add_argument('--rounds', type=int, default=5, help='rounds, each timing every variant on the same batches')
    p.add_argument('--warmup-steps', type=int, default=3, help='untimed steps before each timing')
    p.add_argument('--variants', default=','.join(VARIANTS), help=f"comma-separated, of {', '.join(VARIANTS)}")
    p.add_argument('--out', default='benchmarks/results/train_step.json')
    a = p.parse_args(argv)
    names = a.variants.split(',')
    if bad := [n for n in names if n not in VARIANTS]: p.error(f"unknown variant(s) {', '.join(bad)}; choose from {', '.join(VARIANTS)}")
    import torch
    from tigress.train import epoch_batches, user_segments
    from tigress.cli import machine_info, write_json
    from _data import split_and_ids
    bf16 = bf16_of(a)
    ds,sp,ids = split_and_ids(a.data, a.ids, a.rqvae_epochs)
    seg = user_segments(sp)
    batches = epoch_batches(seg, a.batch_size, 64, 0, 0)
    per = a.warmup_steps + a.steps
    if a.rounds * per > len(batches): raise SystemExit(f"{a.rounds} rounds of {per} steps need {a.rounds * per} batches; {a.data} has {len(batches)} at batch {a.batch_size}")
    rounds = {n: [] for n in names}
    for r in range(a.rounds):
        for n in names:
            rounds[n].append(x := measure(ids, seg, batches[r * per:], a.steps, a.warmup_steps, bf16, VARIANTS[n]))
            print(f"round {r + 1}, {n}: {x:.3f} steps/s", flush=True)
    med = {n: statistics.median(v) for n,v in rounds.items()}
    ref = 'now' if 'now' in names else names[-1]
    ratio = {n: statistics.median(f / x for f,x in zip(rounds[ref], rounds[n])) for n in names}  # per round: the drift cancels
    print('median steps/s: ' + ', '.join(f"{n} {med[n]:.3f}" for n in names) + f"; {ref} / each, median over rounds: " +
          ', '.join(f"{n} {ratio[n]:.2f}x" for n in names) + f"; {'bf16 autocast' if bf16 else 'fp32'}")
    write_json(a.out, dict(dataset=a.data, batch_size=a.batch_size, steps_per_round=a.steps, precision='bf16 autocast' if bf16 else 'fp32',
                           variants={n: sorted(VARIANTS[n]) for n in names}, rounds=rounds, median_steps_per_s=med, reference=ref, speedup=ratio,
                           threads=torch.get_num_threads(), command=shlex.join(['.venv/bin/python', 'benchmarks/train_step.py', *(sys.argv[1:] if argv is None else argv)]),
                           machine=machine_info()))
    print(f"wrote {a.out}")

if __name__ == '__main__': main()
