"`tigress run` and `tigress matrix` as users call them: recipes through papermill, on the demo data."
import json, subprocess
from conftest import ROOT, TIGRESS

def tigress(*a): return subprocess.run([TIGRESS, *a], capture_output=True, text=True, cwd=ROOT, timeout=900)

def test_matrix_command(tmp_path):
    "Two recipes x two seeds (a deterministic one once): every cell runs, the table is written three ways, a rerun skips them all."
    out = tmp_path/'m'
    r = tigress('matrix', 'demo-sasrec', 'markov', '--data', 'demo', '--seeds', '0', '1', '--out', str(out), '-p', 'epochs', '2')
    assert r.returncode == 0, r.stderr[-3000:]
    cells = json.loads((out/'cells.json').read_text())
    assert [(c['recipe'], c['seed'], c['status']) for c in cells] == [('demo-sasrec', 0, 'done'), ('demo-sasrec', 1, 'done'), ('markov', None, 'done')]
    table = json.loads((out/'matrix.json').read_text()); rows = {r['recipe']: r for r in table['rows']}
    assert table['command'].startswith('tigress matrix demo-sasrec markov') and table['machine']['cpus'] > 0 and len(table['cells']) == 3
    assert rows['demo-sasrec']['seeds'] == 2 and rows['demo-sasrec']['test']['NDCG@10']['sd'] is not None and rows['markov']['seeds'] == 1
    runs = [json.loads((out/'demo-sasrec'/'demo'/f's{s}'/'results.json').read_text()) for s in (0, 1)]
    assert [x['config']['train']['epochs'] for x in runs] == [2, 2] and [x['seeds'] for x in runs] == [[0], [1]]  # the override and the seeds reached the runs
    assert (out/'demo-sasrec'/'demo'/'s0'/'run.ipynb').exists() and (out/'matrix.csv').exists()
    assert '| demo-sasrec | demo | 2 |' in (out/'matrix.md').read_text() and '| demo-sasrec | demo | 2 |' in r.stdout
    again = tigress('matrix', 'demo-sasrec', 'markov', '--data', 'demo', '--seeds', '0', '1', '--out', str(out), '-p', 'epochs', '2')
    assert again.returncode == 0 and again.stdout.count('finished earlier') == 3, again.stdout[-2000:]

def test_run_command_errors(tmp_path):
    "Bad recipes and settings stop before any work, naming the file and the setting; a run that fails says where."
    r = tigress('run', 'demo-sasrec', '-p', 'epochs', '0')
    assert r.returncode == 2 and "demo-sasrec.toml with {'epochs': 0}: --epochs must be at least 1, got 0" in r.stderr, r.stderr
    r = tigress('run', 'nope')
    assert r.returncode == 2 and 'nope: no such recipe' in r.stderr and 'tiger-ours' in r.stderr
    r = tigress('run', 'demo-sasrec', '--data', str(tmp_path/'missing'), '--out', str(tmp_path/'run'), '--quiet')
    assert r.returncode == 1 and 'demo-sasrec failed' in r.stderr and 'notebook cell' in r.stderr and (tmp_path/'run'/'error.json').exists(), r.stderr[-2000:]
