"""Write the README's Beauty results from the committed result JSONs in benchmarks/results.

The sections from "### TIGER on Beauty" up to "## Developing" of nbs/index.ipynb (the README's source) are rendered
from `RUNS`' JSONs, `baselines_beauty.json`, `causal_training.json`, `beam_exact.json`, `vs_markov.json`, `train_speed.json`,
`precision.json`, `train_step.json`, `onednn_cache.json`, `malloc.json`, `partial_runs.json`, `target_frac.json`, `speed_vs_cornac.json`, `gpu_speed.json`, `jagged_gpu.json`, `gpu_recency.json`, `embed_speed.json` and
`embed_speed_vitl14.json`, so they quote no figure by hand:

    .venv/bin/python tools/readme_results.py           # rewrite nbs/index.ipynb, then `make readme`
    .venv/bin/python tools/readme_results.py --check   # exit 1 when the notebook or README.md is out of date

A `tiger_beauty*.json` that is not in `RUNS` is an error, so no run is left out of the table silently.
"""
import argparse, json, statistics, sys
from pathlib import Path

RUNS = ['tiger_beauty.json', 'tiger_beauty_causal.json', 'tiger_beauty_itememb.json', 'tiger_beauty_itememb_d01.json',
        'tiger_beauty_last.json', 'tiger_beauty_itememb_rq300.json', 'tiger_beauty_itememb_rq300_d02.json',
        'tiger_beauty_b64.json', 'tiger_beauty_b64_mpnet.json', 'tiger_beauty_wd01.json',
        'tiger_beauty_ls01.json', 'tiger_beauty_d256.json', 'tiger_beauty_bidir.json',
        'tiger_beauty_recency.json', 'tiger_beauty_recency_s1.json', 'tiger_beauty_idrop25.json', 'tiger_beauty_idrop25_s1.json', 'tiger_beauty_idrop25_s2.json', 'tiger_beauty_idrop25_15k.json',
        'tiger_beauty_idrop25_15k_tf05.json', 'tiger_beauty_idrop25_s3.json', 'tiger_beauty_idrop25_21k_s0.json',
        'tiger_beauty_idrop25_s4.json', 'tiger_beauty_idrop25_s5.json', 'tiger_beauty_idrop25_s5_rerun.json',
        'tiger_beauty_idrop25_s5_jemalloc.json']  # in the order they were made
# Runs made again with the same command after a change meant to alter only their time: the first run's file, what differed (in
# words, and short for the figure's legend), and the README paragraph that compares the two whole runs (`whole_reruns`).
# Their figures must equal the first run's; they are not seeds of their configuration, so seed summaries leave them out.
CACHE, ALLOCATOR = "oneDNN's kernel cache", 'The allocator'
RERUNS = {'tiger_beauty_idrop25_s5_rerun.json': ('tiger_beauty_idrop25_s5.json', "oneDNN's kernel cache at 65,536 kernels (`ONEDNN_PRIMITIVE_CACHE_CAPACITY=65536`), the text embeddings computed", 'cache 65,536', CACHE),
          'tiger_beauty_idrop25_s5_jemalloc.json': ('tiger_beauty_idrop25_s5.json', "jemalloc as the allocator (as the `tigress` command now runs), the text embeddings computed", 'jemalloc', ALLOCATOR)}
START, END = "### TIGER on Beauty", "## Developing"
PAPER = {'Recall@5': 0.0454, 'NDCG@5': 0.0321, 'Recall@10': 0.0648, 'NDCG@10': 0.0384}  # TIGER paper, Table 2 (Beauty)
DEFAULT_TEXT = 'all-MiniLM-L6-v2'

def label(r:dict, short:bool=False, seed:bool=True) -> str:
    "A run's name, from its recorded configuration: for the table, or `short` for the figure's legend (`benchmarks/beauty_figure.py`); `seed`: name a seed other than 0."
    m, t, ids = r['config']['model'], r['config']['train'], r['semantic_ids']
    say = lambda full, brief: brief if short else full
    enc = 'causal' if m.get('causal') else say("bidirectional (the paper's)", 'bidirectional')
    inp = (say('item tokens + item embeddings', 'item embeddings') if m.get('n_items') else 'item tokens') if m.get('item_tokens') else 'code tokens'
    parts = [enc, inp] + (['last state'] if m.get('last_state') else []) + ([say('recency bias in cross-attention', 'recency bias')] if m.get('recency') else []) + [f"dropout {m['dropout']:g}"] \
        + ([f"item dropout {m['item_dropout']:g}"] if m.get('item_dropout') else [])
    if m['d_model'] != 128: parts.append(say(f"d_model {m['d_model']} (paper: 128)", f"d_model {m['d_model']}"))
    text = (ids.get('embeddings') or {}).get('text', DEFAULT_TEXT)
    if text != DEFAULT_TEXT: parts.append(say(f'{text} text embeddings', text.split('/')[-1]))
    rq, sel = (ids.get('rqvae') or {}).get('epochs', 25), ids.get('select', 'unique')
    if (rq, sel) != (25, 'unique'):
        parts.append(say(f"IDs from the RQ-VAE's {'last' if sel == 'last' else 'most unique'} of {rq} epochs", f'RQ-VAE {rq} epochs ({sel})'))
    if m.get('causal') and t['batch_size'] != 32: parts.append(f"batch {t['batch_size']}")
    if t.get('target_frac', 1) != 1: parts.append(say(f"{t['target_frac']:g} of the targets a step", f"{t['target_frac']:g} of targets"))
    parts.append(say(f"{t['steps']:,} steps", f"{t['steps'] / 1000:g}k steps"))  # the schedule's length
    if t['weight_decay'] != 0.01 or t.get('decay_embeddings'):
        parts.append(say(f"weight decay {t['weight_decay']:g}", f"wd {t['weight_decay']:g}") + (say(' (embeddings too)', ' + embeddings') if t.get('decay_embeddings') else ''))
    if t.get('label_smoothing'): parts.append(say(f"label smoothing {t['label_smoothing']:g}", f"smoothing {t['label_smoothing']:g}"))
    if short and t.get('exclude_seen'): parts.append('seen items left out')
    if seed and r.get('seeds', [0]) != [0]: parts.append('seed ' + ', '.join(map(str, r['seeds'])))
    if r.get('file') in RERUNS: parts.append(say(f"run again: {RERUNS[r['file']][1]}", f"run again ({RERUNS[r['file']][2]})"))  # `file`: set by `load`
    return ', '.join(parts)

def seed_spread(runs:list) -> str:
    "Mean and range of the test figures of every configuration run with more than one seed."
    by = {}
    for n, r in runs: by.setdefault(label(r, seed=False), []).append((n, r))
    out = ''
    for name, rs in by.items():
        if len(rs) < 2: continue
        seeds = [s for _, r in rs for s in r.get('seeds', [0])]
        if len(set(seeds)) < len(seeds): raise SystemExit(f"{', '.join(n for n, _ in rs)}: the same configuration and seed twice")
        stat = lambda k: (lambda v: f"{mean_sd(v)} ({min(v):.4f} to {max(v):.4f})")([r['test'][k] for _, r in rs])
        out += (f"| {name} | {', '.join(map(str, seeds))} | {stat('Recall@5')} | {stat('NDCG@5')} | {stat('Recall@10')} | {stat('NDCG@10')} |\n")
    if not out: return ''
    return ("\nConfigurations run with more than one seed (the seed also draws the RQ-VAE, so the semantic IDs differ too): "
            "mean ± sample standard deviation of the test figures, and their range.\n\n| run | seeds | test Recall@5 | test NDCG@5 | test Recall@10 | test NDCG@10 |\n"
            "|---|---|---|---|---|---|\n" + out)

