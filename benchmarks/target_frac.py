"""What training a share of each segment's targets per step saves (`TrainConfig.target_frac`), side by side in one run:
training steps/s and targets/s of the Beauty recipe's model (causal encoder, item tokens and item embeddings, dropout
as given) at each share, on the same batches, alternating the shares round by round so that a drifting machine hits
them alike. The encoder still reads every history; only the decoder's work shrinks. Speed only: what a share costs
in accuracy takes a full training run.

    .venv/bin/python benchmarks/target_frac.py --ids runs/train/beauty/semids/ids.json

Writes benchmarks/results/target_frac.json.
"""
import argparse, shlex, statistics, sys
from _data import data_args, bf16_arg, bf16_of

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    data_args(p)
    p.add_argument('--fracs', default='1,0.5,0.25', help='shares of the targets, comma-separated; the first is the reference')
    p.add_argument('--batch-size', type=int, default=64, help="users' segments a step (the recipe's)")
    p.add_argument('--steps', type=int, default=30, help='timed steps per round and share')
    p.add_argument('--rounds', type=int, default=2); p.add_argument('--warmup-steps', type=int, default=3)
    p.add_argument('--dropout', type=float, default=0.2)
    bf16_arg(p)
    p.add_argument('--out', default='benchmarks/results/target_frac.json')
    a = p.parse_args(argv)
    import torch
    from tigress.train import epoch_batches, user_segments
    from tigress.cli import machine_info, write_json
    from _data import split_and_ids
    from causal_training import measure
    from train_speed import build
    from precision import alternate
    a.bf16 = bf16_of(a)
    fracs = [float(f) for f in a.fracs.split(',')]
    ds,sp,ids = split_and_ids(a.data, a.ids, a.rqvae_epochs)
    seg = user_segments(sp)
    batches = epoch_batches(seg, a.batch_size, 64, 0, 0)
    per = a.warmup_steps + a.steps
    if a.rounds * per > len(batches): raise SystemExit(f"{a.rounds} rounds of {per} steps need {a.rounds * per} batches; {a.data} has {len(batches)} at batch {a.batch_size}")
    run = lambda f, r: measure(*build(ids, a.dropout, False), seg, batches[r * per:], a.steps, a.warmup_steps, a.bf16, f)  # build seeds torch: 0
    rounds = alternate(fracs, a.rounds, run)
    res = [dict(target_frac=f, steps_per_s=statistics.median(x['steps_per_s'] for x in rounds[f]), targets_per_s=statistics.median(x['targets_per_s'] for x in rounds[f]),
                targets_per_step=statistics.mean(x['targets_per_step'] for x in rounds[f]), rounds=[x['steps_per_s'] for x in rounds[f]]) for f in fracs]
    for r in res: r['steps_per_s_vs_reference'] = r['steps_per_s'] / res[0]['steps_per_s']
    print('median steps/s: ' + ', '.join(f"share {r['target_frac']:g}: {r['steps_per_s']:.2f} ({r['steps_per_s_vs_reference']:.2f}x), {r['targets_per_step']:.0f} targets a step" for r in res))
    args = sys.argv[1:] if argv is None else argv
    write_json(a.out, dict(dataset=a.data, batch_size=a.batch_size, dropout=a.dropout, precision='bf16 autocast' if a.bf16 else 'fp32', steps_per_round=a.steps,
                           encoder_items_per_step=statistics.mean(x['encoder_tokens_per_step'] for x in rounds[fracs[0]]), results=res,
                           threads=torch.get_num_threads(), command=shlex.join(['.venv/bin/python', 'benchmarks/target_frac.py', *args]), machine=machine_info()))
    print(f"wrote {a.out}")

if __name__ == '__main__': main()
