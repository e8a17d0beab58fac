"""The Triton jagged kernels against padded PyTorch on a CUDA GPU, at generation's realistic sizes: the beams of each
user (W = 20) cross-attend to that user's encoded history (4 tokens an item, up to 20 items), 6 heads of 64.

    .venv/bin/python benchmarks/jagged_gpu.py            # needs a CUDA GPU and triton

Compares, in one run and on the same inputs:
  * jagged attention: the Triton kernel on jagged keys/values vs `F.scaled_dot_product_attention` on keys/values
    padded to the batch's longest history with a key mask (padding done beforehand, i.e. not charged to PyTorch),
    and vs the torch path of `jagged_attention` (which pads, then calls SDPA);
  * the same with a score bias per key and head (the recency bias's form): Triton vs SDPA with a float mask;
  * jagged -> padded conversion: the Triton kernel vs the torch index path.
History lengths follow Beauty's test users when `../shared/data` is present, else a long-tailed draw of 5-20 items.
Prints the ratios and writes benchmarks/results/jagged_gpu.json.
"""
import argparse, os, shlex, sys
import numpy as np
import torch
import torch.nn.functional as F

def timed(fn, reps:int=50, device:str='cuda') -> float:
    "Median milliseconds of `fn()` (CUDA events on the GPU; wall clock for the CPU smoke run)."
    import time
    for _ in range(min(5, reps)): fn()
    times = []
    for _ in range(reps):
        if device == 'cuda':
            a,b = torch.cuda.Event(enable_timing=True),torch.cuda.Event(enable_timing=True)
            a.record(); fn(); b.record(); torch.cuda.synchronize(); times.append(a.elapsed_time(b))
        else:
            t = time.perf_counter(); fn(); times.append((time.perf_counter() - t) * 1000)
    return float(np.median(times))