def mean_sd(v:list) -> str:
    "`v`'s mean ± its sample standard deviation (n - 1), to 4 places."
    return f"{statistics.mean(v):.4f} ± {statistics.stdev(v):.4f}"

def reaches(r:dict) -> list:
    "Which of the target's two figures (test Recall@10, NDCG@10) the run `r` reaches."
    return [k for k in ('Recall@10', 'NDCG@10') if r['test'][k] >= PAPER[k]]

def every_item(r:dict) -> dict|None:
    "The run's latest test figures with every item ranked (also those the user already had), if it was measured so."
    ev = [e for e in r.get('evaluations', [dict(protocol=r['protocol'], test=r['test'])]) if 'without the items' not in e['protocol']]
    return ev[-1]['test'] if ev else None

def figures(d:dict) -> str: return ' | '.join(f"{d[k]:.4f}" for k in ('Recall@5', 'NDCG@5', 'Recall@10', 'NDCG@10'))
def command(d:dict) -> str: return d['command'].replace('.venv/bin/tigress', 'tigress')
def cached(r:dict) -> str:
    "' (cached)' when a run read its text embeddings from the cache; runs before `texts` was recorded: guessed from the stage's time."
    t = r.get('texts')
    if t is None: return ' (cached)' if r['stage_seconds']['embeddings'] < 20 else ''
    return ' (cached)' if t['embedded'] == 0 else '' if t['from_cache'] == 0 else f" ({t['from_cache']:,} of {t['embedded'] + t['from_cache']:,} texts cached)"

def cpu(machine:dict) -> str:
    "A result's CPU: its model name and, where recorded, its vector extensions and whether it has native bf16 (one name covers chips with and without)."
    if 'cpu_capability' not in machine: return machine.get('cpu', 'CPU')
    return f"{machine['cpu']} ({machine['cpu_capability']}, {'native' if machine['cpu_bf16'] else 'no native'} bf16)"

def precision(r:dict) -> str:
    "What a run trained in: recorded since `native_bf16` chose it; before, `bf16` was always set (True on every Beauty run)."
    return r.get('precision') or ('bf16 autocast' if r['config']['train']['bf16'] else 'fp32')

def load(res:Path, name:str) -> dict:
    "The result JSON `res/name`, with its file name as `file` (a rerun's `label` says so)."
    if not (res/name).exists(): raise SystemExit(f"{res/name}: missing; the README's results are rendered from it")
    return {**json.loads((res/name).read_text()), 'file': name}

def check_reruns(runs:dict):
    "Each of `RERUNS` must be listed with its first run and repeat its figures; `runs`: file name -> result."
    for n, (first, *_) in RERUNS.items():
        if n not in runs or first not in runs: raise SystemExit(f"RERUNS: {n} and {first} must both be in RUNS")
        diff = [f"{part} {k} {runs[first][part][k]} -> {runs[n][part].get(k)}" for part in ('valid', 'test') for k in runs[first][part] if runs[n][part].get(k) != runs[first][part][k]]
        if diff: raise SystemExit(f"{n}: a rerun of {first} with other figures ({'; '.join(diff)}); a change that alters the figures makes a new run, not a rerun")

def pace(r:dict) -> float:
    "A run's training steps a second, validations included."
    return r['history'][-1]['step'] / r['stage_seconds']['training']

def same_configuration(r:dict, runs:list) -> list:
    "The runs (result dicts) made with `r`'s configuration, whatever their seed."
    return [o for o in runs if label(o, seed=False) == label(r, seed=False)]

def in_time(r:dict, hours:float=2.0) -> str:
    "The run `r`'s end-to-end minutes against the issue's limit, in words."
    total = r['stage_seconds']['total'] / 60
    return f"{total:.1f} min end to end (" + (f"within the {hours:g} hours the issue allows)" if total <= 60 * hours else f"{total - 60 * hours:.1f} min over the {hours:g} hours the issue allows)")

def met_verdict(i:dict, runs:list, hours:float=2.0, seeds_wanted:int=3, who:str='It') -> str:
    "What a run that reaches both of the paper's figures (`who`: how the sentence names it) shows, and what issue #5 still asks: its time against the limit, and the seeds."
    out = (f"**{who} reaches the paper's Recall@10 and NDCG@10**: test {i['test']['Recall@10']:.4f} and {i['test']['NDCG@10']:.4f}, "
           f"in {in_time(i, hours)}.")
    same = same_configuration(i, [r for _, r in runs])
    seeds = [s for r in same for s in r.get('seeds', [0])]
    mean = {k: sum(r['test'][k] for r in same) / len(same) for k in ('Recall@10', 'NDCG@10')}
    short = [k for k in mean if mean[k] < PAPER[k]]
    if len(same) > 1:
        sd = {k: mean_sd([r['test'][k] for r in same]) for k in mean}
        out += (f" Over seeds {', '.join(map(str, seeds))} of its configuration (mean ± sample standard deviation) Recall@10 is {sd['Recall@10']} and NDCG@10 {sd['NDCG@10']}"
                + (f": the mean falls short of the paper's {' and '.join(short)}." if short else ", both at or above the paper's."))
        mins = [r['stage_seconds']['total'] / 60 for r in same]
        both = [s for r in same if len(reaches(r)) == 2 for s in r.get('seeds', [0])]
        miss = [s for s in seeds if s not in both]
        name = lambda ss: f"seed{'s' * (len(ss) > 1)} {', '.join(map(str, ss))}"
        out += (f" The {len(same)} seeds took {min(mins):.1f} to {max(mins):.1f} min end to end ({sum(m <= 60 * hours for m in mins)} within the limit); "
                + ("every seed reaches both figures." if not miss else
                   f"{name(both)} reach{'es' * (len(both) == 1)} both figures, {name(miss)} {'do' if len(miss) > 1 else 'does'} not."))
        fit = [r for r in same if len(reaches(r)) == 2 and r['stage_seconds']['total'] <= 3600 * hours]
        made = [r['stage_seconds']['embeddings'] for _, r in runs if 'embeddings' in r['stage_seconds'] and cached(r) == ''
                and (r['semantic_ids'].get('embeddings') or {}).get('text', DEFAULT_TEXT) == DEFAULT_TEXT]  # runs that computed MiniLM's embeddings
        span = lambda xs: f"{min(xs):.0f}" + (f" to {max(xs):.0f}" if round(max(xs)) != round(min(xs)) else '')
        took = f"; {'the runs' if len(made) > 1 else 'the run'} here that computed them took {span(made)} s" if made else ''
        emb = lambda r: '' if 'embeddings' not in r['stage_seconds'] else f", {r['stage_seconds']['embeddings']:.0f} s of it the text embeddings" + (f" (read from the cache{took})" if cached(r) else ' (computed)')
        out += ''.join(f" {name(r.get('seeds', [0])).capitalize()} reaches both within the limit: {r['stage_seconds']['total'] / 60:.1f} min end to end{emb(r)}." for r in fit)
        firsts = {n for n, r in runs if any(r is o for o in same)}
        out += ''.join(f" {name(r.get('seeds', [0])).capitalize()}, run again with {RERUNS[n][1]}, gave the same figures in {r['stage_seconds']['total'] / 60:.1f} min end to end."
                       for n, r in runs if n in RERUNS and RERUNS[n][0] in firsts)
    if len(same) < seeds_wanted: out += f" Issue #5 asks for {seeds_wanted} seeds; {len(same)} {'has' if len(same) == 1 else 'have'} run."
    return out

def other_hits(i:dict, runs:list) -> list:
    "The runs (result dicts) of configurations other than `i`'s that reach both of the paper's figures; `runs`: (name, result) pairs."
    same = same_configuration(i, [r for _, r in runs])
    return [r for _, r in runs if len(reaches(r)) == 2 and not any(r is o for o in same)]

