"""The README's picture of every TIGER run on Beauty: validation Recall@10 and NDCG@10 (3,000 users) against the
minutes of training, from the result JSONs in benchmarks/results. Dashed: the first-order Markov chain's validation
figures, ranked as the runs' validations were (every item, for runs made before validation left out the items users
already had; without them, for runs made since; both lines when both kinds are drawn); dotted: the 2-hour budget for
a whole run. In colour, every seed of the configuration that is best on validation (the README's headline) and any
other run that reaches both of the paper's figures on test (dashed); in grey, every other run (the README's table names them). Drawn with `tigress.train.plot_runs`; kaleido writes the PNG and
needs Chrome or Chromium (`apt-get install chromium`).

    .venv/bin/python benchmarks/beauty_figure.py

Writes nbs/images/tiger_beauty_valid.png (the README and the docs show it).
"""
import argparse, json, sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[1]/'tools'))
from readme_results import label, load, same_configuration, other_hits  # one naming of runs for the README's table and this figure

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--results', default='benchmarks/results'); p.add_argument('--out', default='nbs/images/tiger_beauty_valid.png')
    a = p.parse_args(argv)
    from tigress.train import plot_runs
    res = Path(a.results)
    rs, kinds = [], set()
    for f in sorted(res.glob('tiger_beauty*.json')):
        r = load(res, f.name)  # with its file name: a rerun's label says so
        if r.get('dataset') != 'beauty' or not r.get('history'): raise ValueError(f"{f}: not a Beauty training result with a validation history")
        rs.append(r); kinds.add('without the items' in (r.get('evaluations') or [r])[0]['protocol'])  # the first evaluation ranks as validation did
    best = same_configuration(max(rs, key=lambda r: r['valid']['NDCG@10']), rs)  # the headline's configuration (chosen on validation), every seed of it
    also = other_hits(best[0], [(None, r) for r in rs])  # other configurations' runs that reach the target
    focus = [label(r, short=True) for r in best + also]
    runs = {label(r, short=True): r['history'] for r in sorted(rs, key=lambda r: any(r is b for b in best + also))}  # the focus drawn last, on top
    refs = {}
    for excl, name, what in ((False, 'baselines_beauty_all.json', 'every item'), (True, 'baselines_beauty.json', 'seen items left out')):
        if excl in kinds:
            mk = json.loads((res/name).read_text())['results']['markov']['valid']
            refs[f'first-order Markov ({what})'] = (mk['Recall@10'], mk['NDCG@10'])
    fig = plot_runs(runs, x='minutes', refs=refs,
                    title='TIGER on Beauty: validation (3,000 users) against training time on the 2-core CPU')
    colours = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf']
    for j,name in enumerate(focus):  # the headline configuration in colour, thick, and other runs that reach the target dashed; every other run thin and grey, named in the table
        c, dash = colours[j % len(colours)], 'dash' if j >= len(best) else 'solid'
        fig.for_each_trace(lambda t: t.update(line_color=c, line_width=3, line_dash=dash, marker_size=6), selector=dict(legendgroup=name))
    fig.for_each_trace(lambda t: t.update(line_color='#b0b0b0', line_width=1, marker_size=3, showlegend=False, legendgroup='other'),
                       selector=lambda t: t.legendgroup not in focus)
    fig.add_scatter(x=[None], y=[None], mode='lines', line=dict(color='#b0b0b0', width=1), legendgroup='other',
                    name=f'{len(runs) - len(focus)} other runs (the README table names them)', row=1, col=1)
    fig.for_each_annotation(lambda a: a.update(yanchor='top'), selector=lambda a: '(every item)' in (a.text or ''))  # below its line, clear of the other
    fig.update_layout(height=520, legend=dict(orientation='h', y=-0.2, font_size=12))
    for c in (1, 2): fig.add_vline(x=120, line_dash='dot', line_color='grey', annotation_text='2 hours', row=1, col=c)  # issue #5's budget, end to end
    out = Path(a.out); out.parent.mkdir(parents=True, exist_ok=True)
    fig.write_image(out, scale=1.5)
    print(f'{len(runs)} runs -> {out}')

if __name__ == '__main__': main()
