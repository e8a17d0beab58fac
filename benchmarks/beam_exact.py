"""Does the beam search limit a trained model's accuracy? For a seeded sample of users, compare the beam's top-10 with
the exact top-10 (every item's full ID scored by log-likelihood: a beam as wide as the catalogue keeps every prefix,
which the "TIGER model" notebook checks against `exact_topk`): the share of the exact top-10 the beam finds, and
Recall/NDCG@10 of each ranking against the users' real next items. Both rankings leave out the items each user already
had, as `tigress train` and `tigress evaluate` rank (`--no-exclude-seen`: rank every item).

    .venv/bin/python benchmarks/beam_exact.py --run runs/train/beauty_idrop25_s1 --result benchmarks/results/tiger_beauty_idrop25_s1.json

Writes benchmarks/results/beam_exact.json.
"""
import argparse, shlex, sys, time
import numpy as np

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--data', default='beauty'); p.add_argument('--run', required=True, help='a `tigress train --out` folder (semids/ids.json, model/best.pt)')
    p.add_argument('--result', required=True, help="that run's --json (its model configuration)")
    p.add_argument('--split', choices=['valid', 'test'], default='valid'); p.add_argument('--users', type=int, default=200)
    p.add_argument('--beams', default='10,20,50', help='beam widths to compare with the exact ranking')
    p.add_argument('--batch', type=int, default=2, help='users per exact (catalogue-wide) beam search')
    p.add_argument('--check-users', type=int, default=2, help='users on whom the catalogue-wide beam is checked against `exact_topk`')
    p.add_argument('--exclude-seen', action=argparse.BooleanOptionalAction, default=None,
                   help="leave out the items each user already had (default: as `tigress.metrics.seen_policy` decides for the split, like evaluation)")
    p.add_argument('--seed', type=int, default=0); p.add_argument('--out', default='benchmarks/results/beam_exact.json')
    a = p.parse_args(argv)
    import torch
    from tqdm.auto import tqdm
    from tigress.data.loaders import load_dataset
    from tigress.data.split import leave_last_out
    from tigress.decoder import Recommender, step_fn
    from tigress.generate import beam_search, beam_agreement, exact_topk
    from tigress.metrics import target_ranks, rank_metrics, seen_policy
    from tigress.cli import machine_info, write_json, load_run
    model,ids,_ = load_run(a.run, a.result)
    ex = getattr(leave_last_out(load_dataset(a.data)), a.split)
    users = np.sort(np.random.default_rng(a.seed).choice(len(ex), min(a.users, len(ex)), replace=False))
    rec = Recommender(model, ids)
    seen = (ex.seen if ex.seen is not None else ex.histories) if seen_policy(ex, a.exclude_seen) else None
    beams = [int(b) for b in a.beams.split(',')]
    out = {b: [] for b in beams + ['exact']}; secs = {b: 0.0 for b in out}; c,check = 0,None
    for s in tqdm(range(0, len(users), a.batch), desc='users'):
        u = users[s:s + a.batch]
        tokens,offsets = rec.tokens(ex.histories[u])
        exc = None if seen is None else torch.as_tensor(seen[u].padded(left=False), dtype=torch.int64)
        with torch.no_grad():
            mem,mask = model.encode(tokens, offsets, ex.users[u])
            for b in beams + ['exact']:
                t = time.perf_counter()
                items,_ = beam_search(step_fn(model, mem, mask, rec.table.V), len(u), rec.table, rec.table.n if b == 'exact' else b, 10, exc)
                secs[b] += time.perf_counter() - t; out[b].append(items.numpy())
            if s == 0 and a.check_users:  # the wide beam is the exact ranking: check it against scoring every ID without the beam
                c = min(a.check_users, len(u))  # exact_topk ranks every item, so the wide beam it is checked against does too
                wide,_ = beam_search(step_fn(model, mem[:c], mask[:c], rec.table.V), c, rec.table, rec.table.n, 10)
                ref,_ = exact_topk(step_fn(model, mem[:c], mask[:c], rec.table.V, cache=False), c, rec.table, k=10, chunk=1024)
                check = beam_agreement(wide, ref)
    items = {b: np.concatenate(v) for b,v in out.items()}
    targets = ex.targets[users]
    had = [set(seen[int(v)].tolist()) for v in users] if seen is not None else None
    returned_seen = 0 if had is None else int(sum(len(had[j] & set(items[b][j].tolist())) for b in items for j in range(len(users))))
    if returned_seen: raise SystemExit(f"{returned_seen} returned items were among the users' own: the exclusion failed")
    res = {str(b): dict(**rank_metrics(target_ranks(items[b], targets), (10,)), agreement=beam_agreement(torch.as_tensor(items[b]), torch.as_tensor(items['exact'])),
                        seconds_per_user=secs[b] / len(users)) for b in out}
    for b,r in res.items(): print(f"beam {b:>5}: {r['agreement']:.1%} of the exact top-10, Recall@10 {r['Recall@10']:.4f}, NDCG@10 {r['NDCG@10']:.4f}, {r['seconds_per_user'] * 1000:.0f} ms a user")
    args = sys.argv[1:] if argv is None else argv
    if c: print(f"the catalogue-wide beam holds {check:.0%} of `exact_topk`'s top-10 on {c} users")
    protocol = 'full ranking without the items each user already had' if seen is not None else 'full ranking of every item'
    print(f"{a.split}, {len(users)} users: {protocol}")
    write_json(a.out, dict(dataset=a.data, split=a.split, protocol=protocol, users=len(users), batch=a.batch, items=int(rec.table.n), run=a.run, results=res, exact_check=dict(users=c, agreement=check),
                           command='.venv/bin/python benchmarks/beam_exact.py ' + ' '.join(map(shlex.quote, args)), machine=machine_info()))
    print(f"wrote {a.out}")

if __name__ == '__main__': main()
