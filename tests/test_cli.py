"The README's main command and the baseline figures, run as users run them."
import json, subprocess
from pathlib import Path
import pytest
from conftest import TIGRESS, ROOT

def test_demo_command(tmp_path):
    r = subprocess.run([TIGRESS, 'demo', '--out', str(tmp_path/'run')], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    m = json.loads((tmp_path/'run'/'metrics.json').read_text())
    assert 0.2 < m['peak_rss_gib'] < 16, m['peak_rss_gib']  # the whole demo process, in GiB
    pop, mk = m['results']['popularity']['test'], m['results']['markov']['test']
    assert mk['Recall@10'] > 3 * pop['Recall@10'] and mk['NDCG@10'] > 3 * pop['NDCG@10']
    assert 'markov' in r.stdout and 'Recall@10' in r.stdout
    emb = m['embeddings']
    assert emb['text']['items'] == 1000 and emb['image']['embedded'] == 1000 and emb['fused']['mode'] == 'add'
    sem = m['semantic_ids']['stats']
    assert sem['items'] == 1000 and sem['unique_rate'] > 0.8
    from tigress.semids import SemanticIDs
    ids = SemanticIDs.load(tmp_path/'run'/'semids'/'ids.json')
    assert len(ids.lookup()) == 1000  # every item has its own ID after the collision token
    tiger = m['results']['TIGER']
    from tigress.train import native_bf16
    assert m['tiger']['precision'] == ('bf16 autocast' if native_bf16('cpu') else 'fp32')  # bf16 only where the CPU computes it natively
    assert 'TIGER' in r.stdout and m['tiger']['history'] and (tmp_path/'run'/'model'/'best.pt').exists()
    assert tiger['test']['Recall@10'] > 2 * pop['Recall@10']  # it learned the shop's routines (far above popularity)

def assert_close(a, b, path='beyond'):
    "Nested result records equal, numbers to 1e-9 (sums may round differently on another CPU)."
    if isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for k in a: assert_close(a[k], b[k], f'{path}.{k}')
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i,(x,y) in enumerate(zip(a, b)): assert_close(x, y, f'{path}[{i}]')
    elif isinstance(a, float): assert a == pytest.approx(b, abs=1e-9), path
    else: assert a == b, path

@pytest.mark.parametrize('name, extra', [('baselines_beauty.json', ['--data', 'beauty']), ('baselines_beauty_all.json', ['--data', 'beauty', '--seen', 'include']),
                                         ('baselines_toys.json', ['--data', 'toys'])])
def test_baselines_reproduce_the_committed_figures(shared, tmp_path, name, extra):
    "The README quotes benchmarks/results/baselines_*.json; running the command again gives the same figures, beyond-accuracy block included."
    committed = json.loads((ROOT/'benchmarks/results'/name).read_text())
    r = subprocess.run([TIGRESS, 'baselines', *extra, '--out', str(tmp_path/'b.json')], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    fresh = json.loads((tmp_path/'b.json').read_text())
    for model in ('popularity', 'markov'):
        for split in ('valid', 'test'):
            assert fresh['results'][model][split] == pytest.approx(committed['results'][model][split], abs=1e-12)
        assert_close(fresh['results'][model]['beyond'], committed['results'][model]['beyond'])  # coverage, Gini, popularity, disparity, categories
    assert (tmp_path/'b.topk.npz').exists()  # with its top-K lists beside it
    assert committed['command'] == ' '.join(['tigress baselines', *extra, f'--out benchmarks/results/{name}'])
    assert fresh['protocol'] == committed['protocol']

def test_bad_dataset_name_is_a_clear_error():
    r = subprocess.run([TIGRESS, 'describe', '--data', 'nosuch'], capture_output=True, text=True)
    assert r.returncode == 2 and "unknown dataset 'nosuch'" in r.stderr

def test_semids_command_writes_and_resumes(tmp_path):
    "tigress semids on the demo: the JSON has the figures; a second run resumes from the finished checkpoint."
    cmd = [TIGRESS, 'semids', '--data', 'demo', '--image-arch', '', '--fusion', 'text', '--codes', '64', '--epochs', '16',
           '--warmup', '6', '--batch-size', '256', '--out', str(tmp_path/'s'), '--json', str(tmp_path/'s.json')]
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-2000:]
    first = json.loads((tmp_path/'s.json').read_text())
    assert first['items'] == 1000 and first['codes_used_per_level'][0] > 50 and first['config']['codes'] == 64
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    again = json.loads((tmp_path/'s.json').read_text())
    assert again['unique_rate'] == first['unique_rate'] and again['train_seconds'] < first['train_seconds']
    assert first['select'] == 'unique' and first['best_epoch'] < 16  # the most unique epoch
    r = subprocess.run(cmd + ['--select', 'last'], capture_output=True, text=True, cwd=ROOT)  # the same checkpoint, its last state
    assert r.returncode == 0, r.stderr[-2000:]
    last = json.loads((tmp_path/'s.json').read_text())
    assert last['select'] == 'last' and last['best_epoch'] == 16 and last['recon_fvu'] != first['recon_fvu']

def test_train_then_evaluate_again(tmp_path):
    """A small `tigress train` on the demo data, then `tigress evaluate` on its run, with and without the items users already had (the demo's
    users buy again, so leaving those out hides answers and changes the figures)."""
    out, res = tmp_path/'run', tmp_path/'r.json'
    run = lambda *a: subprocess.run([TIGRESS, *a], capture_output=True, text=True, cwd=ROOT)
    r = run('train', '--data', 'demo', '--image-arch', '', '--fusion', 'text', '--rqvae-epochs', '12', '--d-model', '32', '--heads', '2',
            '--head-dim', '16', '--d-ff', '64', '--layers', '1', '--batch-size', '64', '--steps', '100', '--eval-every', '50', '--eval-users', '100',
            '--lr', '5e-3', '--seen', 'exclude', '--out', str(out), '--json', str(res))
    assert r.returncode == 0, r.stderr[-2000:]
    first = json.loads(res.read_text())
    assert first['protocol'] == 'leave-last-out, history <= 20, full ranking without the items each user already had, beam 20'
    from tigress.train import native_bf16
    assert first['precision'] == ('bf16 autocast' if native_bf16('cpu') else 'fp32') and first['config']['train']['bf16'] is None  # the hardware decides
    assert f"{first['precision']} on cpu" in r.stdout
    from tigress.cli import find_jemalloc  # the command starts again under jemalloc where the machine has it
    assert first['machine']['malloc'] == (Path(find_jemalloc()).name if find_jemalloc() else 'glibc'), first['machine']
    assert 0.2 < first['peak_rss_gib'] < 16, first['peak_rss_gib']  # the whole process, torch and the text model included, in GiB
    texts = first['texts']  # the text embeddings: each distinct text embedded here or read from the cache, none lost
    assert 0 < texts['embedded'] + texts['from_cache'] <= first['items'] == 1000 and f"{texts['embedded']:,} embedded, {texts['from_cache']:,} from the cache" in r.stdout
    import torch
    from tigress.cli import load_run  # what `evaluate` and the analysis scripts in benchmarks/ load
    model, ids, rec = load_run(out, res)
    best = torch.load(out/'model'/'best.pt', weights_only=False)['model']
    assert rec == first and model.cfg.d_model == 32 and not model.training and model.cfg.code_sizes == tuple(ids.sizes)
    assert best.keys() == model.state_dict().keys() and all(torch.equal(v, model.state_dict()[k]) for k, v in best.items())
    r = run('evaluate', '--run', str(out), '--json', str(res), '--seen', 'include')
    assert r.returncode == 0, r.stderr[-2000:]
    every = json.loads(res.read_text())
    assert every['protocol'] == 'leave-last-out, history <= 20, full ranking over every item, beam 20' and every['test'] != first['test']
    assert [e['protocol'] for e in every['evaluations']] == [first['protocol'], every['protocol']]
    assert every['evaluations'][0]['test'] == first['test'] and every['history'] == first['history']  # the rest of the record is kept
    r = run('evaluate', '--run', str(out), '--json', str(res), '--seen', 'exclude')
    again = json.loads(res.read_text())
    for split in ('valid', 'test'):  # evaluating again reproduces the training run's own figures
        assert again[split] == pytest.approx(first[split], abs=1e-12)
    assert len(again['evaluations']) == 3 and again['evaluations'][-1]['command'] == f'tigress evaluate --run {out} --json {res} --seen exclude'
    assert 0.2 < again['evaluations'][-1]['peak_rss_gib'] < 16  # each evaluation records its process's peak memory
    r = run('evaluate', '--run', str(tmp_path/'nope'), '--json', str(res))
    assert r.returncode == 2 and f"{tmp_path/'nope'/'semids'/'ids.json'}: not found" in r.stderr