def also_met(i:dict, runs:list, hours:float=2.0) -> str:
    "The runs of other configurations than `i`'s that reach both of the paper's figures too, with their times."
    return ''.join(f" The run \"{label(r)}\" reaches both as well (test {r['test']['Recall@10']:.4f} and {r['test']['NDCG@10']:.4f}, validation "
                   f"{r['valid']['Recall@10']:.4f} and {r['valid']['NDCG@10']:.4f}), in {in_time(r, hours)}." for r in other_hits(i, runs) if r.get('file') not in RERUNS)  # reruns: in `met_verdict`

def runs_table(res:Path) -> str:
    "The runs, the headline run's stage times, the picture and the commands."
    extra = sorted({p.name for p in res.glob('tiger_beauty*.json')} - set(RUNS))
    if extra: raise SystemExit(f"{res}: {', '.join(extra)} not in tools/readme_results.py's RUNS; add them (in the order made)")
    runs = [(n, load(res, n)) for n in RUNS]
    check_reruns(dict(runs))
    name, i = max(runs, key=lambda r: r[1]['valid']['NDCG@10'])  # the headline run is chosen on validation, never on test
    b, mk = load(res, 'causal_training.json'), load(res, 'baselines_beauty.json')['results']['markov']
    st, ti, mi = i['stage_seconds'], i['config']['train'], i['config']['model']
    whole = lambda r: 'embeddings' in r['stage_seconds']  # the run made its own embeddings and IDs (no --ids)
    if not whole(i): raise SystemExit(f"{name}: made from another run's IDs (--ids), so it times no whole pipeline; the headline run must")
    met = len(reaches(i)) == 2
    bold = lambda s: '**' + s.replace(' | ', '** | **') + '**'
    ev = lambda r: (lambda e: f"{e['Recall@10']:.4f} | {e['NDCG@10']:.4f}" if e else '- | -')(every_item(r))
    rows = ''.join(f"| {label(r)}{' (**best on validation**)' if r is i else ''} | {r['valid']['Recall@10']:.4f} | {r['valid']['NDCG@10']:.4f} | "
                   f"{bold(figures(r['test'])) if r is i else figures(r['test'])} | {ev(r)} | {r['stage_seconds']['total'] / 60:.1f}{'' if whole(r) else ' (IDs from another run: no embeddings or RQ-VAE)'}"
                   f"{' (see its `stage_seconds_note` below)' if 'stage_seconds_note' in r else ''} |\n" for _, r in runs)
    mka = load(res, 'baselines_beauty_all.json')['results']['markov']['test']
    seen = [n for n, r in runs if 'without the items' not in r['protocol']]
    if seen: raise SystemExit(f"{', '.join(seen)}: ranked every item; evaluate again with `tigress evaluate` so that the table compares like with like")
    cmds = ''.join(f"- {label(r)}: `benchmarks/results/{n}`, `{command(r)}`; training {r['history'][-1]['step']:,} of "
                   f"{r['config']['train']['steps']:,} steps, best at {r['best_step']:,}, {pace(r):.2f} steps/s with validations in {precision(r)}"
                   + ('' if 'stage_seconds_note' not in r else f"; its `stage_seconds_note` is quoted under \"{RERUNS[n][3]}\" below" if n in RERUNS
                      else f"; its `stage_seconds_note`: {r['stage_seconds_note']}")  # sittings, or what slowed its clock
                   + (f"; on {cpu(r['machine'])}" if 'cpu' in r['machine'] else '') + "\n" for n, r in runs)  # runs made before the CPU was recorded name none
    epochs = i['history'][-1]['step'] * ti['batch_size'] / b['n_segments']
    note = f"\nIts `stage_seconds_note`: {i['stage_seconds_note']}" if 'stage_seconds_note' in i else ''
    hit = [r for n, r in runs if len(reaches(r)) == 2]
    part = ''.join(f" The run \"{label(r)}\" reaches the paper's {reaches(r)[0]} but not its {({'Recall@10', 'NDCG@10'} - set(reaches(r))).pop()}: test Recall@10 "
                   f"{r['test']['Recall@10']:.4f} (Markov {mk['test']['Recall@10']:.4f}), NDCG@10 {r['test']['NDCG@10']:.4f} (Markov {mk['test']['NDCG@10']:.4f})."
                   for n, r in runs if len(reaches(r)) == 1)
    others = other_hits(i, runs)  # drawn dashed in colour by benchmarks/beauty_figure.py
    also_drawn = f", and, dashed in colour, {'the other run' if len(others) == 1 else 'the other runs'} that reach{'es' * (len(others) == 1)} both of the paper's figures" if others else ''
    if met: verdict = met_verdict(i, runs) + also_met(i, runs)
    elif hit:  # the run chosen on validation misses on test, another reaches both
        j = max(hit, key=lambda r: r['valid']['NDCG@10'])
        verdict = (f"The run chosen on validation falls short of the paper's {' and '.join(k for k in ('Recall@10', 'NDCG@10') if k not in reaches(i))} on test "
                   f"(Recall@10 {i['test']['Recall@10']:.4f}, NDCG@10 {i['test']['NDCG@10']:.4f}). " + met_verdict(j, runs, who=f'The run "{label(j)}"') + also_met(j, runs))
    else: verdict = f"**No run reaches both of the paper's figures** (test Recall@10 {PAPER['Recall@10']}, NDCG@10 {PAPER['NDCG@10']}).{part}"
    return f"""{START}

Text-only semantic IDs ({DEFAULT_TEXT} unless the run says otherwise; the default RQ-VAE above unless the run says otherwise), the paper's model size, beam 20, seed 0 unless the run says otherwise,
all users, full ranking without the items each user already had (as the baselines above; the "every item" columns rank
those too, from each run's first evaluation; runs made before this protocol were evaluated again from their best state with
`tigress evaluate --run <out> --json <result>`, which keeps both in the JSON's `evaluations`).
Runs are compared on validation; the test columns are reported, never used to choose.
"Item tokens + item embeddings" has the encoder read one token per history item with a learned embedding per item
(`--item-embeddings`; {(mi.get('n_items', 0) + 1) * mi['d_model'] / 1e6:.1f} M of the model's {i['parameters'] / 1e6:.1f} M parameters); "last state" feeds the encoder's
state at the last history item into the decoder's begin token (`--last-state`; "The TIGER model" notebook). Both
depart from the paper's semantic-ID-only TIGER. "Recency bias" adds to the decoder's cross-attention a learned bias per
layer and head by each history item's distance from the most recent one (`--recency`; 4 layers x 6 heads x 21 distances = 504 parameters), which tells a causal
encoder's decoder what the bidirectional encoder's places, counted from the most recent item, tell it. Causal runs use batches of 32 users' segments unless the run says otherwise.
This section is written by `tools/readme_results.py` from the JSONs. The runs were made in different sessions on 2-core machines that are not
equally fast: the commands below give each run's training pace and, for runs made since it is recorded, its CPU.

| run | valid Recall@10 | valid NDCG@10 | test Recall@5 | test NDCG@5 | test Recall@10 | test NDCG@10 | test Recall@10, every item | test NDCG@10, every item | minutes, end to end |
|---|---|---|---|---|---|---|---|---|---|
{rows}| Markov (first order), `baselines_beauty.json` | {mk['valid']['Recall@10']:.4f} | {mk['valid']['NDCG@10']:.4f} | {figures(mk['test'])} | {mka['Recall@10']:.4f} | {mka['NDCG@10']:.4f} | - |
| TIGER (paper, sentence-T5-XL) | - | - | {figures(PAPER)} | - | - | - |
{seed_spread(runs)}
The best run on validation, `benchmarks/results/{name}`, made by
`{command(i)}`:
embeddings {st['embeddings']:.0f} s{cached(i)}, semantic IDs {st['semantic_ids']:.0f} s,
training {st['training'] / 60:.1f} min ({i['history'][-1]['step']:,} steps of {ti['batch_size']} users' segments, {epochs:.1f} epochs; best at step {i['best_step']:,}),
evaluation of the validation and test targets of all {i['users']:,} users {st['evaluation'] / 60:.1f} min; **{st['total'] / 60:.1f} min in all** on the 2-core CPU.{note}
{verdict}
The paper trains 200k steps of 256, about 390 epochs; issue #5's closing notes list what was tried and what is left.

Validation of every run against its training time (drawn by `benchmarks/beauty_figure.py`; each run's JSON holds
the figures). These are the validations made during training, on 3,000 users; runs made before the protocol change
ranked every item there. Dashed: the first-order Markov chain on validation, ranked each way. In colour, every seed of
the headline run's configuration{also_drawn}; in grey, the other runs (the table names them).

![Validation Recall@10 and NDCG@10 of every Beauty run against training minutes](images/tiger_beauty_valid.png)

The commands:

{cmds}
"""

