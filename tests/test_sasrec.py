"`tigress sasrec` as users run it: the same split, protocol and records as TIGER, resumable, beyond the popularity floor."
import json, subprocess
from conftest import ROOT, TIGRESS

ARGS = ['sasrec', '--data', 'demo', '--loss', 'ce', '--epochs', '6', '--eval-every', '2', '--lr', '3e-3', '--dropout', '0.2', '--d-model', '32', '--threads', '1']

def test_sasrec_command(tmp_path):
    run = lambda *a: subprocess.run([TIGRESS, *map(str, a)], capture_output=True, text=True, cwd=ROOT, timeout=900)
    r = run(*ARGS, '--out', tmp_path/'s', '--json', tmp_path/'s.json')
    assert r.returncode == 0, r.stderr[-3000:]
    res = json.loads((tmp_path/'s.json').read_text())
    b = run('baselines', '--data', 'demo', '--models', 'popularity', '--out', tmp_path/'b.json')
    pop = json.loads((tmp_path/'b.json').read_text())['results']['popularity']['test']
    assert res['test']['NDCG@10'] > 2 * pop['NDCG@10'] and res['protocol'] == 'leave-last-out, history <= 20, full ranking over every item'
    assert [h['epoch'] for h in res['history']] == [2, 4, 6] and res['config']['model']['loss'] == 'ce' and res['peak_rss_gib'] > 0
    assert res['beyond']['test']['@10']['accuracy']['NDCG@10'] == res['test']['NDCG@10'] and res['command'].startswith('tigress sasrec --data demo')
    from tigress.runs import load_topk
    assert load_topk(tmp_path/'s')[2]['SASRec']['test'].shape == (2000, 10)
    again = run(*ARGS, '--out', tmp_path/'s', '--json', tmp_path/'again.json')  # a finished run: resumed, nothing trained, the same figures
    assert again.returncode == 0 and json.loads((tmp_path/'again.json').read_text())['test'] == res['test'], again.stderr[-2000:]
    other = run(*ARGS[:-2], '--dropout', '0.3', '--threads', '1', '--out', tmp_path/'s')
    assert other.returncode == 2 and 'model.dropout: 0.2 -> 0.3' in other.stderr, other.stderr[-2000:]

def test_s3rec_command(tmp_path):
    "Pre-training, then SASRec's fine-tuning, through the same harness; the attributes come from brand and categories on the demo."
    r = subprocess.run([TIGRESS, 's3rec', '--data', 'demo', '--pretrain-epochs', '2', '--epochs', '4', '--eval-every', '2', '--lr', '3e-3',
                        '--dropout', '0.2', '--d-model', '32', '--threads', '1', '--out', str(tmp_path/'s'), '--json', str(tmp_path/'s.json')],
                       capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    res = json.loads((tmp_path/'s.json').read_text())
    assert res['model'] == 'S3-Rec' and len(res['pretraining']) == 2 and res['config']['pretrain']['attributes'] == 'brand and categories'
    assert res['pretraining'][-1]['map'] < res['pretraining'][0]['map'] and res['test']['Recall@10'] > 0
    assert set(res['stage_seconds']) == {'pretraining', 'training', 'evaluation', 'total'} and res['beyond']['test']['@10']['item_coverage'] > 0

def test_s3rec_reads_the_benchmarks_own_attributes(shared):
    from tigress.data.loaders import load_dataset
    from tigress.s3rec import item_attributes
    for name, n in (('beauty', 637), ('toys', None)):
        attrs, n_attr, src = item_attributes(load_dataset(name))
        assert src.endswith('_item2attributes.json') and len(attrs) == load_dataset(name).n_items
        if n: assert n_attr == n
        assert sum(map(bool, attrs)) > 0.9 * len(attrs)  # nearly every item has attributes
