"""Training throughput of one encoder pass per user (causal encoder, `tigress.train.user_segments`) against sliding
windows (the paper's bidirectional encoder, one pass per target), and of the causal encoder reading one token per
item (`item_tokens`, with the per-item embedding), side by side in one run at the paper's model size: training
targets/s, steps/s, and the encoder tokens an epoch costs each way.

    .venv/bin/python benchmarks/causal_training.py --ids runs/train/beauty/semids/ids.json

Writes benchmarks/results/causal_training.json.
"""
import argparse, shlex, sys, time
from _data import data_args, bf16_arg, bf16_of

def measure(model, rec, data, batches, steps:int, warmup:int, bf16:bool, target_frac:float=1.0) -> dict:
    "Training throughput of `model` on `batches` of `data` (segments for a causal encoder, else windows)."
    from tigress.train import train_step, adamw
    opt = adamw(model.parameters(), 1e-3)  # as training: fused
    def step(i):  # training's step without gradient clipping, as these figures were first measured
        _,n,pos = train_step(model, rec, data, batches[i], opt, bf16, clip=None, target_frac=target_frac)
        return n,int(pos)  # the encoder's own positions (one per item with `item_tokens`)
    model.train()
    for i in range(warmup): step(i)
    t,n,tok = time.perf_counter(),0,0
    for i in range(warmup, warmup + steps):
        a,b = step(i); n += a; tok += b
    s = time.perf_counter() - t
    return dict(targets_per_s=n / s, steps_per_s=steps / s, targets_per_step=n / steps, encoder_tokens_per_step=tok / steps, steps=steps)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    data_args(p)
    p.add_argument('--window-batch', type=int, default=128, help='windows per batch (bidirectional)')
    p.add_argument('--segment-batch', type=int, default=32, help='user segments per batch (causal)')
    p.add_argument('--steps', type=int, default=60); p.add_argument('--warmup-steps', type=int, default=5)
    p.add_argument('--dropout', type=float, default=0.0); bf16_arg(p)
    p.add_argument('--out', default='benchmarks/results/causal_training.json')
    a = p.parse_args(argv)
    a.bf16 = bf16_of(a)
    import torch
    from tigress.decoder import TIGER, TIGERConfig, Recommender
    from tigress.train import epoch_batches, user_segments
    from tigress.cli import machine_info, write_json
    from _data import split_and_ids
    ds,sp,ids = split_and_ids(a.data, a.ids, a.rqvae_epochs)
    seg = user_segments(sp)
    L = len(ids.sizes)
    epoch = dict(windows=dict(batches=-(-len(sp.train) // a.window_batch), encoder_tokens=int(sp.train.histories.lengths().sum()) * L),
                 segments=dict(batches=-(-len(seg) // a.segment_batch), encoder_tokens=int((seg.items.lengths() - 1).sum()) * L))
    epoch['item_tokens'] = dict(batches=epoch['segments']['batches'], encoder_tokens=epoch['segments']['encoder_tokens'] // L)
    res = {}
    for name,causal,data,bs in (('windows', False, sp.train, a.window_batch), ('segments', True, seg, a.segment_batch),
                                ('item_tokens', True, seg, a.segment_batch)):
        torch.manual_seed(0)
        items = name == 'item_tokens'
        model = TIGER(TIGERConfig(code_sizes=ids.sizes, dropout=a.dropout, causal=causal, item_tokens=items, n_items=len(ids.codes) if items else 0))
        if items: model.set_catalogue(ids.codes)
        rec = Recommender(model, ids)
        res[name] = dict(measure(model, rec, data, epoch_batches(data, bs, 64, 0, 0), a.steps, a.warmup_steps, a.bf16),
                         batch_size=bs, encoder=('causal, one token per item' if items else 'causal') if causal else 'bidirectional', **epoch[name])
        res[name]['epoch_seconds'] = len(sp.train) / res[name]['targets_per_s']
        print(f"{name:9s} ({res[name]['encoder']}, batch {bs}): {res[name]['targets_per_s']:.0f} targets/s, {res[name]['steps_per_s']:.2f} steps/s, "
              f"{res[name]['encoder_tokens'] / 1e6:.2f} M encoder tokens an epoch, one epoch in {res[name]['epoch_seconds'] / 60:.1f} min", flush=True)
    ratio = res['segments']['targets_per_s'] / res['windows']['targets_per_s']
    r_items = res['item_tokens']['targets_per_s'] / res['windows']['targets_per_s']
    print(f"ratio: {ratio:.2f}x training targets/s with one encoder pass per user, {r_items:.2f}x with one token per item as well")
    args = sys.argv[1:] if argv is None else argv
    write_json(a.out, dict(dataset=a.data, targets=len(sp.train), n_segments=len(seg), precision='bf16 autocast' if a.bf16 else 'fp32', dropout=a.dropout,
                           threads=torch.get_num_threads(), **res, ratio=dict(targets_per_s=ratio, item_tokens_targets_per_s=r_items),
                           command='.venv/bin/python benchmarks/causal_training.py ' + ' '.join(map(shlex.quote, args)), machine=machine_info()))
    print(f"wrote {a.out}")

if __name__ == '__main__': main()