def beam_section(res:Path) -> str:
    "Beam search against the exact ranking (`benchmarks/beam_exact.py`)."
    be = load(res, 'beam_exact.json')
    rows = ''.join(f"| {'exact' if k == 'exact' else 'beam ' + k} | {r['agreement']:.1%} | {r['Recall@10']:.4f} | {r['NDCG@10']:.4f} | "
                   f"{r['seconds_per_user'] * 1000:.0f} |\n" for k, r in be['results'].items())
    ex, b20 = be['results']['exact'], be['results']['20']
    hits = lambda r: round(r['Recall@10'] * be['users'])  # one target per user: Recall@10 counts hits
    gap = hits(ex) - hits(b20)
    verdict = (f"The exact ranking is no more accurate than beam 20 (Recall@10 {ex['Recall@10']:.4f} against {b20['Recall@10']:.4f}, "
               f"{hits(ex)} hits against {hits(b20)} of {be['users']}), so the limit is the model's likelihood, not the search." if gap <= 0 else
               f"The exact ranking finds {gap} more hit{'s' * (gap > 1)} than beam 20 in {be['users']} users (Recall@10 {ex['Recall@10']:.4f} against {b20['Recall@10']:.4f}), "
               f"so the search costs {'a little' if gap <= 2 else 'some'} accuracy.")
    every = 'every item' in be.get('protocol', 'full ranking of every item')  # made before the protocol was recorded: it ranked every item
    how = 'ranking every item (also those the user already had' if every else 'both ranking without the items each user already had (as the table above'
    th = be['machine'].get('torch_threads')
    beside = '' if 'batch' in be else ', beside a training run'  # the result made before the batch was recorded was timed while a run trained
    return f"""**Does the beam limit accuracy?** `benchmarks/results/beam_exact.json` (`{be['command']}`) ranks {be['users']} seeded {be['split']}
users of the run in `{be['run']}` both by beam search and exactly, {how}; every one of the {be['items']:,} items' full IDs scored by
log-likelihood, as a catalogue-wide beam; on {be['exact_check']['users']} users, ranking every item, the catalogue-wide beam checked against `exact_topk`: {be['exact_check']['agreement']:.0%} agreement):

| ranking | share of the exact top-10 found | Recall@10 | NDCG@10 | ms a user |
|---|---|---|---|---|
{rows}
{verdict} (Times: {be.get('batch', 2)} users a batch, {th} thread{'s' * (th != 1)}{beside}.)

"""

def markov_section(res:Path) -> str:
    "Where the model wins and loses against the first-order Markov chain (`benchmarks/vs_markov.py`)."
    vm = load(res, 'vs_markov.json')
    t, v = vm['splits']['test'], vm['splits']['valid']
    nd = lambda d, m: f"{d[m + '_ndcg']:.3f}" if m + '_ndcg' in d else ''  # NDCG@10 per group (older results lack it)
    row = lambda g, d, dv: f"| {g} | {d['share']:.1%} | {d['tiger']:.3f} | {d['markov']:.3f} | {nd(d, 'tiger')} | {nd(d, 'markov')} | {dv['tiger']:.3f} | {dv['markov']:.3f} |\n"
    rows = ''.join(row(f"bought {g} times in training", d, v['by_target_purchases'][g]) for g, d in t['by_target_purchases'].items())
    rows += ''.join(row({'later': 'a later successor of the last item', 'not a successor': 'not a successor of the last item'}.get(g, f"the last item's {g} successor"), d, v['by_markov_successor_rank'][g])
                    for g, d in t['by_markov_successor_rank'].items())
    miss = t['missed_first_successor']
    head, tail = t['by_target_purchases']['50+'], t['by_target_purchases']['0-4']
    vs = lambda d: 'ahead' if d['tiger'] > d['markov'] else 'behind' if d['tiger'] < d['markov'] else 'level'
    ahead, behind = vs(head), vs(tail)
    far = ': mostly it predicts another region of the ID space, not a near neighbour' if miss['top10_shares_prefix']['1'] < 0.5 else ''
    rarer = t['by_target_purchases']['0-4']['share'] > v['by_target_purchases']['0-4']['share']
    per_hit = ''
    first = t['by_markov_successor_rank']['1st']
    if 'tiger_ndcg' in first:
        ph = lambda d, m: d[m + '_ndcg'] / d[m] if d[m] else 0.0  # NDCG@10 per hit: 1 when every hit ranks first
        per_hit = (f"\nNDCG@10 per hit (NDCG@10 over Recall@10; 1 if every hit ranked first): TIGER {t['tiger']['NDCG@10'] / t['tiger']['Recall@10']:.2f}, "
                   f"Markov {t['markov']['NDCG@10'] / t['markov']['Recall@10']:.2f} over all test users; for the last item's 1st successor, "
                   f"TIGER {ph(first, 'tiger'):.2f} and Markov {ph(first, 'markov'):.2f}.\n")
    mix = {m: sum(d['share'] * v['by_target_purchases'][g][m] for g, d in t['by_target_purchases'].items()) for m in ('tiger', 'markov')}
    return f"""**Where does it lose to the Markov chain?** `benchmarks/results/vs_markov.json` (`{vm['command']}`) splits the
users by their target: how often it was bought in training, and its rank among the training successors of the
history's last item (the Markov chain's list). Recall@10 on test (share of test users), NDCG@10 on test, and Recall@10 on validation:

| test users whose target is ... | share | TIGER | Markov | TIGER NDCG@10 | Markov NDCG@10 | TIGER, valid | Markov, valid |
|---|---|---|---|---|---|---|---|
{rows}{per_hit}
On test the two models hit together for {t['overlap']['both']:.4f} of the users, and one or the other for {t['overlap']['either']:.4f}
(TIGER {t['tiger']['Recall@10']:.4f}, Markov {t['markov']['Recall@10']:.4f}). TIGER is {ahead} on the most
bought targets and {behind} on those bought fewer than 5 times; it misses the Markov chain's first choice for {miss['users']:,} test users,
and for those {miss['top10_shares_prefix']['1']:.0%} of its top-10 lists hold an item with the target's first code at all{far}.
Test targets are {'rarer' if rarer else 'no rarer'} in training than validation ones
(bought fewer than 5 times: {t['by_target_purchases']['0-4']['share']:.0%} of test users, {v['by_target_purchases']['0-4']['share']:.0%} of validation users).
Validation's Recall@10 per group, weighted by the test users' shares, gives {mix['tiger']:.4f} for TIGER (validation {v['tiger']['Recall@10']:.4f},
test {t['tiger']['Recall@10']:.4f}) and {mix['markov']:.4f} for Markov (validation {v['markov']['Recall@10']:.4f}, test {t['markov']['Recall@10']:.4f}):
how much of each drop the rarer test targets explain, the rest being a drop within the groups.
"""

