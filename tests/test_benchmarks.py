"The benchmark scripts run and write their JSON (tiny sizes; no timing is asserted)."
import json, subprocess, sys
import pytest
from conftest import ROOT

def test_embed_speed_script_runs(tmp_path):
    out = tmp_path/'e.json'
    r = subprocess.run([sys.executable, 'benchmarks/embed_speed.py', '--texts', '64', '--images', '16', '--out', str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    res = json.loads(out.read_text())
    for k in ('text', 'image'):
        assert res[k]['reference_items_per_s'] > 0 and res[k]['ours_cold_items_per_s'] > 0 and res[k]['cache_speedup'] > 1
    assert res['command'].startswith('.venv/bin/python benchmarks/embed_speed.py') and res['machine']['cpus'] >= 1

def test_rqvae_speed_script_runs(tmp_path):
    out = tmp_path/'r.json'
    r = subprocess.run([sys.executable, 'benchmarks/rqvae_speed.py', '--data', 'demo', '--epochs', '12', '--out', str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=900)  # the demo: Beauty's texts would be embedded first in a fresh clone
    assert r.returncode == 0, r.stderr[-2000:]
    res = json.loads(out.read_text())
    assert res['dataset'] == 'demo' and res['items'] == 1000
    assert res['rqvae']['train_items_per_s'] > 0 and 0 < res['rqvae']['unique_rate'] <= 1 and res['residual_kmeans']['seconds'] > 0

def test_speed_vs_cornac_script_runs_our_side(tmp_path):
    out = tmp_path/'s.json'
    r = subprocess.run([sys.executable, 'benchmarks/speed_vs_cornac.py', '--data', 'demo', '--rqvae-epochs', '12', '--steps', '3',
                        '--warmup-steps', '1', '--users', '64', '--out', str(out)], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-2000:]
    o = json.loads(out.read_text())['ours']
    assert o['train_examples_per_s'] > 0 and o['generate_users_per_s'] > 0 and o['generate_users'] == 64
    assert o['train_flops_per_step'] > 1e9 and o['share_of_matmul_peak'] > 0 and o['peak_rss_mb'] > 0  # a share of a timed peak: no upper bound in a test

def test_jagged_gpu_script_smoke_runs_in_the_interpreter(tmp_path):
    "No GPU here: the script's code paths run on CPU tensors in Triton's interpreter (timings meaningless, results checked)."
    import os
    out = tmp_path/'j.json'
    r = subprocess.run([sys.executable, 'benchmarks/jagged_gpu.py', '--device', 'cpu', '--dtype', 'float32', '--users', '3', '--beam', '4',
                        '--heads', '2', '--head-dim', '16', '--reps', '1', '--out', str(out)], cwd=ROOT, capture_output=True, text=True,
                       timeout=900, env=dict(os.environ, TRITON_INTERPRET='1'))
    assert r.returncode == 0, r.stderr[-2000:]
    res = json.loads(out.read_text())['results'][0]
    assert res['users'] == 3 and res['max_abs_diff'] < 1e-4 and res['attention_ms']['triton_jagged'] > 0

def test_causal_training_script_runs(tmp_path):
    out = tmp_path/'c.json'
    r = subprocess.run([sys.executable, 'benchmarks/causal_training.py', '--data', 'demo', '--rqvae-epochs', '12', '--steps', '3',
                        '--warmup-steps', '1', '--window-batch', '32', '--segment-batch', '8', '--out', str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-2000:]
    res = json.loads(out.read_text())
    assert res['windows']['targets_per_s'] > 0 and res['segments']['targets_per_s'] > 0 and res['ratio']['targets_per_s'] > 0
    assert res['item_tokens']['targets_per_s'] > 0
    it,sg = res['item_tokens'],res['segments']  # same batches; positions counted from each model's own key mask: one per item against one per code
    assert it['targets_per_step'] == sg['targets_per_step'] and it['encoder_tokens_per_step'] * 4 == pytest.approx(sg['encoder_tokens_per_step'])
    assert res['segments']['encoder_tokens'] < res['windows']['encoder_tokens']  # one pass per user encodes fewer tokens
    assert res['segments']['targets_per_step'] > 8  # a segment trains several targets

def test_train_speed_script_runs(tmp_path):
    out = tmp_path/'t.json'
    r = subprocess.run([sys.executable, 'benchmarks/train_speed.py', '--data', 'demo', '--rqvae-epochs', '12', '--batches', '8,16', '--steps', '8',
                        '--warmup-steps', '1', '--no-compile', '--profile-steps', '2', '--out', str(out)], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-2000:]
    res = json.loads(out.read_text())
    a,b = res['results']
    assert (a['batch_size'], b['batch_size']) == (8, 16) and not a['compiled'] and a['ratio_to_reference'] == 1
    assert b['targets_per_step'] > a['targets_per_step'] > 1 and (a['steps'], b['steps']) == (8, 4) and a['targets_per_s'] > 0  # steps halve as the batch doubles
    top = res['profile']['top']
    assert top and all(0 < o['share'] <= 1 for o in top) and sum(o['share'] for o in top) <= 1 + 1e-9
    assert res['command'].startswith('.venv/bin/python benchmarks/train_speed.py')

def test_precision_script_runs(tmp_path):
    out = tmp_path/'p.json'
    r = subprocess.run([sys.executable, 'benchmarks/precision.py', '--data', 'demo', '--rqvae-epochs', '12', '--batch-size', '8', '--steps', '2',
                        '--rounds', '2', '--warmup-steps', '1', '--out', str(out)], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-2000:]
    res = json.loads(out.read_text())
    assert all(len(res['rounds'][k]) == 2 and min(res['rounds'][k]) > 0 for k in ('fp32', 'bf16'))
    assert res['bf16_vs_fp32'] == pytest.approx(res['median_steps_per_s']['bf16'] / res['median_steps_per_s']['fp32'])
    from tigress.embedding.text import cpu_has_bf16
    assert res['cpu_has_bf16'] == cpu_has_bf16() and res['default_precision'] == ('bf16 autocast' if cpu_has_bf16() else 'fp32')
    assert res['command'] == '.venv/bin/python benchmarks/precision.py --data demo --rqvae-epochs 12 --batch-size 8 --steps 2 --rounds 2 --warmup-steps 1 --out ' + str(out)

def test_target_frac_script_runs(tmp_path):
    out = tmp_path/'f.json'
    r = subprocess.run([sys.executable, 'benchmarks/target_frac.py', '--data', 'demo', '--rqvae-epochs', '12', '--fracs', '1,0.5', '--batch-size', '8',
                        '--steps', '2', '--rounds', '1', '--warmup-steps', '1', '--out', str(out)], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-2000:]
    res = json.loads(out.read_text())
    a, b = res['results']
    assert (a['target_frac'], b['target_frac']) == (1, 0.5) and a['steps_per_s_vs_reference'] == 1 and len(a['rounds']) == 1
    assert a['targets_per_step'] / 2 <= b['targets_per_step'] < a['targets_per_step']  # at least half of each segment's targets, rounded up
    assert res['encoder_items_per_step'] >= a['targets_per_step'] > 0  # every target's history is read, and more in later segments
    assert res['command'] == '.venv/bin/python benchmarks/target_frac.py --data demo --rqvae-epochs 12 --fracs 1,0.5 --batch-size 8 --steps 2 --rounds 1 --warmup-steps 1 --out ' + str(out)

def test_train_step_script_runs(tmp_path):
    out = tmp_path/'s.json'
    args = ['--data', 'demo', '--rqvae-epochs', '12', '--batch-size', '8', '--steps', '2', '--rounds', '2', '--warmup-steps', '1', '--variants', 'before,now', '--out', str(out)]
    r = subprocess.run([sys.executable, 'benchmarks/train_step.py', *args], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-2000:]
    res = json.loads(out.read_text())
    assert res['variants'] == {'before': ['dropout', 'index', 'loop', 'nan-fill'], 'now': []} and res['reference'] == 'now' and res['speedup']['now'] == 1
    assert all(len(res['rounds'][k]) == 2 and min(res['rounds'][k]) > 0 for k in ('before', 'now'))
    import statistics  # the speed-up is the median of the per-round ratios, so a drifting machine cancels
    assert res['speedup']['before'] == pytest.approx(statistics.median(n / b for n,b in zip(res['rounds']['now'], res['rounds']['before'])))
    assert res['command'] == '.venv/bin/python benchmarks/train_step.py ' + ' '.join(args)
    r = subprocess.run([sys.executable, 'benchmarks/train_step.py', '--variants', 'now,fast'], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 2 and 'unknown variant(s) fast' in r.stderr

def test_malloc_script_trains_the_same_steps_under_both_allocators(tmp_path):
    "glibc's malloc and jemalloc train the same steps to bit-identical losses, each process under the allocator it was meant to run (tiny sizes; no timing asserted)."
    from tigress.cli import find_jemalloc
    if find_jemalloc() is None: pytest.skip('no jemalloc on this machine (.ci/run installs libjemalloc2)')
    out = tmp_path/'m.json'
    r = subprocess.run([sys.executable, 'benchmarks/malloc.py', '--data', 'demo', '--rqvae-epochs', '12', '--steps', '8', '--window', '4', '--batch-size', '16',
                        '--out', str(out)], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-2000:]
    m = json.loads(out.read_text())
    assert [x['malloc'] for x in m['runs']['glibc']] == ['glibc'] and m['runs']['jemalloc'][0]['malloc'].startswith('libjemalloc')
    assert m['losses_identical'] and len(m['runs']['glibc'][0]['losses']) == 2 and m['ratio'] > 0 and m['capacity'] == '1024'

def test_onednn_cache_script_alternates_capacities(tmp_path):
    "Each kernel-cache capacity trains in its own process, round after round, to the same losses; ratios are to the first capacity (tiny sizes; no timing asserted)."
    out = tmp_path/'c.json'
    r = subprocess.run([sys.executable, 'benchmarks/onednn_cache.py', '--data', 'demo', '--rqvae-epochs', '12', '--capacities', '1024,4', '--steps', '6', '--window', '3',
                        '--batch-size', '16', '--rounds', '2', '--out', str(out)], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-2000:]
    assert [l.split(':')[0] for l in r.stdout.splitlines() if l.startswith('round')] == ['round 1, capacity   1024', 'round 1, capacity      4', 'round 2, capacity   1024', 'round 2, capacity      4']
    c = json.loads(out.read_text())
    assert [x['capacity'] for x in c['runs']['4']] == ['4', '4'] and c['reference'] == '1024' and c['ratio']['1024'] == 1.0 and c['ratio']['4'] > 0
    assert c['losses_identical'] and len(c['runs']['1024'][1]['losses']) == 2
    r = subprocess.run([sys.executable, 'benchmarks/onednn_cache.py', '--capacities', '1024,lots'], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 2 and '--capacities: lots not a positive whole number' in r.stderr

def test_fairness_speed_script_agrees_with_its_reference(tmp_path):
    out = tmp_path/'f.json'
    r = subprocess.run([sys.executable, 'benchmarks/fairness_speed.py', '--data', 'demo', '--rounds', '1', '--out', str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    res = json.loads(out.read_text())
    assert res['users'] == 2000 and res['agree'] == dict(coverage=True, gini=True, head_share=True) and res['seconds'] > 0
    assert res['command'] == f'.venv/bin/python benchmarks/fairness_speed.py --data demo --rounds 1 --out {out}'

def test_recbole_side_by_side_script(tmp_path):
    "Both implementations train on the demo's split and are scored; skipped unless RecBole was installed with --prepare (it is not a dependency)."
    from pathlib import Path
    if not (ROOT/'.recbole'/'recbole').exists(): pytest.skip('RecBole is not installed here (benchmarks/recbole_side_by_side.py --prepare)')
    out,small = tmp_path/'rb.json',['--data', 'demo', '--epochs', '2', '--eval-every', '1', '--d-model', '32', '--speed-epochs', '1']
    bench = lambda *a: subprocess.run([sys.executable, 'benchmarks/recbole_side_by_side.py', *small, *a], cwd=ROOT, capture_output=True, text=True, timeout=900)
    r = bench('--out', str(out))
    assert r.returncode == 0, r.stderr[-3000:]
    res = json.loads(out.read_text())
    assert 0 < res['ours']['test']['Recall@10'] <= 1 and 0 < res['recbole']['test']['Recall@10'] <= 1 and set(res['ratio']) == {'Recall@5', 'NDCG@5', 'Recall@10', 'NDCG@10'}
    for side in ('tigress', 'recbole'):  # both timed in the same run: training sequences and targets per second, test users per second
        sp = res['speed'][side]; assert sp['epoch_seconds'] > 0 and sp['sequences_per_s'] > 0 and sp['targets_per_s'] >= sp['sequences_per_s'] and sp['eval_users_per_s'] > 0, sp
    assert res['recbole']['epochs'] == 2 and res['speed']['recbole']['epochs'] == 2 and len(res['recbole']['valid_ndcg10_curve']) == 2  # every epoch of its log read
    # a finished tigress run is reused (scored under RecBole's protocol) when its settings are the ones asked; refused, naming them, when not
    run = tmp_path/'run'
    subprocess.run([str(Path(sys.executable).with_name('tigress')), 'sasrec', '--loss', 'ce', *small[:-2], '--out', str(run)], cwd=ROOT, check=True, capture_output=True)
    r = bench('--ours', str(run), '--d-model', '64', '--out', str(tmp_path/'x.json'))
    assert r.returncode != 0 and 'model.d_model: the run\'s 32, asked 64' in r.stderr and not (tmp_path/'x.json').exists(), r.stderr[-2000:]
    r = bench('--ours', str(run), '--recbole-epochs', '1', '--out', str(out))
    assert r.returncode == 0, r.stderr[-3000:]
    res = json.loads(out.read_text())
    assert res['ours']['run'] == str(run) and res['ours']['epochs'] == 2 and 0 < res['ours']['test']['Recall@10'] <= 1 and res['speed']['tigress']['targets_per_s'] > 0
    assert res['recbole']['epochs'] == res['recbole']['max_epochs'] == 1  # RecBole's epochs capped on their own
