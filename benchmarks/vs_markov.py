"""Where does a trained TIGER win and lose against the first-order Markov chain? On the same users and protocol (full
ranking without the items each user already had), split the users by how often their target was bought in training
(long tail to head) and by the target's rank among the Markov successors of the history's last item, and report
Recall@10 and NDCG@10 of both models in each group, how often they hit together, and, where the model misses the Markov chain's
first choice, how many of its top-10 share the target's first code (a wrong region of the ID space, or the right
region but the wrong item).

    .venv/bin/python benchmarks/vs_markov.py --run runs/train/beauty_idrop25_s1 --result benchmarks/results/tiger_beauty_idrop25_s1.json

Writes benchmarks/results/vs_markov.json.
"""
import argparse, shlex, sys
import numpy as np

COUNT_BINS = {'0-4': (0, 5), '5-19': (5, 20), '20-49': (20, 50), '50+': (50, np.inf)}  # training purchases of the target item
SUCC_BINS = {'1st': (0, 1), '2nd-3rd': (1, 3), '4th-10th': (3, 10), 'later': (10, np.inf)}  # the target's rank among the last item's Markov successors

def hits(ranks, k=10): return (ranks >= 0) & (ranks < k)

def groups(model_ranks, markov_ranks, masks:dict) -> dict:
    "Users, Recall@10 and NDCG@10 of each model and the share both hit, for every boolean mask of users."
    from tigress.metrics import rank_metrics
    hm,hk = hits(model_ranks),hits(markov_ranks)
    mean = lambda x, m: float(x[m].mean()) if m.any() else None
    ndcg = lambda r, m: rank_metrics(r[m], (10,))['NDCG@10'] if m.any() else None
    return {name: dict(share=float(m.mean()), users=int(m.sum()), tiger=mean(hm, m), markov=mean(hk, m), both=mean(hm & hk, m),
                       tiger_ndcg=ndcg(model_ranks, m), markov_ndcg=ndcg(markov_ranks, m))
            for name,m in masks.items()}

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--data', default='beauty'); p.add_argument('--run', required=True, help='a `tigress train --out` folder (semids/ids.json, model/best.pt)')
    p.add_argument('--result', required=True, help="that run's --json (its model configuration and beam)")
    p.add_argument('--users', type=int, default=0, help='a seeded sample of users per split (0: all)')
    p.add_argument('--seed', type=int, default=0); p.add_argument('--out', default='benchmarks/results/vs_markov.json')
    a = p.parse_args(argv)
    from tigress.data.loaders import load_dataset
    from tigress.data.split import leave_last_out
    from tigress.decoder import Recommender
    from tigress.baselines import Markov
    from tigress.metrics import evaluate, target_ranks
    from tigress.cli import machine_info, write_json, load_run
    model,ids,r = load_run(a.run, a.result)
    cfg,codes = r['config']['model'],np.asarray(ids.codes)
    ds = load_dataset(a.data); sp = leave_last_out(ds, cfg['max_items'])
    rec,markov = Recommender(model, ids, r['config']['train']['beam']),Markov(top=1000).fit(sp)  # 1000 successors: ranks beyond the top 10 too
    bought = np.bincount(sp.train_seqs.values, minlength=sp.n_items + 1)
    out = {}
    for split in ('valid', 'test'):
        ex = getattr(sp, split)
        if a.users: ex = ex.subset(np.sort(np.random.default_rng(a.seed).permutation(len(ex))[:a.users]))
        mt,rt = evaluate(rec, ex, ds.n_items, (5, 10), batch_size=512, exclude_seen=True, return_ranks=True)
        mk,rk = evaluate(markov, ex, ds.n_items, (5, 10), exclude_seen=True, return_ranks=True)
        n,succ = bought[ex.targets],markov.succ[ex.histories.last()]
        srank = target_ranks(succ, ex.targets)
        by_count = {g: (n >= lo) & (n < hi) for g,(lo,hi) in COUNT_BINS.items()}
        by_succ = {g: (srank >= lo) & (srank < hi) for g,(lo,hi) in SUCC_BINS.items()}
        by_succ['not a successor'] = srank < 0
        miss = np.flatnonzero((srank == 0) & ~hits(rt))  # the model misses the Markov chain's first choice
        sub = ex.subset(miss)
        top = rec.recommend(sub.histories, sub.users, 10, exclude=sub.seen) if len(miss) else np.zeros((0, 10), np.int64)
        share = [float((codes[top - 1][:, :, :l] == codes[sub.targets - 1][:, None, :l]).all(-1).any(1).mean()) if len(miss) else None
                 for l in range(1, codes.shape[1] + 1)]
        out[split] = dict(users=len(ex), tiger=mt, markov=mk,
                          overlap=dict(both=float((hits(rt) & hits(rk)).mean()), only_tiger=float((hits(rt) & ~hits(rk)).mean()),
                                       only_markov=float((~hits(rt) & hits(rk)).mean()), either=float((hits(rt) | hits(rk)).mean())),
                          by_target_purchases=groups(rt, rk, by_count), by_markov_successor_rank=groups(rt, rk, by_succ),
                          missed_first_successor=dict(users=len(miss), top10_shares_prefix={l + 1: s for l,s in enumerate(share)}))
        o = out[split]
        print(f"\n{split}: {len(ex):,} users; Recall@10 TIGER {mt['Recall@10']:.4f}, Markov {mk['Recall@10']:.4f}; "
              f"both hit {o['overlap']['both']:.4f}, either {o['overlap']['either']:.4f}")
        for title,key in (('target bought in training (times)', 'by_target_purchases'), ("target's rank among the last item's successors", 'by_markov_successor_rank')):
            print(f"  {title}:")
            for g,v in o[key].items():
                if v['users']: print(f"    {g:>16}: {v['share']:6.1%} of users, Recall@10 TIGER {v['tiger']:.3f}, Markov {v['markov']:.3f}, both {v['both']:.3f}; "
                                     f"NDCG@10 TIGER {v['tiger_ndcg']:.3f}, Markov {v['markov_ndcg']:.3f}")
        print(f"  the Markov chain's first choice that TIGER misses: {len(miss)} users; "
              + ', '.join(f"{s:.0%} share {l} code{'s' * (l > 1)}" for l,s in o['missed_first_successor']['top10_shares_prefix'].items() if s is not None))
    args = sys.argv[1:] if argv is None else argv
    write_json(a.out, dict(dataset=a.data, run=a.run, result=a.result, protocol='leave-last-out, full ranking without the items each user already had',
                           splits=out, command='.venv/bin/python benchmarks/vs_markov.py ' + ' '.join(map(shlex.quote, args)), machine=machine_info()))
    print(f"wrote {a.out}")

if __name__ == '__main__': main()
