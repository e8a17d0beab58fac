"""glibc's malloc against jemalloc on the Beauty recipe's training steps. Every step allocates and frees large tensors
while oneDNN compiles kernels for new matrix shapes and evicts old ones; glibc's heap fragments under that mix and its
`posix_memalign` slows down step after step. `tigress train` therefore runs under jemalloc when the machine has it
(`tigress.cli.restart_with_jemalloc`). This trains the recipe's first steps from the same fresh model under each
allocator, each in its own process (`onednn_cache.py`'s worker, at the same kernel-cache capacity), alternating round by
round, and prints steps/s per window, the ratio, peak memory, and whether the losses are bit-identical.

    .venv/bin/python benchmarks/malloc.py --ids runs/train/beauty_idrop25_s5/semids/ids.json

Writes benchmarks/results/malloc.json.
"""
import argparse, shlex, statistics, sys
from pathlib import Path
from _data import data_args, bf16_arg, bf16_of
from onednn_cache import alternate, compare

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    data_args(p); bf16_arg(p)
    p.add_argument('--jemalloc', help='the jemalloc library (default: the one `tigress train` would find, `tigress.cli.find_jemalloc`)')
    p.add_argument('--capacity', default='1024', help="oneDNN's kernel-cache capacity for both (1024: oneDNN's default)")
    p.add_argument('--steps', type=int, default=1200, help='training steps per process, from a fresh model')
    p.add_argument('--window', type=int, default=300, help='steps per reported pace')
    p.add_argument('--batch-size', type=int, default=64, help="users' segments a step (the recipe's)")
    p.add_argument('--rounds', type=int, default=1, help='rounds, each training once under each allocator')
    p.add_argument('--out', default='benchmarks/results/malloc.json')
    a = p.parse_args(argv)
    from tigress.cli import find_jemalloc, machine_info, write_json
    lib = a.jemalloc or find_jemalloc()
    if not lib or not Path(lib).exists(): p.error(f"no jemalloc library{f' at {lib}' if lib else ''} (Debian and Ubuntu: apt-get install libjemalloc2)")
    if not a.capacity.isdigit() or int(a.capacity) < 1: p.error(f'--capacity: {a.capacity} is not a positive whole number')
    worker = ['--data', a.data, *(['--ids', a.ids] if a.ids else []), '--rqvae-epochs', str(a.rqvae_epochs), '--steps', str(a.steps), '--window', str(a.window),
              '--batch-size', str(a.batch_size), *([] if a.bf16 is None else ['--bf16' if a.bf16 else '--no-bf16'])]
    def check(m, res):
        if (res['malloc'] == 'glibc') != (m == 'glibc'): raise SystemExit(f"{m}: the training process ran {res['malloc']}'s malloc")
    runs = alternate({m: {'ONEDNN_PRIMITIVE_CACHE_CAPACITY': a.capacity, 'LD_PRELOAD': pre} for m, pre in (('glibc', ''), ('jemalloc', lib))}, worker, a.rounds, check,
                     name=lambda m: f'{m:>8}')
    ratios, identical = compare(runs, 'glibc'); ratio = ratios['jemalloc']
    print(f"median steps/s: glibc {statistics.median(x['steps_per_s'] for x in runs['glibc']):.3f}, jemalloc {statistics.median(x['steps_per_s'] for x in runs['jemalloc']):.3f}"
          f" ({ratio:.2f}x); peak memory {max(x['peak_rss_mb'] for x in runs['glibc']):.0f} MB and {max(x['peak_rss_mb'] for x in runs['jemalloc']):.0f} MB; losses bit-identical: {identical}")
    write_json(a.out, dict(dataset=a.data, batch_size=a.batch_size, steps=a.steps, window=a.window, capacity=a.capacity, jemalloc=lib,
                           precision='bf16 autocast' if bf16_of(a) else 'fp32', runs=runs, ratio=ratio, losses_identical=identical,
                           command=shlex.join(['.venv/bin/python', 'benchmarks/malloc.py', *(sys.argv[1:] if argv is None else argv)]), machine=machine_info()))
    print(f"wrote {a.out}")

if __name__ == '__main__': main()
