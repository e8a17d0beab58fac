"""How long every beyond-accuracy figure takes for one split's top-10 lists (Beauty: 22,363 users), against a plain per-user
Python reference computing the same figures in the same run (and checked to agree with it).

    .venv/bin/python benchmarks/fairness_speed.py --data beauty

The lists are the first-order Markov chain's (what any model's lists cost is the same). Writes benchmarks/results/fairness_speed.json.
"""
import argparse, shlex, sys, time
from collections import Counter
import numpy as np

def reference(lists, targets, cat, k):
    "The same figures, one user and one item at a time: what a first implementation would write."
    expo = Counter(); brands = Counter(); rec_items = set()
    for row in lists:
        for i in row[:k]:
            if i > 0: expo[int(i)] += 1; rec_items.add(int(i))
    x = np.sort(np.array([expo.get(i, 0) for i in range(1, cat.n_items + 1)], float)); n = len(x)
    g = sum((2 * (j + 1) - n - 1) * v for j,v in enumerate(x)) / (n * x.sum())
    for i,c in expo.items():
        if cat.brands[i - 1] >= 0: brands[int(cat.brands[i - 1])] += c
    hits = [list(row[:k]).index(t) if t in row[:k] else -1 for row,t in zip(lists, targets)]
    rng = np.random.default_rng(0); boot = []
    for g_ in range(len(cat.group_names)):  # 1,000 resamples of each group's users
        v = np.array([1.0 if 0 <= h < k else 0.0 for h,gg in zip(hits, cat.groups) if gg == g_])
        boot.append([v[rng.integers(0, len(v), len(v))].mean() for _ in range(1000)])
    head = sum(bool(cat.head[i - 1]) for row in lists for i in row[:k] if i > 0) / sum(1 for row in lists for i in row[:k] if i > 0)
    return dict(coverage=len(rec_items) / cat.n_items, gini=g, head_share=head, brands=len(brands))

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--data', default='beauty'); p.add_argument('--rounds', type=int, default=3)
    p.add_argument('--out', default='benchmarks/results/fairness_speed.json')
    a = p.parse_args(argv)
    from tigress.data.loaders import load_dataset
    from tigress.data.split import leave_last_out
    from tigress.baselines import Markov
    from tigress.fairness import Catalogue, beyond_accuracy
    from tigress.metrics import seen_policy
    from tigress.cli import machine_info, write_json
    ds = load_dataset(a.data); sp = leave_last_out(ds)
    excl = sp.test.seen if seen_policy([sp.valid, sp.test]) else None
    lists = Markov().fit(sp).recommend(sp.test.histories, sp.test.users, 10, exclude=excl)
    t = time.perf_counter(); cat = Catalogue.of(ds, sp); catalogue_s = time.perf_counter() - t
    ours = []
    for _ in range(a.rounds):
        t = time.perf_counter(); block = beyond_accuracy(lists, sp.test.targets, cat); ours.append(time.perf_counter() - t)
    t = time.perf_counter(); ref = reference(lists, sp.test.targets, cat, 10); ref_s = time.perf_counter() - t
    b = block['@10']
    agree = dict(coverage=bool(abs(ref["coverage"] - b["item_coverage"]) < 1e-12), gini=bool(abs(ref["gini"] - b["gini"]["items"]) < 1e-9),
                 head_share=bool(abs(ref["head_share"] - b["popularity"]["head_share"]) < 1e-12))
    if not all(agree.values()): sys.exit(f"the reference disagrees: {agree}")
    print(f"{a.data}: {len(lists):,} users' top-10 lists over {ds.n_items:,} items")
    print(f"every figure at K=5 and 10, with disparity (1,000 bootstrap resamples per group) and {len(cat.cat_names)} categories: "
          f"{np.median(ours):.3f} s (median of {a.rounds}); per-user Python reference (coverage, Gini, head share, brand exposure, "
          f"bootstrap at K=10 only): {ref_s:.1f} s, {ref_s / np.median(ours):.0f}x; the catalogue's preparation: {catalogue_s:.2f} s")
    write_json(a.out, dict(data=a.data, users=len(lists), items=ds.n_items, k=10, seconds=round(float(np.median(ours)), 4),
                           rounds=[round(s, 4) for s in ours], catalogue_seconds=round(catalogue_s, 3), reference_seconds=round(ref_s, 2),
                           reference_covers='coverage, exposure Gini, head share, brand exposure and the bootstrap of Recall@10, at K=10 only',
                           speedup=round(ref_s / float(np.median(ours)), 1), agree=agree,
                           command='.venv/bin/python ' + shlex.join(['benchmarks/fairness_speed.py', *(argv if argv is not None else sys.argv[1:])]),
                           machine=machine_info()))
    print(f"wrote {a.out}")

if __name__ == '__main__': main()
