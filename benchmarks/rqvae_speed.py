"""RQ-VAE speed on this machine: training throughput (items/s over all epochs) and the time to assign IDs to every
item, beside residual k-means (the network-free reference) in the same run.

    .venv/bin/python benchmarks/rqvae_speed.py                 # Beauty MiniLM embeddings (else the demo's)
    .venv/bin/python benchmarks/rqvae_speed.py --data demo     # the demo's, wherever

Writes benchmarks/results/rqvae_speed.json (figures, machine, command). The embeddings come from the cache
(`tigress embed --data beauty` makes them).
"""
import argparse, os, shlex, sys, time
import numpy as np
import torch
from tigress.cli import machine_info, write_json
from tigress.data.loaders import load_dataset, shared_data
from tigress.data.demo import load_demo
from tigress.embedding.text import embed_texts
from tigress.rqvae import RQVAEConfig, train_rqvae, residual_kmeans, code_stats

def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument('--epochs', type=int, default=25)
    p.add_argument('--data', help="'demo' or a dataset name (default: 'beauty' where the shared data is, else 'demo')")
    p.add_argument('--out', default='benchmarks/results/rqvae_speed.json')
    a = p.parse_args(argv)
    data = a.data or ('beauty' if shared_data() else 'demo')
    ds = load_demo() if data == 'demo' else load_dataset(data)
    x = embed_texts(ds, progress=False).vectors
    cfg = RQVAEConfig(epochs=a.epochs)
    t = time.perf_counter(); model, hist = train_rqvae(x, cfg, progress=False, select_best=True); train_s = time.perf_counter() - t
    t = time.perf_counter(); codes, _ = model.encode(x); assign_s = time.perf_counter() - t
    t = time.perf_counter(); rk, _ = residual_kmeans(x, cfg.levels, cfg.codes); rk_s = time.perf_counter() - t
    ours = dict(train_seconds=train_s, epochs=cfg.epochs, train_items_per_s=len(x) * cfg.epochs / train_s,
                assign_seconds=assign_s, assign_items_per_s=len(x) / assign_s, **code_stats(codes, cfg.codes))
    ref = dict(seconds=rk_s, **code_stats(rk, cfg.codes))
    out = dict(dataset=ds.name, items=len(x), dim=x.shape[1], threads=torch.get_num_threads(),
               rqvae=ours, residual_kmeans=ref,
               cornac_reported=dict(train_seconds=92, unique_rate=0.9826, max_group=4, note='cornac 3.0.1 TIGER tokenizer, 200 epochs, '
                                    'measured on this machine kind and reported in issue #4; not rerun here'),
               command='.venv/bin/python benchmarks/rqvae_speed.py ' + ' '.join(map(shlex.quote, sys.argv[1:] if argv is None else argv)),
               machine=machine_info())
    print(f"RQ-VAE: {ours['train_items_per_s']:,.0f} items/s over {cfg.epochs} epochs ({train_s:.1f} s), IDs for all "
          f"{len(x):,} items in {assign_s * 1000:.0f} ms; unique {ours['unique_rate']:.2%}")
    print(f"residual k-means (reference): {rk_s:.1f} s; unique {ref['unique_rate']:.2%}")
    write_json(a.out, out); print(f"wrote {a.out}")

if __name__ == '__main__': main()
