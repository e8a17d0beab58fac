"The benchmark scripts run and write their JSON (tiny sizes; no timing is asserted)."
import json, subprocess, sys
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
    r = subprocess.run([sys.executable, 'benchmarks/rqvae_speed.py', '--epochs', '12', '--out', str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-2000:]
    res = json.loads(out.read_text())
    assert res['rqvae']['train_items_per_s'] > 0 and 0 < res['rqvae']['unique_rate'] <= 1 and res['residual_kmeans']['seconds'] > 0