def causal_section(res:Path) -> str:
    "One encoder pass per user against sliding windows (`benchmarks/causal_training.py`)."
    b = load(res, 'causal_training.json')
    w, s, it = b['windows'], b['segments'], b['item_tokens']
    return f"""### One encoder pass per user

Sliding windows make the encoder read a user's early items again for every later target: Beauty's 131,413
windows hold {w['encoder_tokens'] / 1e6:.2f} M history tokens. With `--causal`, the encoder is block-causal (an item
sees itself and earlier items), so one pass over a user's items yields the memory of every prefix, and all of the
user's targets train from it: {s['encoder_tokens'] / 1e6:.2f} M tokens an epoch, and {it['encoder_tokens'] / 1e6:.2f} M with one token per item
(`--item-tokens`). The notebook tests check that this gives the same losses and gradients as encoding each target's
history alone. From `benchmarks/results/causal_training.json`
(`{b['command']}`, paper size, {b['precision']}, dropout {b['dropout']:g}, all three in one run):

| | encoder | batch | training targets/s | one epoch |
|---|---|---|---|---|
| sliding windows | bidirectional | {w['batch_size']} windows | {w['targets_per_s']:.0f} | {w['epoch_seconds'] / 60:.1f} min |
| one pass per user | causal | {s['batch_size']} users' segments | {s['targets_per_s']:.0f} | {s['epoch_seconds'] / 60:.1f} min |
| one pass per user, one token per item + item embeddings | causal | {it['batch_size']} users' segments | **{it['targets_per_s']:.0f}** | **{it['epoch_seconds'] / 60:.1f} min** |

**{b['ratio']['targets_per_s']:.1f}x** the training targets per second with one pass per user, **{b['ratio']['item_tokens_targets_per_s']:.1f}x** with one token per item
as well. Users with more than 21 training items are cut into overlapping segments; their later targets see 11-20
items of history in training instead of exactly 20.

"""

def speed_section(res:Path) -> str:
    "Batch size and torch.compile (`benchmarks/train_speed.py`)."
    ts = load(res, 'train_speed.json')
    rs = {(r['batch_size'], r['compiled']): r for r in ts['results']}
    bss = sorted({b for b, _ in rs})
    cell = lambda r: r['error'][:40] if 'error' in r else f"{r['targets_per_s']:.0f}"
    def row(bs):
        e, c = rs[(bs, False)], rs.get((bs, True))
        comp = '- | -' if c is None else f"{cell(c)} | " + ('-' if 'error' in c else f"{c['targets_per_s'] / e['targets_per_s']:.2f}x")
        return f"| {bs} | {e['targets_per_s']:.0f} ({e['ratio_to_reference']:.2f}x) | {comp} |\n"
    top = ts['profile']['top']
    share = lambda *ops: sum(o['share'] for o in top if o['op'] in ops)
    c0 = rs.get((bss[0], True))
    drop = share('aten::bernoulli_')  # torch's dropout; the byte dropout draws with `random_` instead
    masks = (f"drawing dropout masks (`aten::bernoulli_`) {drop:.0%}. That profile predates the byte dropout (\"The training step\" below), which\nreplaced torch's mask." if drop else
             f"drawing dropout masks (`aten::random_`, the byte dropout) {share('aten::random_'):.0%}.")
    if any('error' in c or c['targets_per_s'] >= rs[(b, False)]['targets_per_s'] for (b, comp), c in rs.items() if comp):
        raise SystemExit("train_speed.json: torch.compile is no longer slower at every batch size; rewrite the text of speed_section")
    return f"""### Batch size and `torch.compile`

`benchmarks/train_speed.py` times the Beauty recipe's model ({ts['model'].replace(' (the recipe)', '')}, dropout {ts['dropout']:g}, {ts['precision']}) in one
run: eager PyTorch at several batch sizes, and the same with every encoder and decoder block `torch.compile`d
(dynamic shapes). From `benchmarks/results/train_speed.json` (`{ts['command']}`):

| batch (users' segments) | eager, targets/s (against batch {bss[0]}) | compiled, targets/s | compiled against eager |
|---|---|---|---|
{''.join(row(bs) for bs in bss)}
`torch.compile` does not pay on this CPU: it is slower at every batch size, after {c0['seconds_with_warmup']:.0f} s of compiling. The largest batch's
slump is probably recompilation for new shapes inside the timed steps (not checked). Dynamo also breaks the graph at a
data-dependent length check in `padded_to_jagged`. Larger batches do pay: batch {bss[1]} trains {rs[(bss[1], False)]['ratio_to_reference']:.2f}x the targets a second of batch {bss[0]}, which the causal runs above used.
In an eager step at batch {bss[0]}, matrix products (`aten::mm`, `bmm`, `addmm`) take {share('aten::mm', 'aten::bmm', 'aten::addmm'):.0%} of the operators' time and
{masks}

"""

def precision_section(res:Path) -> str:
    "bf16 autocast against fp32 on one CPU (`benchmarks/precision.py`)."
    pr = load(res, 'precision.json')
    made = [precision(load(res, n)) for n in RUNS]
    n_bf16 = made.count('bf16 autocast')
    m, mm = pr['median_steps_per_s'], pr['matmul_flop_per_s']
    faster = pr['bf16_vs_fp32'] >= 1
    return f"""### bf16 or fp32

bf16 autocast pays only where the CPU computes bfloat16 natively (AVX512-BF16 or AMX); elsewhere PyTorch emulates it.
`tigress train`, the demo and the speed benchmarks therefore use it by default only there (`tigress.train.native_bf16`;
`--bf16` / `--no-bf16` override), and each result JSON records the `precision` it trained in. On a {pr['threads']}-core {cpu(pr['machine'])}, `benchmarks/results/precision.json` (`{pr['command'].strip()}`; the recipe's model, batch {pr['batch_size']},
dropout {pr['dropout']:g}, the same batches in each precision, {len(pr['rounds']['fp32'])} alternating rounds of {pr['steps_per_round']} steps):

| | training steps/s (median of rounds) | plain 1024³ matmul |
|---|---|---|
| fp32 | {m['fp32']:.2f} | {mm['fp32'] / 1e9:.1f} GFLOP/s |
| bf16 autocast | {m['bf16']:.2f} ({pr['bf16_vs_fp32']:.2f}x fp32) | {mm['bf16'] / 1e9:.1f} GFLOP/s |

{"bf16 autocast is the faster of the two here, and the default." if faster else f"Emulated bf16 makes a training step {1 / pr['bf16_vs_fp32']:.0f} times slower here, so training here defaults to fp32, where a step of the recipe takes about {1 / m['fp32']:.2f} s."} Of the {len(made)} Beauty runs above, {n_bf16} trained in bf16 autocast on CPUs with native
bf16 and {len(made) - n_bf16} in fp32; the commands list says which.

"""

FIXED = 'tiger_beauty_idrop25_s3.json'  # the first Beauty run made with the first three fixes to the training step; RUNS after it were too
BYTES = 'tiger_beauty_idrop25_s4.json'  # the first made with the byte dropout (`tigress.decoder.dropout`); RUNS after it were too

