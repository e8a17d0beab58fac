"""Record a `tigress train` run that was stopped before its end, from what it left: its console log (tqdm's progress
lines, and `/usr/bin/time -v`'s report when it ran under it), its model folder's `log.jsonl` (the validations it
reached) and, optionally, a py-spy profile taken while it ran (`py-spy record --native -f raw`). A stopped run writes no
result JSON, so this keeps its evidence as data for the README (`tools/readme_results.py`):

    .venv/bin/python tools/partial_run.py --name NAME --log train.log --model-log RUN/model/log.jsonl \\
        --command "tigress train ..." --why "what it was for" [--py-spy raw.txt] [--until SECONDS]

Adds (or replaces) the entry NAME in benchmarks/results/partial_runs.json.
"""
import argparse, json, re
from pathlib import Path

PROGRESS = re.compile(r'train:\s+\d+%\|[^|]*\|\s*(\d+)/(\d+) \[(?:(\d+):)?(\d+):(\d+)<')

def progress(text:str) -> list:
    "`(seconds, step)` of every tqdm `train:` progress line in a console log (carriage returns split them)."
    out = []
    for line in re.split(r'[\r\n]', text):
        m = PROGRESS.search(line)
        if m:
            h, mi, s = int(m[3] or 0), int(m[4]), int(m[5])
            out.append((3600 * h + 60 * mi + s, int(m[1])))
    return out

def pace_by_minute(points:list) -> list:
    """Training steps a second in each minute of the progress `points` that shows one: from the last point of the minute
    before to this minute's last, over the seconds between them (so a last, partial minute is not understated)."""
    last = {}
    for s, step in points: last[s // 60] = (s, step)
    out, (t0, step0) = [], (0, 0)
    for m in sorted(last):
        t, step = last[m]
        if t > t0: out.append(round((step - step0) / (t - t0), 3)); t0, step0 = t, step
    return out

def peak_rss_gib(text:str) -> float|None:
    "The peak memory `/usr/bin/time -v` reported in the log, in GiB."
    m = re.search(r'Maximum resident set size \(kbytes\): (\d+)', text)
    return round(int(m[1]) / 2**20, 2) if m else None

def py_spy_shares(raw:str, thread_marker:str='tigress') -> dict:
    "Shares of the training thread's samples (stacks through `thread_marker`) spent in glibc's allocation functions, from py-spy's raw output."
    total, where = 0, {}
    for line in raw.splitlines():
        stack, n = line.rsplit(' ', 1); frames = stack.split(';')
        if not any(thread_marker in f for f in frames): continue
        total += int(n)
        named = [f.split(' (')[0] for f in frames if not f.startswith('0x')]
        if named and named[-1] in ('posix_memalign', 'malloc', 'free'): where[named[-1]] = where.get(named[-1], 0) + int(n)
    if not total: raise SystemExit(f"the py-spy profile has no stacks through {thread_marker!r}")
    return dict(samples=total, **{k: round(v / total, 3) for k, v in sorted(where.items())})

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--name', required=True); p.add_argument('--log', required=True, help="the run's console log")
    p.add_argument('--model-log', help="the run's model/log.jsonl (its validations)"); p.add_argument('--py-spy', help='py-spy raw profile')
    p.add_argument('--command', required=True, help='the command that ran, with its environment'); p.add_argument('--why', required=True)
    p.add_argument('--until', type=int, help='training seconds after which progress is not counted (e.g. once a profiler slowed the run)')
    p.add_argument('--out', default='benchmarks/results/partial_runs.json')
    a = p.parse_args(argv)
    text = Path(a.log).read_text(errors='replace')
    shown = progress(text)
    points = [(t, s) for t, s in shown if a.until is None or t < a.until]  # counted for the pace
    if not points: raise SystemExit(f"{a.log}: no `train:` progress lines{f' before {a.until} s' if a.until else ''}")
    entry = dict(command=a.command, why=a.why, counted_until_s=a.until, steps_done=shown[-1][1], steps_planned=max(int(m[2]) for m in PROGRESS.finditer(text)),
                 training_seconds_shown=shown[-1][0], pace_by_minute=pace_by_minute(points), peak_rss_gib=peak_rss_gib(text))
    if a.model_log:
        entry['validations'] = [json.loads(l) for l in Path(a.model_log).read_text().splitlines() if l.strip()]
    if a.py_spy: entry['py_spy'] = py_spy_shares(Path(a.py_spy).read_text())
    from tigress.cli import write_json
    out = Path(a.out)
    runs = json.loads(out.read_text()) if out.exists() else {}
    runs[a.name] = entry
    write_json(out, runs)
    print(f"{a.name}: {entry['steps_done']:,} of {entry['steps_planned']:,} steps; wrote {out}")

if __name__ == '__main__': main()
