"""Beyond-accuracy metrics: cross-checked against an independent implementation, and computed from saved lists by `tigress metrics`."""
import json, subprocess
import numpy as np
import pytest
from conftest import ROOT, TIGRESS
from tigress.fairness import gini, lorenz, exposure, beyond_accuracy, Catalogue, seed_metrics
from tigress.metrics import target_ranks, rank_metrics

def test_recall_and_ndcg_agree_with_ir_measures():
    "Our full-ranking Recall@K / NDCG@K on random rankings, against ir-measures (trec_eval underneath) on the same runs."
    ir_measures = pytest.importorskip('ir_measures')
    from ir_measures import nDCG, R
    rng = np.random.default_rng(0)
    n_users, n_items, K = 300, 50, 20
    lists = np.stack([rng.permutation(n_items)[:K] + 1 for _ in range(n_users)])
    targets = rng.integers(1, n_items + 1, n_users)
    ours = rank_metrics(target_ranks(lists, targets), (1, 5, 10, 20))
    qrels = {f'u{u}': {f'i{t}': 1} for u,t in enumerate(targets)}
    run = {f'u{u}': {f'i{i}': float(K - r) for r,i in enumerate(l)} for u,l in enumerate(lists)}
    theirs = ir_measures.calc_aggregate([m @ k for k in (1, 5, 10, 20) for m in (nDCG, R)], qrels, run)
    for k in (1, 5, 10, 20):
        assert ours[f'NDCG@{k}'] == pytest.approx(theirs[nDCG @ k], abs=1e-9)
        assert ours[f'Recall@{k}'] == pytest.approx(theirs[R @ k], abs=1e-9)

def test_gini_agrees_with_the_lorenz_curve_and_the_mean_difference():
    rng = np.random.default_rng(1)
    for n in (1, 2, 7, 100, 1000):
        x = rng.pareto(1.5, n) * (rng.random(n) < 0.7)
        share, cum = lorenz(x)
        area = np.sum((cum[1:] + cum[:-1]) / 2) / n  # trapezoids
        g = gini(x)
        if x.sum() == 0: assert g == 0; continue  # nothing exposed: no inequality
        assert g == pytest.approx(1 - 2 * area, abs=1e-9)
        assert g == pytest.approx(np.abs(x[:, None] - x[None, :]).sum() / (2 * n * n * x.mean()), abs=1e-9)  # the mean absolute difference
    assert gini(np.ones(9)) == 0 and gini(np.r_[np.zeros(9), 4.0]) == pytest.approx(0.9)

def test_edge_cases():
    lists = np.array([[3, 1, 0, 0], [2, 0, 0, 0]])  # lists shorter than K = 4; K beyond a 3-item catalogue
    assert exposure(lists, 3, k=10).tolist() == [1, 1, 1]
    from tigress.data.dataset import Dataset, Item
    from tigress.data.split import leave_last_out
    ds = Dataset('tiny', [Item(i, f'a{i}') for i in range(1, 4)], ['u', 'v'], [[1, 2, 3, 1, 2], [2, 3, 1, 3, 2]])  # no brands, no categories
    sp = leave_last_out(ds)
    cat = Catalogue.of(ds, sp)
    b = beyond_accuracy(lists, sp.test.targets, cat, ks=(1, 4), n_boot=50)
    assert b['@4']['brand_coverage'] is None and b['@4']['gini']['brands'] is None and b['categories'] is None
    assert b['@4']['item_coverage'] == 1.0 and b['@1']['item_coverage'] == pytest.approx(2 / 3)

def test_metrics_command_from_saved_lists(tmp_path):
    "A small `tigress train` and `tigress baselines` keep their lists; `tigress metrics` computes the same figures from them, side by side."
    run = lambda *a: subprocess.run([TIGRESS, *map(str, a)], capture_output=True, text=True, cwd=ROOT, timeout=900)
    r = run('train', '--data', 'demo', '--image-arch', '', '--fusion', 'text', '--rqvae-epochs', '11', '--d-model', '32', '--heads', '2',
            '--head-dim', '16', '--d-ff', '64', '--layers', '1', '--batch-size', '64', '--steps', '20', '--eval-every', '10',
            '--eval-users', '50', '--out', tmp_path/'t', '--json', tmp_path/'t.json')
    assert r.returncode == 0, r.stderr[-3000:]
    b = run('baselines', '--data', 'demo', '--out', tmp_path/'b.json')
    assert b.returncode == 0 and (tmp_path/'b.topk.npz').exists(), b.stderr[-2000:]
    m = run('metrics', tmp_path/'t', tmp_path/'b.topk.npz', '--split', 'valid,test', '--seed-mode', '--ids', tmp_path/'t'/'semids'/'ids.json',
            '--json', tmp_path/'m.json')
    assert m.returncode == 0, m.stderr[-2000:]
    assert 'popularity' in m.stdout and 'markov' in m.stdout and 'TIGER' in m.stdout and "TIGRESS authors' definitions" in m.stdout
    out, train, base = (json.loads((tmp_path/f).read_text()) for f in ('m.json', 't.json', 'b.json'))
    assert out['blocks']['TIGER'] == train['beyond']  # the same figures from the saved lists as at the end of training
    assert out['blocks']['markov']['test'] == base['results']['markov']['beyond']['test']
    assert train['beyond']['test']['@10']['accuracy'] == {k: train['test'][k] for k in ('Recall@10', 'NDCG@10')}
    assert set(out['seed_mode']) == {'TIGER', 'popularity', 'markov'} and 0 < out['seed_mode']['markov']['test']['@10']['prefix_coverage'] <= 1
    # evaluating again keeps the lists of that evaluation
    e = run('evaluate', '--run', tmp_path/'t', '--json', tmp_path/'t.json', '--seen', 'include')
    assert e.returncode == 0, e.stderr[-2000:]
    again = json.loads((tmp_path/'t.json').read_text())
    assert again['evaluations'][-1]['beyond']['test']['@10']['accuracy']['Recall@10'] == again['test']['Recall@10']
    from tigress.runs import load_topk
    assert load_topk(tmp_path/'t')[0]['seen']['policy'] == 'include'
    bad = run('metrics', tmp_path/'t', '--k', '5,20')
    assert bad.returncode == 2 and 'holds top-10 lists' in bad.stderr