def made_after(res:Path) -> str:
    "Which of the table's Beauty runs were made with the training step's fixes (`FIXED`, `BYTES` and the `RUNS` after each), named by their labels."
    after = lambda first: '; '.join(f'"{label(load(res, n))}"' for n in RUNS[RUNS.index(first):]) if first in RUNS else ''
    bytes_ = after(BYTES)
    return ("Every Beauty run in the table above was made before the first three fixes except " + after(FIXED) + '; '
            + (f"of those, only {bytes_} drew its dropout masks from bytes." if bytes_ else "none of them used the byte dropout."))

def step_section(res:Path) -> str:
    "The training step with and without this project's four fixes to it (`benchmarks/train_step.py`)."
    st = load(res, 'train_step.json')
    m, x = st['median_steps_per_s'], st['speedup']
    say = {'before': 'the step as it was (all four undone)', 'loop': "torch's per-parameter AdamW loop", 'index': "the recency bias's gradient by the indexing backward",
           'nan-fill': 'deterministic mode filling new tensors with NaN', 'dropout': "torch's dropout (a 32-bit draw per element)",
           'now': 'the step as `tigress train` takes it now'}
    rows = ''.join(f"| {say[n]} | {m[n]:.2f} | {x[n]:.2f}x |\n" for n in st['rounds'])
    return f"""### The training step

Four fixes took waste out of a training step: the fused AdamW kernel instead of a loop over 128 parameter tensors
(`tigress.train.adamw`), the recency bias's gradient summed by `bincount` instead of the indexing backward, which
sorts every index under torch's deterministic algorithms (`tigress.decoder.lookup`), deterministic mode without
its NaN-filling of every new tensor, a debugging aid (`tigress.rqvae.deterministic`), and dropout masks drawn from one
random byte per element instead of torch's 32-bit draw (`tigress.decoder.dropout`). `benchmarks/results/train_step.json`
(`{st['command']}`; the recipe's model as `tigress train` steps it, batch {st['batch_size']}, {st['precision']}, {st['threads']}-core
{cpu(st['machine'])}, the same batches for each variant, {len(st['rounds']['now'])} rounds of {st['steps_per_round']} steps) undoes them one at a time:

| step | steps/s (median of rounds) | the step now, against it (median of per-round ratios) |
|---|---|---|
{rows}
{made_after(res)} The first three fixes change results only by float rounding. The byte dropout draws other masks than
torch's and rounds the rate to the nearest 1/256 (0.2 becomes 51/256 = 0.1992), so a run with it does not repeat an
earlier run of the same seed.

"""

def whole_reruns(res:Path, where:str) -> str:
    "What the reruns quoted under the README paragraph `where` (`RERUNS`) did against their first runs, over the whole run."
    out = ''
    for n, (first, why, _, at) in RERUNS.items():
        if at != where: continue
        a, b = load(res, first), load(res, n)
        mem = lambda r: f", peak memory {r['peak_rss_gib']:.1f} GiB" if 'peak_rss_gib' in r else ''
        took = lambda r: ', '.join(f"{h['seconds'] - t:,.0f}" for h, t in zip(r['history'], [0] + [h['seconds'] for h in r['history']]))  # a pace that drifts shows
        steps = [h['step'] for h in b['history']]
        out += (f" Over a whole run: seed {', '.join(map(str, a.get('seeds', [0])))} of the recipe (`{first}`), made again with {why} (`{n}`), trained at "
                f"{pace(b):.2f} steps/s with validations against {pace(a):.2f} ({pace(b) / pace(a):.2f}x; {a['stage_seconds']['training'] / 60:.1f} min of training became "
                f"{b['stage_seconds']['training'] / 60:.1f}) and gave the same validation and test figures; end to end {a['stage_seconds']['total'] / 60:.1f} min became "
                f"{b['stage_seconds']['total'] / 60:.1f}{mem(b)}, with the text embeddings {'computed' if cached(b) == '' else 'read from the cache'} this time "
                f"({b['stage_seconds']['embeddings']:.0f} s; {a['stage_seconds']['embeddings']:.0f} s the first time, {'computed' if cached(a) == '' else 'read from the cache'}). The two were made in different working sessions, between which this machine's pace can differ by about 10%."
                + (f" The stretches of training up to its validations at steps {', '.join(f'{x:,}' for x in steps)} took {took(b)} s ({took(a)} s the first time)."
                   if [h['step'] for h in a['history']] == steps else '')
                + (f" The rerun's `stage_seconds_note`: {b['stage_seconds_note']}" if 'stage_seconds_note' in b else ''))
    return out

def cache_section(res:Path) -> str:
    "oneDNN's kernel cache (`benchmarks/onednn_cache.py`), and the recipe's run made again with it (`RERUNS`)."
    oc = load(res, 'onednn_cache.json')
    med = lambda c: statistics.median(x['steps_per_s'] for x in oc['runs'][c])
    say = {'1024': " (oneDNN's default)"}
    rows = ''.join(f"| {int(c):,}{say.get(c, '')} | {med(c):.2f} | "
                   + ', '.join(f'{v:.2f}' for v in oc['runs'][c][0]['window_steps_per_s']) + f" | {oc['ratio'][c]:.2f}x | {max(x['peak_rss_mb'] for x in oc['runs'][c]) / 1024:.1f} |\n"
                   for c in oc['capacities'])
    same = 'the losses after every window are bit-identical at every capacity' if oc['losses_identical'] else '**the losses differ between capacities**'
    whole = whole_reruns(res, CACHE)
    return f"""**{CACHE}.** On the CPU torch computes bf16 matrix products with oneDNN, which compiles a kernel for
each shape and keeps the last `ONEDNN_PRIMITIVE_CACHE_CAPACITY` of them, 1,024 unless set. Jagged, length-bucketed batches
bring more shapes than that, so the cache keeps evicting kernels and compiling them again. oneDNN reads the variable once,
at its first kernel, so it must be in the environment before Python starts. tigress leaves it at the default: the
cached kernels hold memory, and a capacity that fills up churns the allocator (below).
`benchmarks/results/onednn_cache.json` (`{oc['command']}`; the recipe's first {oc['steps']:,} steps from a fresh model, batch {oc['batch_size']}, {oc['precision']},
{oc['machine']['torch_threads']}-core {cpu(oc['machine'])}, each capacity in a fresh process, {(lambda k: f'{k} round' + 's' * (k > 1))(len(oc['runs'][oc['reference']]))}) trains them at each capacity:

| cache capacity (kernels) | steps/s (median of rounds) | steps/s per {oc['window']} steps (first round) | against {int(oc["reference"]):,} | peak memory, GiB |
|---|---|---|---|---|
{rows}
The arithmetic is the same: {same}.{whole}

"""

