"tools/partial_run.py keeps a stopped `tigress train` run as data: its pace, memory, validations and profile, read from what it left."
import importlib.util, json
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location('partial_run', ROOT/'tools'/'partial_run.py')
pr = importlib.util.module_from_spec(spec); spec.loader.exec_module(pr)

def bar(step:int, elapsed:str, total:int=24000) -> str:
    "A tqdm `train:` line as `tigress train` prints it."
    return f"train:  {100 * step // total:2d}%|▍         | {step}/{total} [{elapsed}<1:11:04,  5.38it/s, epoch=2, loss=12.026]"

# carriage returns between bars, as tqdm writes them; one bar past an hour
LOG = ('== TIGER\n' + '\r'.join([bar(0, '00:00'), bar(240, '00:59'), bar(400, '01:30'), bar(480, '01:59'), bar(560, '02:19'),
                                 bar(17000, '1:02:05')]) + 'train rc=143 3725 s\n\tMaximum resident set size (kbytes): 10453412\n')

def test_progress_and_pace():
    pts = pr.progress(LOG)
    assert pts == [(0, 0), (59, 240), (90, 400), (119, 480), (139, 560), (3725, 17000)]
    assert pr.pace_by_minute(pts[:5]) == [round(240 / 59, 3), 4.0, 4.0]  # minute 1: (480 - 240) / (119 - 59); the partial minute 2: 80 steps in 20 s
    assert pr.pace_by_minute([]) == []
    assert pr.peak_rss_gib(LOG) == 9.97 and pr.peak_rss_gib('no report') is None

def test_py_spy_shares():
    raw = '\n'.join(['0x7f (libc.so.6);<module> (tigress:8);train_step (tigress/train.py:195);posix_memalign (libc.so.6) 30',
                     '<module> (tigress:8);train_step (tigress/train.py:195);malloc (libc.so.6) 10',
                     '<module> (tigress:8);train_step (tigress/train.py:195);mkldnn_matmul (libtorch_cpu.so) 60',
                     'thread_main (threading.py:1);posix_memalign (libc.so.6) 500'])  # another thread: not counted
    assert pr.py_spy_shares(raw) == dict(samples=100, malloc=0.1, posix_memalign=0.3)
    with pytest.raises(SystemExit, match='no stacks through'): pr.py_spy_shares(raw, thread_marker='nowhere')

def test_main_adds_and_replaces_an_entry(tmp_path):
    log, mlog, out = tmp_path/'train.log', tmp_path/'log.jsonl', tmp_path/'partial_runs.json'
    log.write_text(LOG); mlog.write_text(json.dumps(dict(step=6000, loss=8.49, seconds=1460.0)) + '\n')
    out.write_text(json.dumps({'other': {'kept': True}}))
    args = ['--name', 'x', '--log', str(log), '--command', 'tigress train ...', '--why', 'a test', '--out', str(out)]
    pr.main(args + ['--model-log', str(mlog), '--until', '120'])
    runs = json.loads(out.read_text())
    assert runs['other'] == {'kept': True}  # other entries survive
    x = runs['x']
    assert (x['steps_done'], x['steps_planned'], x['training_seconds_shown'], x['counted_until_s']) == (17000, 24000, 3725, 120)
    assert len(x['pace_by_minute']) == 2 and x['peak_rss_gib'] == 9.97 and x['validations'][0]['step'] == 6000
    pr.main(args)  # run again: the entry is replaced, not added beside
    runs = json.loads(out.read_text())
    assert set(runs) == {'other', 'x'} and 'validations' not in runs['x'] and len(runs['x']['pace_by_minute']) == 4

def test_a_log_without_progress_is_an_error(tmp_path):
    log = tmp_path/'empty.log'; log.write_text('== embeddings\n')
    with pytest.raises(SystemExit, match=f'{log}: no `train:` progress lines'):
        pr.main(['--name', 'x', '--log', str(log), '--command', 'c', '--why', 'w', '--out', str(tmp_path/'o.json')])
