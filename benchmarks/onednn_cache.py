"""oneDNN's primitive cache and the Beauty recipe's training step. torch computes bf16 matrix products on the CPU with
oneDNN, which compiles a kernel per shape and keeps the last `ONEDNN_PRIMITIVE_CACHE_CAPACITY` of them (1,024 unless
set). Jagged, length-bucketed batches bring thousands of shapes, so at 1,024 training keeps recompiling kernels. This
times the recipe's first steps (seed 0's batches, from the same fresh model) at each capacity, side by side in one run.
oneDNN reads the capacity once, at its first kernel, so each capacity trains in its own fresh process; the processes
alternate round by round, so a drifting machine hits every capacity alike. Prints steps/s per window of steps, the
ratio to the first capacity, whether the losses are bit-identical, and each process's peak memory.

    .venv/bin/python benchmarks/onednn_cache.py --ids runs/train/beauty_idrop25_s5/semids/ids.json

Writes benchmarks/results/onednn_cache.json. Each process records the allocator it ran (`benchmarks/malloc.py` compares
glibc's malloc with jemalloc, which `tigress train` uses when the machine has it).
"""
import argparse, json, os, resource, shlex, statistics, subprocess, sys, time
from _data import data_args, bf16_arg, bf16_of

RESULT = 'onednn_cache result: '  # how a worker's result line starts (on stderr)

def worker(a):
    "Train the recipe's first `a.steps` steps in this process (its capacity already in the environment); print one JSON line."
    from tigress.train import epoch_batches, user_segments, train_step
    from tigress.cli import malloc_name
    from tigress.rqvae import deterministic
    from _data import split_and_ids, recipe_model
    ds,sp,ids = split_and_ids(a.data, a.ids, a.rqvae_epochs)
    seg = user_segments(sp)
    model,rec,opt = recipe_model(ids)  # the same weights in every process
    model.train()
    batches,epoch = [],0
    while len(batches) < a.steps: batches += epoch_batches(seg, a.batch_size, 64, 0, epoch); epoch += 1  # the recipe's batches, epoch after epoch
    bf16,seconds,windows,losses = bf16_of(a),0.0,[],[]
    with deterministic(warn_only=True):
        for w in range(0, a.steps, a.window):
            part = batches[w:min(w + a.window, a.steps)]
            t = time.perf_counter()
            for b in part: loss = train_step(model, rec, seg, b, opt, bf16)[0].item()
            t = time.perf_counter() - t
            seconds += t; windows.append(len(part) / t); losses.append(loss)  # the loss after each window: equal across capacities when the arithmetic is
    print(RESULT + json.dumps(dict(capacity=os.environ['ONEDNN_PRIMITIVE_CACHE_CAPACITY'], steps_per_s=a.steps / seconds, window_steps_per_s=windows, losses=losses,
                                   peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, malloc=malloc_name())), file=sys.stderr)  # stderr: with ONEDNN_VERBOSE, oneDNN logs to stdout

def run_worker(args:list, env:dict) -> dict:
    "Run `worker` in a fresh process with `args` and `env` added to the environment; its result."
    out = subprocess.run([sys.executable, __file__, *args, '--worker'], env={**os.environ, **env}, capture_output=True, text=True)
    what = ', '.join(f'{k}={v}' for k,v in env.items())
    if out.returncode: raise SystemExit(f"{what}: the training process failed (exit {out.returncode}):\n{out.stderr[-3000:]}")
    res = [l[len(RESULT):] for l in out.stderr.splitlines() if l.startswith(RESULT)]
    if not res: raise SystemExit(f"{what}: the training process printed no result:\n{out.stderr[-3000:]}")
    return json.loads(res[-1])

def alternate(arms:dict, worker_args:list, rounds:int, check, name=str) -> dict:
    """Train in a fresh process per arm (its name -> what it adds to the environment), arm after arm, for `rounds` rounds,
    so a drifting machine hits every arm alike; `check(arm, result)` raises if the process did not run as the arm says.
    Returns each arm's results, round by round; prints each as it comes (`name(arm)`: how the line names it)."""
    runs = {m: [] for m in arms}
    for r in range(rounds):
        for m, env in arms.items():
            t = time.perf_counter()
            res = run_worker(worker_args, env); check(m, res)
            res['seconds_with_setup'] = time.perf_counter() - t
            runs[m].append(res)
            print(f"round {r + 1}, {name(m)}: {res['steps_per_s']:.3f} steps/s; per window: "
                  + ', '.join(f'{x:.2f}' for x in res['window_steps_per_s']) + f"; peak {res['peak_rss_mb']:.0f} MB", flush=True)
    return runs

def compare(runs:dict, ref:str) -> tuple:
    "Each arm's steps/s against `ref`'s (the median of the rounds' ratios: the drift cancels), and whether every loss equals `ref`'s first round's."
    ratio = {m: statistics.median(x['steps_per_s'] / y['steps_per_s'] for x,y in zip(runs[m], runs[ref])) for m in runs}
    return ratio, all(x['losses'] == runs[ref][0]['losses'] for m in runs for x in runs[m])

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    data_args(p); bf16_arg(p)
    p.add_argument('--capacities', default='1024,65536', help="comma-separated cache capacities; ratios are to the first (oneDNN's default is 1024)")
    p.add_argument('--steps', type=int, default=600, help='training steps per process, from a fresh model')
    p.add_argument('--window', type=int, default=150, help='steps per reported pace')
    p.add_argument('--batch-size', type=int, default=64, help="users' segments a step (the recipe's)")
    p.add_argument('--rounds', type=int, default=1, help='rounds, each training once at every capacity')
    p.add_argument('--worker', action='store_true', help=argparse.SUPPRESS)
    p.add_argument('--out', default='benchmarks/results/onednn_cache.json')
    a = p.parse_args(argv)
    if a.worker: return worker(a)
    caps = a.capacities.split(',')
    if bad := [c for c in caps if not c.isdigit() or int(c) < 1]: p.error(f"--capacities: {', '.join(bad)} not a positive whole number")
    if a.steps < 1 or a.window < 1: p.error('--steps and --window must be at least 1')
    args = list(sys.argv[1:] if argv is None else argv)
    def check(c, res):
        if res['capacity'] != c: raise SystemExit(f"capacity {c}: the process ran with {res['capacity']}")
    runs = alternate({c: {'ONEDNN_PRIMITIVE_CACHE_CAPACITY': c} for c in caps}, args, a.rounds, check, name=lambda c: f'capacity {c:>6}')
    ref = caps[0]
    ratio, identical = compare(runs, ref)
    print('median steps/s: ' + ', '.join(f"capacity {c} {statistics.median(x['steps_per_s'] for x in runs[c]):.3f}" for c in caps)
          + f"; against capacity {ref}: " + ', '.join(f'{c} {ratio[c]:.2f}x' for c in caps) + f"; losses bit-identical: {identical}")
    from tigress.cli import machine_info, write_json
    write_json(a.out, dict(dataset=a.data, batch_size=a.batch_size, steps=a.steps, window=a.window, precision='bf16 autocast' if bf16_of(a) else 'fp32',
                           capacities=caps, reference=ref, runs=runs, ratio=ratio, losses_identical=identical,
                           command=shlex.join(['.venv/bin/python', 'benchmarks/onednn_cache.py', *args]), machine=machine_info()))
    print(f"wrote {a.out}")

if __name__ == '__main__': main()
