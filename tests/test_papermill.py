"The parameterized run notebook, executed by papermill as `tigress run` and `tigress matrix` run it (a tiny TIGER recipe on the demo data)."
import json, subprocess, sys
import papermill as pm
from conftest import ROOT

def test_run_notebook_with_papermill(tmp_path):
    out = tmp_path/'run'
    over = dict(steps=40, eval_every=20, warmup=10, causal=True, item_embeddings=True, last_state=True, recency=True, item_dropout=0.2)  # every optional part of the model
    nb = pm.execute_notebook(str(ROOT/'nbs'/'run_recipe.ipynb'), str(tmp_path/'executed.ipynb'), cwd=str(ROOT), progress_bar=False,
                             parameters=dict(recipe='demo-tiger', data='demo', seed=0, out=str(out), overrides=json.dumps(over)))
    res = json.loads((out/'results.json').read_text())
    assert res['dataset'] == 'demo' and [h['step'] for h in res['history']] == [20, 40]
    assert 0 <= res['test']['NDCG@10'] <= res['test']['Recall@10'] <= 1 and res['test']['Recall@10'] > 0
    assert res['config']['train']['steps'] == 40  # the injected parameters were used
    assert res['beyond']['test']['@10']['accuracy']['Recall@10'] == res['test']['Recall@10'] and 0 < res['beyond']['test']['@10']['item_coverage'] <= 1
    from tigress.runs import load_topk
    meta, splits, lists = load_topk(out)  # the notebook kept its top-K lists too
    assert meta['k'] == 10 and lists['TIGER']['test'].shape == (len(splits['test']['targets']), 10) and meta['data']['spec'] == 'demo'
    m = res['config']['model']
    assert m['causal'] and m['item_tokens'] and m['last_state'] and m['recency'] and m['item_dropout'] == 0.2 and m['n_items'] == res['items'] > 0
    plots = [o for c in nb.cells if c.cell_type == 'code' for o in c.get('outputs', []) if 'application/vnd.plotly.v1+json' in o.get('data', {})]
    assert len(plots) == 1 and len(plots[0]['data']['application/vnd.plotly.v1+json']['data']) == 3
    # the beam-against-exact diagnostic runs on that trained run: a catalogue-wide beam is the exact ranking
    r = subprocess.run([sys.executable, 'benchmarks/beam_exact.py', '--data', 'demo', '--run', str(out), '--result', str(out/'results.json'),
                        '--users', '6', '--beams', '10,20', '--exclude-seen', '--out', str(tmp_path/'be.json')], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]  # it also stops when a ranking returns one of the user's own items
    res = json.loads((tmp_path/'be.json').read_text()); be = res['results']
    assert res['protocol'] == 'full ranking without the items each user already had' and res['batch'] == 2
    assert res['exact_check'] == dict(users=2, agreement=1.0)  # the wide beam found exactly what scoring every ID finds
    assert 0 < be['10']['agreement'] <= 1 and 0 < be['20']['agreement'] <= 1
    assert all(0 <= v['NDCG@10'] <= v['Recall@10'] <= 1 for v in be.values())
