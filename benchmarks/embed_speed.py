"""Embedding speed on this machine: items/s for text and image embedding, ours beside plain library calls, and the
speed-up the cache gives a second run.

    .venv/bin/python benchmarks/embed_speed.py            # Beauty texts (if ../shared/data is there) + demo images
    .venv/bin/python benchmarks/embed_speed.py --texts 12101            # every Beauty item (the README's figures)
    .venv/bin/python benchmarks/embed_speed.py --no-text --images 64 --image-arch ViT-L-14 --out benchmarks/results/embed_speed_vitl14.json

Writes benchmarks/results/embed_speed.json (figures, machine, command).
"""
import argparse, json, os, shlex, sys, tempfile, time, warnings
from pathlib import Path
import numpy as np, torch

from tigress.cli import machine_info, write_json
from tigress.data.dataset import item_text
from tigress.data.demo import load_demo
from tigress.data.loaders import load_dataset, shared_data
from tigress.embedding.image import ImageEncoder, embed_images, read_image
from tigress.embedding.text import TextEncoder, embed_texts

def timed(fn):
    t = time.perf_counter(); out = fn(); return out, time.perf_counter() - t

def subset(ds, n):
    "The first n items of ds as a dataset of their own (so the cache sees exactly these)."
    from tigress.data.dataset import Dataset
    items = ds.items[:n]
    return Dataset(ds.name, items, ['u'], [[1]], source=ds.source)

def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument('--texts', type=int, default=3000, help='items whose text is embedded')
    p.add_argument('--images', type=int, default=500, help='demo items whose image is embedded')
    p.add_argument('--text-model', default='all-MiniLM-L6-v2')
    p.add_argument('--image-arch', default='ViT-S-32')
    p.add_argument('--no-text', action='store_true'); p.add_argument('--no-image', action='store_true')
    p.add_argument('--out', default='benchmarks/results/embed_speed.json')
    a = p.parse_args(argv)
    torch.set_num_threads(torch.get_num_threads())
    res = {'threads': torch.get_num_threads()}

    if not a.no_text: res['text'] = bench_text(a)
    if not a.no_image: res['image'] = bench_image(a)
    out = dict(res, command='.venv/bin/python benchmarks/embed_speed.py ' + ' '.join(map(shlex.quote, sys.argv[1:] if argv is None else argv)),
               machine=machine_info())
    for k in ('text', 'image'):
        if k not in res: continue
        r = res[k]
        print(f"{k:5}: reference {r['reference_items_per_s']:8.1f} items/s | ours {r['ours_cold_items_per_s']:8.1f} items/s "
              f"({r['ratio_cold_vs_reference']:.2f}x) | second run from the cache {r['ours_warm_items_per_s']:10.1f} items/s "
              f"({r['cache_speedup']:.0f}x)")
    write_json(a.out, out); print(f"wrote {a.out}")

def bench_text(a):
    src = load_dataset('beauty') if shared_data() else load_demo()
    ds = subset(src, min(a.texts, src.n_items))
    texts = [item_text(it) for it in ds.items]
    enc = TextEncoder(a.text_model)
    enc32 = TextEncoder(a.text_model, precision='fp32', verbose=False)
    enc.encode(texts[:64]); enc32.encode(texts[:64])  # warm up
    _, t_ref = timed(lambda: enc32.model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False))
    with tempfile.TemporaryDirectory() as cache:
        e1, t_cold = timed(lambda: embed_texts(ds, enc, cache=cache, progress=False))
        e2, t_warm = timed(lambda: embed_texts(ds, enc, cache=cache, progress=False))
    assert e2.info['computed'] == 0
    return dict(dataset=src.name, items=len(texts), model=a.text_model, precision=enc.precision,
                       reference_items_per_s=len(texts) / t_ref, reference='SentenceTransformer.encode, fp32, batch 64',
                       ours_cold_items_per_s=len(texts) / t_cold, ours_warm_items_per_s=len(texts) / t_warm,
                       ratio_cold_vs_reference=t_ref / t_cold, cache_speedup=t_cold / t_warm,
                       seconds=dict(reference=t_ref, cold=t_cold, warm=t_warm))

def bench_image(a):
    demo = load_demo()
    ids = subset(demo, min(a.images, demo.n_items))
    with warnings.catch_warnings():
        warnings.simplefilter('ignore'); ienc = ImageEncoder(a.image_arch, weights=None, verbose=False)
    paths = [it.image for it in ids.items]
    ienc.encode_images([read_image(paths[0])])
    def reference():
        out = []
        for i in range(0, len(paths), 32):
            x = torch.stack([ienc.preprocess(read_image(q)) for q in paths[i:i + 32]])
            with torch.inference_mode(): out.append(ienc.model.encode_image(x))
        return torch.cat(out)
    _, t_ref = timed(reference)
    with tempfile.TemporaryDirectory() as cache:
        _, t_cold = timed(lambda: embed_images(ids, ienc, cache=cache, progress=False))
        e2, t_warm = timed(lambda: embed_images(ids, ienc, cache=cache, progress=False))
    assert e2.info['computed'] == 0
    return dict(items=len(paths), arch=a.image_arch, weights='random (speed does not depend on them)',
                        reference_items_per_s=len(paths) / t_ref, reference='open_clip encode_image loop, fp32, batch 32',
                        ours_cold_items_per_s=len(paths) / t_cold, ours_warm_items_per_s=len(paths) / t_warm,
                        ratio_cold_vs_reference=t_ref / t_cold, cache_speedup=t_cold / t_warm,
                        seconds=dict(reference=t_ref, cold=t_cold, warm=t_warm))

if __name__ == '__main__': main()