def history_lengths(n:int, seed:int=0) -> np.ndarray:
    "Token lengths (4 per item) of `n` histories: Beauty's test users when available."
    from tigress.data.loaders import shared_data, load_dataset
    from tigress.data.split import leave_last_out
    g = np.random.default_rng(seed)
    if shared_data():
        l = leave_last_out(load_dataset('beauty')).test.histories.lengths()
        return 4 * g.choice(l, n)
    return 4 * np.minimum(20, 5 + g.geometric(0.2, n) - 1)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--users', type=int, nargs='+', default=[256, 1024, 4096]); p.add_argument('--beam', type=int, default=20)
    p.add_argument('--heads', type=int, default=6); p.add_argument('--head-dim', type=int, default=64)
    p.add_argument('--dtype', choices=['float16', 'bfloat16', 'float32'], default='bfloat16')
    p.add_argument('--reps', type=int, default=50)
    p.add_argument('--device', choices=['cuda', 'cpu'], default='cuda', help="'cpu' only as a smoke run of this script under TRITON_INTERPRET=1 (timings meaningless)")
    p.add_argument('--out', default='benchmarks/results/jagged_gpu.json')
    a = p.parse_args(argv)
    if a.device == 'cpu' and os.environ.get('TRITON_INTERPRET') != '1': sys.exit("--device cpu needs TRITON_INTERPRET=1")
    if a.device == 'cuda' and not torch.cuda.is_available(): sys.exit("jagged_gpu.py needs a CUDA GPU (the CPU path is the torch one; kernels are tested in Triton's interpreter)")
    from tigress.jagged import jagged_attention, jagged_to_padded, lengths_to_offsets
    from tigress.cli import machine_info, write_json
    dt,dev = getattr(torch, a.dtype),a.device
    rows = []
    T_ = lambda fn: timed(fn, a.reps, dev)
    for B in a.users:
        lengths = torch.as_tensor(history_lengths(B), device=dev)
        off = lengths_to_offsets(lengths).to(dev); N,T = int(off[-1]),int(lengths.max())
        q = torch.randn(B, a.heads, a.beam, a.head_dim, device=dev, dtype=dt)
        k,v = (torch.randn(N, a.heads, a.head_dim, device=dev, dtype=dt) for _ in range(2))
        kp,vp = (jagged_to_padded(t, off, T, backend='torch').transpose(1, 2).contiguous() for t in (k, v))
        mask = (torch.arange(T, device=dev)[None, :] < lengths[:, None])[:, None, None, :]
        ours = lambda: jagged_attention(q, k, v, off, backend='triton')
        padded = lambda: F.scaled_dot_product_attention(q, kp, vp, attn_mask=mask)
        torch_path = lambda: jagged_attention(q, k, v, off, backend='torch')
        err = float((ours().float() - padded().float()).abs().max())
        t_ours,t_pad,t_tp = T_(ours),T_(padded),T_(torch_path)
        bias = torch.randn(N, a.heads, device=dev, dtype=dt)  # the recency bias's form: a score per key and head
        fmask = jagged_to_padded(bias, off, T, backend='torch').transpose(1, 2)[:, :, None].masked_fill(~mask, float('-inf'))  # SDPA's float mask, built beforehand
        ours_b = lambda: jagged_attention(q, k, v, off, bias, backend='triton')
        padded_b = lambda: F.scaled_dot_product_attention(q, kp, vp, attn_mask=fmask)
        err_b = float((ours_b().float() - padded_b().float()).abs().max())
        t_ours_b,t_pad_b = T_(ours_b),T_(padded_b)
        x = torch.randn(N, a.heads * a.head_dim, device=dev, dtype=dt)
        c_tri = T_(lambda: jagged_to_padded(x, off, T, backend='triton'))
        c_tor = T_(lambda: jagged_to_padded(x, off, T, backend='torch'))
        r = dict(users=B, beam=a.beam, tokens=N, max_len=T, padded_share=1 - N / (B * T), max_abs_diff=err,
                 attention_ms=dict(triton_jagged=t_ours, sdpa_padded=t_pad, torch_path=t_tp),
                 attention_speedup_vs_padded=t_pad / t_ours, attention_speedup_vs_torch_path=t_tp / t_ours,
                 bias_attention_ms=dict(triton_jagged=t_ours_b, sdpa_padded=t_pad_b), bias_attention_speedup_vs_padded=t_pad_b / t_ours_b, bias_max_abs_diff=err_b,
                 jagged_to_padded_ms=dict(triton=c_tri, torch=c_tor), jagged_to_padded_speedup=c_tor / c_tri)
        rows.append(r)
        print(f"{B:>5} users x {a.beam} beams, {N:,} keys (max {T}, {r['padded_share']:.0%} padding): attention "
              f"Triton {t_ours:.3f} ms, padded SDPA {t_pad:.3f} ms ({r['attention_speedup_vs_padded']:.2f}x), torch path {t_tp:.3f} ms "
              f"({r['attention_speedup_vs_torch_path']:.2f}x); jagged->padded Triton {c_tri:.3f} ms vs torch {c_tor:.3f} ms "
              f"({r['jagged_to_padded_speedup']:.2f}x); max |diff| {err:.1e}; with a bias per key and head: Triton {t_ours_b:.3f} ms, "
              f"padded SDPA {t_pad_b:.3f} ms ({r['bias_attention_speedup_vs_padded']:.2f}x), max |diff| {err_b:.1e}")
    write_json(a.out, dict(gpu=torch.cuda.get_device_name() if dev == 'cuda' else 'none (CPU smoke run in the Triton interpreter)', dtype=a.dtype, heads=a.heads, head_dim=a.head_dim, results=rows,
                           command='.venv/bin/python benchmarks/jagged_gpu.py ' + ' '.join(map(shlex.quote, sys.argv[1:] if argv is None else argv)),
                           machine=machine_info()))
    print(f"wrote {a.out}")

if __name__ == '__main__': main()