def malloc_section(res:Path) -> str:
    "glibc's malloc against jemalloc (`benchmarks/malloc.py`), and the stopped runs that showed it (`partial_runs.json`, `tools/partial_run.py`)."
    m, pr = load(res, 'malloc.json'), load(res, 'partial_runs.json')
    c8, jm = pr['cache8192_glibc'], pr['jemalloc_6k']
    first, again = load(res, 'tiger_beauty_idrop25_s5.json'), load(res, 'tiger_beauty_idrop25_s5_rerun.json')
    at = lambda hist, step: next(h for h in hist if h['step'] == step)
    v, v1, v2 = at(jm['validations'], 6000), at(first['history'], 6000), at(again['history'], 6000)
    same6k = all(v[k] == v1[k] for k in ('loss', 'Recall@10', 'NDCG@10'))
    med, vs = lambda k: statistics.median(x['steps_per_s'] for x in m['runs'][k]), {'glibc': 1.0, 'jemalloc': m['ratio']}
    rows = ''.join(f"| {name} | {med(k):.2f} | " + ', '.join(f'{x:.2f}' for x in m['runs'][k][0]['window_steps_per_s'])
                   + f" | {vs[k]:.2f}x | {max(x['peak_rss_mb'] for x in m['runs'][k]) / 1024:.1f} |\n"
                   for k, name in (('glibc', "glibc's malloc"), ('jemalloc', f"jemalloc (`{Path(m['jemalloc']).name}`)")))
    early, late = c8['pace_by_minute'][:5], c8['pace_by_minute'][-5:]
    spy = c8['py_spy']
    return f"""**{ALLOCATOR}.** A capacity between the two did not help: seed 5 of the recipe with the cache at 8,192 kernels
(`partial_runs.json`, entry `cache8192_glibc`) trained at {statistics.mean(early):.2f} steps/s in its first 5 minutes and at
{statistics.mean(late):.2f} in its last 5 counted ({len(c8['pace_by_minute'])} minutes, step {c8['steps_done']:,} when stopped, {c8['peak_rss_gib']:.1f} GiB at its peak).
A py-spy profile of its training thread ({spy['samples']:,} samples) found {spy['posix_memalign']:.0%} of it in glibc's `posix_memalign` and
{spy['malloc']:.0%} in `malloc`: as oneDNN frees evicted kernels and compiles new ones between the step's large tensors, glibc's heap
fragments and every allocation searches longer. jemalloc does not degrade so. `benchmarks/results/malloc.json` (`{m['command']}`;
the recipe's first {m['steps']:,} steps from a fresh model, batch {m['batch_size']}, {m['precision']}, the kernel cache at {int(m['capacity']):,}, {m['machine']['torch_threads']}-core {cpu(m['machine'])},
each allocator in a fresh process):

| allocator | steps/s (median of rounds) | steps/s per {m['window']} steps (first round) | against glibc | peak memory, GiB |
|---|---|---|---|---|
{rows}
The losses are {'bit-identical' if m['losses_identical'] else '**not** identical'} under both. So `tigress train`, `demo` and `evaluate` start again under jemalloc when the
machine has it (`tigress.cli.restart_with_jemalloc`; Debian and Ubuntu: `apt-get install libjemalloc2`, which `.ci/run`
installs; `TIGRESS_MALLOC=system` opts out), and each result JSON records its allocator (`machine.malloc`). Notebooks and
papermill runs train in their kernel's process, which inherits the environment: start JupyterLab or papermill with
`LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2` for the same. Over the first
{v['step']:,} steps of seed 5 (`partial_runs.json`, entry `jemalloc_6k`: `{jm['command']}`), jemalloc reached the step-{v['step']:,}
validation in {v['seconds']:.0f} s, against {v1['seconds']:.0f} s for seed 5's first run (glibc, cache 1,024) and {v2['seconds']:.0f} s for its rerun
(glibc, cache 65,536){', with the same loss and validation figures' if same6k else ', **with other figures**'}, and over those steps its pace held: {statistics.mean(jm['pace_by_minute'][:5]):.2f} steps/s over
its first 5 minutes, {statistics.mean(jm['pace_by_minute'][-5:]):.2f} over its last 5.{whole_reruns(res, ALLOCATOR) or ' A whole Beauty run under jemalloc has not been made yet.'}

"""

def target_frac_section(res:Path) -> str:
    "Training a share of each segment's targets (`benchmarks/target_frac.py`)."
    tf = load(res, 'target_frac.json')
    rows = ''.join(f"| {r['target_frac']:g} | {r['targets_per_step']:.0f} | {r['steps_per_s']:.2f} ({r['steps_per_s_vs_reference']:.2f}x) | {r['targets_per_s']:.0f} |\n" for r in tf['results'])
    return f"""### Training a share of the targets

A causal step's cost is mostly the decoder's, which runs once per target. `--target-frac` trains a random share of each
user segment's targets at every step (at least one each; `tigress.train.sample_targets`), while the encoder still reads
every history. `benchmarks/results/target_frac.json` (`{tf['command'].strip()}`; the recipe's model, batch {tf['batch_size']}, {tf['precision']},
{tf['threads']}-core {cpu(tf['machine'])}, the same batches for each share, {len(tf['results'][0]['rounds'])} alternating rounds of {tf['steps_per_round']} steps; the encoder reads {tf['encoder_items_per_step']:.0f} history items a step):

| share of targets | targets a step | training steps/s (median) | targets/s |
|---|---|---|---|
{rows}
Fewer targets a step make each step cheaper but not proportionally. What a share costs in accuracy only a full
training run tells; the run table above lists any run made with one (its command has `--target-frac`).

"""

def cornac_section(res:Path) -> str:
    "Training and generation speed against cornac's TIGER (`benchmarks/speed_vs_cornac.py`)."
    d = load(res, 'speed_vs_cornac.json'); o, c = d['ours'], d['cornac']
    gb = lambda mb: f"{mb / 1024:.1f} GiB"
    return f"""### Speed against cornac's TIGER

The paper's model size, batch {o['batch_size']}, Beauty, {o['threads']} CPU cores, both in one run of
`{d['command']}` (`benchmarks/results/speed_vs_cornac.json`; each side in its own process, cornac 3.0.1 through
`../shared/peers/cornac_tiger_beauty.py`):

| | training examples/s | test users/s (beam {o['beam']}, K = {o['k']}) | peak memory |
|---|---|---|---|
| tigress ({o['precision']}) | **{o['train_examples_per_s']:.1f}** | **{o['generate_users_per_s']:.1f}** | {gb(o['peak_rss_mb'])} |
| cornac 3.0.1 | {c['train_examples_per_s']:.1f} | {c['generate_users_per_s']:.1f} | {gb(c['peak_rss_mb'])} |
| ratio | **{o['train_examples_per_s'] / c['train_examples_per_s']:.1f}x** | **{o['generate_users_per_s'] / c['generate_users_per_s']:.1f}x** | {o['peak_rss_mb'] / c['peak_rss_mb']:.2f}x |

Training runs at {o['train_flop_per_s'] / 1e9:.1f} GFLOP/s, {o['share_of_matmul_peak']:.0%} of a plain 2048³ matmul's
{o['matmul_flop_per_s']['bf16'] / 1e9:.0f} GFLOP/s on the same cores (FLOPs counted by
`torch.utils.flop_counter`): small matrices (d_model {c['config']['d_model']}) and the per-token work around them keep it far from peak.

"""

