"""bf16 autocast against fp32 on this CPU, side by side in one run: training steps/s of the Beauty recipe's model
(causal encoder, item tokens and item embeddings, dropout as given) on the same batches, alternating the two
precisions round by round so that a drifting machine hits both alike, and a plain matmul's FLOP/s in each dtype.
It is the evidence behind `tigress.train.native_bf16`, which turns bf16 autocast on by default only where the CPU
computes bf16 natively (AVX512-BF16 or AMX): elsewhere it is emulated, and far slower than fp32.

    .venv/bin/python benchmarks/precision.py --ids runs/train/beauty/semids/ids.json

Writes benchmarks/results/precision.json.
"""
import argparse, shlex, statistics, sys
from _data import data_args

def alternate(names:list, rounds:int, run) -> dict:
    "`run(name, round)` (a `causal_training.measure` result) for each name in turn, round after round: name -> list of results."
    out = {n: [] for n in names}
    for r in range(rounds):
        for n in names:
            out[n].append(res := run(n, r))
            print(f"round {r + 1}, {n}: {res['steps_per_s']:.3f} steps/s, {res['targets_per_s']:.0f} targets/s", flush=True)
    return out

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    data_args(p)
    p.add_argument('--batch-size', type=int, default=64, help="users' segments a step (the recipe's)")
    p.add_argument('--steps', type=int, default=12, help='timed steps per round and precision')
    p.add_argument('--rounds', type=int, default=2, help='rounds, each timing fp32 then bf16 on the same batches')
    p.add_argument('--warmup-steps', type=int, default=2, help='untimed steps before each timing')
    p.add_argument('--dropout', type=float, default=0.2)
    p.add_argument('--out', default='benchmarks/results/precision.json')
    a = p.parse_args(argv)
    import torch
    from tigress.train import epoch_batches, user_segments, native_bf16
    from tigress.embedding.text import cpu_has_bf16
    from tigress.cli import machine_info, write_json
    from _data import split_and_ids
    from causal_training import measure
    from train_speed import build
    from speed_vs_cornac import matmul_flops
    ds,sp,ids = split_and_ids(a.data, a.ids, a.rqvae_epochs)
    seg = user_segments(sp)
    batches = epoch_batches(seg, a.batch_size, 64, 0, 0)
    per = a.warmup_steps + a.steps
    if a.rounds * per > len(batches): raise SystemExit(f"{a.rounds} rounds of {per} steps need {a.rounds * per} batches; {a.data} has {len(batches)} at batch {a.batch_size}")
    rounds = alternate(['fp32', 'bf16'], a.rounds, lambda name, r: measure(*build(ids, a.dropout, False), seg, batches[r * per:], a.steps,
                                                                          a.warmup_steps, name == 'bf16'))  # the same weights each time: seed 0
    rounds = {k: [x['steps_per_s'] for x in v] for k,v in rounds.items()}
    med = {k: statistics.median(v) for k,v in rounds.items()}
    mm = {k: matmul_flops(dt, n=1024, reps=3) for k,dt in (('fp32', torch.float32), ('bf16', torch.bfloat16))}  # n 1024: emulated bf16 takes minutes at 2048
    ratio = med['bf16'] / med['fp32']
    print(f"median steps/s: fp32 {med['fp32']:.3f}, bf16 autocast {med['bf16']:.3f} ({ratio:.2f}x fp32); "
          f"matmul {mm['fp32'] / 1e9:.1f} GFLOP/s fp32, {mm['bf16'] / 1e9:.1f} GFLOP/s bf16; "
          f"native bf16: {cpu_has_bf16()}, so training defaults to {'bf16 autocast' if native_bf16('cpu') else 'fp32'}")
    args = sys.argv[1:] if argv is None else argv
    write_json(a.out, dict(dataset=a.data, batch_size=a.batch_size, dropout=a.dropout, steps_per_round=a.steps, rounds=rounds,
                           median_steps_per_s=med, bf16_vs_fp32=ratio, matmul_flop_per_s=mm, cpu_has_bf16=cpu_has_bf16(),
                           default_precision='bf16 autocast' if native_bf16('cpu') else 'fp32', threads=torch.get_num_threads(),
                           command=shlex.join(['.venv/bin/python', 'benchmarks/precision.py', *args]), machine=machine_info()))
    print(f"wrote {a.out}")

if __name__ == '__main__': main()
