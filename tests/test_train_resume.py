"A `tigress train` process killed mid-run and started again ends with the same metrics as an uninterrupted run."
import json, os, signal, subprocess, sys, time
from conftest import ROOT, TIGRESS

ARGS = ['--data', 'demo', '--image-arch', '', '--fusion', 'text', '--d-model', '32', '--heads', '2', '--head-dim', '16',
        '--d-ff', '64', '--layers', '1', '--batch-size', '64', '--steps', '90', '--eval-every', '15', '--eval-users', '100',
        '--warmup', '10', '--lr', '3e-3', '--threads', '1', '--patience', '10']  # no early stop: every validation runs, on any machine's numerics

def tigress(out, json_out=None):
    return [TIGRESS, 'train', *ARGS, '--out', str(out)] + (['--json', str(json_out)] if json_out else [])

def strip(res):  # wall times, memory and the run folder differ between runs, nothing else may
    return {k: v for k,v in res.items() if k not in ('stage_seconds', 'command', 'machine', 'peak_rss_gib', 'run')} | \
           {'history': [{k: v for k,v in h.items() if k != 'seconds'} for h in res['history']]}

def test_killed_run_resumes_to_the_same_result(tmp_path):
    env = dict(os.environ, PYTHONUNBUFFERED='1')
    r = subprocess.run(tigress(tmp_path/'a', tmp_path/'a.json'), cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    # the same run, killed (SIGKILL: no chance to clean up) once it has checkpointed past its second validation
    p = subprocess.Popen(tigress(tmp_path/'b'), cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    log, t0 = tmp_path/'b'/'model'/'log.jsonl', time.time()
    while p.poll() is None and time.time() - t0 < 600:
        if log.exists() and len(log.read_text().splitlines()) >= 2: break
        time.sleep(0.05)
    assert p.poll() is None, "the run ended before it could be killed"
    p.send_signal(signal.SIGKILL); p.wait()
    killed_at = len(log.read_text().splitlines())
    assert 2 <= killed_at < 6
    r = subprocess.run(tigress(tmp_path/'b', tmp_path/'b.json'), cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    a, b = json.loads((tmp_path/'a.json').read_text()), json.loads((tmp_path/'b.json').read_text())
    assert strip(b) == strip(a)
    assert b['run']['run_id'] == json.loads((tmp_path/'b'/'manifest.json').read_text())['run_id'] != a['run']['run_id']  # one run over two sittings
    assert len(a['history']) == 6 and a['test']['Recall@10'] > 0
    assert [json.loads(l)['step'] for l in log.read_text().splitlines()] == [15, 30, 45, 60, 75, 90]
    secs = [h['seconds'] for h in b['history']]  # one training clock across the two sittings
    assert secs == sorted(secs) and b['stage_seconds']['training'] >= secs[-1] - 0.05  # stage times are rounded to 0.1 s
    # the RQ-VAE trained in the killed sitting: the resumed run's semantic-ID stage and total still count it
    rq = json.loads((tmp_path/'b'/'semids'/'history.json').read_text())[-1]['seconds']
    st = b['stage_seconds']
    assert st['semantic_ids'] >= rq - 0.05
    assert st['total'] >= sum(st[k] for k in ('embeddings', 'semantic_ids', 'training', 'evaluation')) - 0.2