def gpu_section(res:Path) -> str:
    "On a CUDA GPU against the same machine's CPU (`benchmarks/gpu_speed.py`), and the Triton kernels (`benchmarks/jagged_gpu.py`)."
    d, j, k = load(res, 'gpu_speed.json'), load(res, 'jagged_gpu.json'), load(res, 'gpu_recency.json')
    g, c, r, a = d['results']['cuda'], d['results']['cpu'], d['ratio'], d['agreement']
    rows = ''.join(f"| {x['users']:,} | {x['tokens']:,} ({x['padded_share']:.0%}) | {x['attention_ms']['triton_jagged']:.3f} | {x['attention_ms']['sdpa_padded']:.3f} "
                   f"({x['attention_speedup_vs_padded']:.2f}x) | {x['bias_attention_ms']['triton_jagged']:.3f} | {x['bias_attention_ms']['sdpa_padded']:.3f} ({x['bias_attention_speedup_vs_padded']:.2f}x) "
                   f"| {x['jagged_to_padded_ms']['triton']:.3f} | {x['jagged_to_padded_ms']['torch']:.3f} ({x['jagged_to_padded_speedup']:.1f}x) |\n" for x in j['results'])
    if r['generate_triton_vs_padded'] >= 1: raise SystemExit("gpu_speed.json: the Triton generation path is no longer slower end to end; rewrite the text of gpu_section")
    kt, kp, kc = k['results']['triton_jagged'], k['results']['padded'], k['cpu_reference']
    if k['max_abs_diff_vs_cpu'] >= 0.001: raise SystemExit("gpu_recency.json: the GPU's figures differ from the CPU's; rewrite the text of gpu_section")
    fig = lambda m: f"{m['Recall@10']:.4f} / {m['NDCG@10']:.4f}"
    return f"""### On a GPU

Training and generation run on a CUDA GPU (`tigress train --device cuda`, the default where there is one), with
bf16 mixed precision. `tests/test_gpu.py` (skipped without a GPU) checks there that the compiled Triton kernels and
their gradients equal the torch path, that every parameter's gradient on the GPU matches the CPU's, that the beam
search returns the CPU's lists (with the recency biases and without), and that a run resumed from its checkpoint
ends as the uninterrupted one.

Side by side in one run on {g['gpu']} and the same machine's {c['threads']} CPU threads (`benchmarks/results/gpu_speed.json`,
`{d['command']}`): the paper's model size, Beauty, untrained weights:

| | training examples/s (batch {g['train']['batch_size']}, bf16) | test users/s (beam 20, K = 10) |
|---|---|---|
| GPU | **{g['train']['examples_per_s']:,.0f}** | **{g['generate_triton']['users_per_s']:,.0f}** (Triton jagged cross-attention), {g['generate_padded']['users_per_s']:,.0f} (padded) |
| CPU, {c['threads']} threads | {c['train']['examples_per_s']:,.0f} | {c['generate_padded']['users_per_s']:,.0f} |
| ratio | {r['train']:.1f}x | {r['generate']:.1f}x |

The GPU and CPU top-10 lists agree on {a['triton_gpu_vs_cpu']:.1%} of their items. Peak GPU memory: {g['peak_gpu_mb'] / 1024:.1f} GiB.
The model is small, so the GPU probably waits mostly on kernel launches (not profiled) and small batches gain least there.

The Triton jagged attention against PyTorch's `scaled_dot_product_attention` on padded keys (padding done
beforehand, not charged), at generation's shapes (20 beams, {j['heads']} heads of {j['head_dim']}, {j['dtype']}; `benchmarks/results/jagged_gpu.json`),
plain and with a score bias per key and head (the recency bias's form; SDPA takes it as a float mask built beforehand):

| users | keys (padding) | Triton jagged attention, ms | padded SDPA, ms | with bias: Triton, ms | with bias: SDPA, ms | Triton jagged -> padded, ms | torch, ms |
|---|---|---|---|---|---|---|---|
{rows}
The kernel wins alone, but not end to end: with the untrained paper-size model above, the whole beam search is
{1 / r['generate_triton_vs_padded']:.2f}x faster with the padded path, since the jagged one first converts the memory and the attention is a
small part of a step; with the trained model below the two paths run level. The Triton path stays the default on
the GPU for now (an open question, not settled by two benchmarks).

A trained model with the recency biases (the seed-0 recency run) on {k['gpu']}, every validation and test user at
beam {k['beam']} (`benchmarks/results/gpu_recency.json`, `{k['command']}`, where `{k['run']}` held a copy of
`runs/train/beauty_recency`'s `semids/ids.json` and `model/best.pt`, and the JSON a copy of `tiger_beauty_recency.json`): the Triton path gives test Recall@10 / NDCG@10 {fig(kt['test']['metrics'])}
(validation {fig(kt['valid']['metrics'])}), the padded path {fig(kp['test']['metrics'])}, and the run's own CPU evaluation
{fig(kc['test'])}: at most {k['max_abs_diff_vs_cpu']:.5f} apart. The two GPU paths' top-10 lists share
{k['agreement']['top10_overlap']:.2%} of their items ({k['agreement']['identical_lists']:.1%} of the lists are identical: the kernel's dot products
run in TF32), and on this model they run at the same pace: {kt['test']['users_per_s']:,.0f} against {kp['test']['users_per_s']:,.0f} test users/s.

"""

def embed_section(res:Path) -> str:
    "Text and image embedding speed against the plain library calls (`benchmarks/embed_speed.py`)."
    d, vl = load(res, 'embed_speed.json'), load(res, 'embed_speed_vitl14.json')
    t, im = d['text'], d['image']
    return f"""### Embedding speed

All {t['items']:,} Beauty item texts ({t['model']}) and {im['items']} demo images (CLIP {'/'.join(im['arch'].rsplit('-', 1))}), {d['threads']} CPU cores, from
`benchmarks/results/embed_speed.json` (`{d['command']}`). The reference
is the plain library call in the same process: `SentenceTransformer.encode` (fp32) and an open_clip
`encode_image` loop.

| | reference | tigress, first run | tigress, second run (cache) |
|---|---|---|---|
| text, items/s | {t['reference_items_per_s']:.1f} | {t['ours_cold_items_per_s']:.1f} ({t['ratio_cold_vs_reference']:.1f}x, bf16 autocast) | {t['ours_warm_items_per_s']:,.0f} ({t['cache_speedup']:.0f}x the first run) |
| image, items/s | {im['reference_items_per_s']:.1f} | {im['ours_cold_items_per_s']:.1f} ({im['ratio_cold_vs_reference']:.1f}x) | {im['ours_warm_items_per_s']:,.0f} ({im['cache_speedup']:.0f}x) |

bf16 autocast (used where the CPU has native bf16) keeps a cosine similarity above 0.9999 to fp32 vectors. CLIP
ViT-L/14, the paper's image model, runs at {vl['image']['ours_cold_items_per_s']:.1f} image/s on this CPU (`benchmarks/results/embed_speed_vitl14.json`):
Beauty's 12,101 images would
take hours here, which is why its image stage belongs on a GPU (and the shared copy has no images anyway).

"""

def render(res:Path) -> str:
    "The whole generated span, as markdown."
    return runs_table(res) + beam_section(res) + markov_section(res) + causal_section(res) + speed_section(res) + precision_section(res) + step_section(res) + cache_section(res) + malloc_section(res) + target_frac_section(res) + cornac_section(res) + gpu_section(res) + embed_section(res)

def splice(text:str, section:str, where:str) -> str:
    "`text` with its START..END span replaced by `section`."
    if START not in text or END not in text: raise SystemExit(f"{where}: no '{START}' ... '{END}' span to replace")
    a, b = text.index(START), text.index(END)
    return text[:a] + section + text[b:]

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--results', default='benchmarks/results', help='folder of result JSONs')
    p.add_argument('--notebook', default='nbs/index.ipynb', help="the README's source notebook")
    p.add_argument('--readme', default='README.md', help='checked by --check: made from the notebook by `make readme`')
    p.add_argument('--check', action='store_true', help='change nothing; exit 1 when the notebook or README is out of date')
    a = p.parse_args(argv)
    section, nbp = render(Path(a.results)), Path(a.notebook)
    import nbformat
    nb = nbformat.read(nbp, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == 'markdown' and START in c.source]
    if len(cells) != 1: raise SystemExit(f"{nbp}: {len(cells)} markdown cells hold '{START}'; expected 1")
    old = cells[0].source
    new = splice(old, section, str(nbp))
    if a.check:
        stale = [str(nbp)] if new != old else []
        readme = Path(a.readme).read_text()
        if splice(readme, section.replace('](images/', '](nbs/images/'), a.readme) != readme: stale.append(a.readme)
        if stale: sys.exit(f"out of date: {', '.join(stale)}; run `python tools/readme_results.py && make readme`")
        print('README results are up to date'); return
    if new != old:
        cells[0].source = new
        nbformat.write(nb, nbp)
    print(f"{nbp}: {'rewrote' if new != old else 'already up to date'} the section '{START}' ... '{END}'")

if __name__ == '__main__': main()
