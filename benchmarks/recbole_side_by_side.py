"""SASRec side by side with an independent implementation: RecBole's SASRec (recbole==1.2.1), fed our leave-last-out split
through its atomic files and scored by its own full-ranking evaluator, against `tigress sasrec` on the same data, loss and
settings, in the same run. Prints both sets of figures, their ratio, and the training and evaluation speed of each.

RecBole runs from its own package folder (its dependencies installed there with `--prepare`, torch and numpy shared
with this environment: a second torch would be a 2 GB download). RecBole 1.2.1 predates NumPy 2, so its process gets
back the NumPy 1 aliases it uses (`np.float_`, `np.complex_`, `np.unicode_`) before it is imported, and it reloads its
own best checkpoint with torch's pre-2.6 `torch.load` default (`TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1`, its process only):

    .venv/bin/python benchmarks/recbole_side_by_side.py --prepare          # once: pip-installs recbole==1.2.1 into .recbole/
    .venv/bin/python benchmarks/recbole_side_by_side.py --data beauty --loss ce
    .venv/bin/python benchmarks/recbole_side_by_side.py --data beauty --loss ce --ours runs/sasrec/beauty_ce_s0   # reuse a finished run

Accuracy: both trained to their best validation NDCG@10 (early stopping), scored on test by full ranking with past items
ranked too (RecBole's protocol for sequential models). With `--ours`, tigress's side is a finished `tigress sasrec` run
with these settings (checked against its manifest), its best state scored here under RecBole's protocol.
Speed, always measured in this run: tigress trains `--speed-epochs` epochs from scratch, RecBole's own log gives the time
of each of its epochs; training speed is given in sequences/s and next-item targets/s (tigress trains every position of
one sequence per user, RecBole one target per prefix), evaluation in test users/s.

Writes benchmarks/results/recbole_sasrec_<data>_<loss>.json.
"""
import argparse, json, os, re, shlex, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RECBOLE = ROOT/'.recbole'
PACKAGES = ['recbole==1.2.1', 'colorlog==4.7.2', 'colorama==0.4.4', 'texttable', 'thop', 'tabulate', 'pandas', 'pytz', 'tensorboard',
            'tensorboard-data-server', 'absl-py', 'werkzeug', 'grpcio']  # recbole's own, without the torch and numpy it would pull again

def prepare():
    "Install RecBole and what it needs beyond torch/numpy/scipy/scikit-learn into .recbole/ (no dependencies resolved: nothing shared is replaced)."
    subprocess.run([sys.executable, '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--target', str(RECBOLE), *PACKAGES], check=True)

def write_atomic(ds, folder:Path, name:str='tigress'):
    "Our users' sequences as RecBole's `.inter` atomic file; each interaction's timestamp is its position, so RecBole's time order is ours."
    d = folder/name; d.mkdir(parents=True, exist_ok=True)
    with open(d/f'{name}.inter', 'w') as f:
        f.write('user_id:token\titem_id:token\ttimestamp:float\n')
        for u,s in zip(range(1, ds.n_users + 1), ds.seqs):
            for t,i in enumerate(s, 1): f.write(f'{u}\t{i}\t{t}\n')  # from 1
    return folder

def run_recbole(data_path:Path, loss:str, a) -> dict:
    "RecBole's SASRec on the atomic file, in a subprocess that imports RecBole from .recbole/ (so this process never does)."
    cfg = dict(model='SASRec', dataset='tigress', data_path=str(data_path), USER_ID_FIELD='user_id', ITEM_ID_FIELD='item_id', TIME_FIELD='timestamp',
               load_col={'inter': ['user_id', 'item_id', 'timestamp']}, MAX_ITEM_LIST_LENGTH=a.max_len, loss_type=loss.upper(),
               train_neg_sample_args=None if loss == 'ce' else {'distribution': 'uniform', 'sample_num': 1},
               eval_args={'split': {'LS': 'valid_and_test'}, 'order': 'TO', 'mode': 'full', 'group_by': 'user'},
               metrics=['Recall', 'NDCG'], topk=[5, 10], valid_metric='NDCG@10', epochs=a.recbole_epochs or a.epochs, stopping_step=a.patience, eval_step=a.eval_every,
               train_batch_size=a.batch_size, eval_batch_size=1024, learning_rate=a.lr, hidden_size=a.d_model, inner_size=a.d_model, n_layers=a.layers,
               n_heads=a.heads, hidden_dropout_prob=a.dropout, attn_dropout_prob=a.dropout, seed=a.seed, reproducibility=True, show_progress=False,
               use_gpu=False, checkpoint_dir=str(data_path/'saved'), log_wandb=False, user_inter_num_interval='[0,inf)', item_inter_num_interval='[0,inf)')
    script = f'''
import json, sys, time, torch
import numpy as np  # RecBole 1.2.1 predates NumPy 2: it aliases names NumPy 2 removed; give them back their NumPy 1 meaning
for old,new in (('float_', np.float64), ('complex_', np.complex128), ('unicode_', np.str_), ('int_', np.int64)):
    if not hasattr(np, old): setattr(np, old, new)
torch.set_num_threads({a.threads or torch_threads()})
from recbole.config import Config
from recbole.data import create_dataset, data_preparation
from recbole.model.sequential_recommender import SASRec
from recbole.trainer import Trainer
from recbole.utils import init_seed, init_logger
config = Config(model='SASRec', dataset='tigress', config_dict=json.loads(sys.argv[1]))
init_seed(config['seed'], config['reproducibility']); init_logger(config)  # its log gives each epoch's time
ds = create_dataset(config); counts = (int(ds.user_num - 1), int(ds.item_num - 1), int(len(ds.inter_feat)))  # as read, before the split
train, valid, test = data_preparation(config, ds); n_train = len(train.dataset)  # prefixes: one next-item target each
model = SASRec(config, train.dataset)
trainer = Trainer(config, model)
t = time.time(); best, best_valid = trainer.fit(train, valid, saved=True, show_progress=False); fit_s = time.time() - t
t = time.time(); res = trainer.evaluate(test, load_best_model=True, show_progress=False); test_s = time.time() - t
print('RESULT ' + json.dumps(dict(valid=dict(best_valid), test=dict(res), fit_seconds=fit_s, test_seconds=test_s, train_targets=n_train, users=counts[0], items=counts[1],
                                  interactions=counts[2])))
'''
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(RECBOLE), os.environ.get('PYTHONPATH')])),
               TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD='1')  # RecBole reloads its own best checkpoint with torch.load's pre-2.6 default
    r = subprocess.run([sys.executable, '-c', script, json.dumps(cfg)], env=env, capture_output=True, text=True, cwd=data_path)
    line = next((l for l in r.stdout.splitlines() if l.startswith('RESULT ')), None)
    if r.returncode or line is None: raise RuntimeError(f"RecBole failed (exit {r.returncode}):\n{r.stderr[-3000:]}")
    out = json.loads(line[7:])
    log = re.sub(r'\x1b\[[0-9;]*m', '', r.stdout + r.stderr)  # its log without colours: one line an epoch
    epochs = [float(t) for t in re.findall(r'epoch \d+ training \[time: ([\d.]+)s', log)]
    out['epoch_seconds'] = epochs
    out['valid_ndcg10'] = [float(v) for v in re.findall(r'epoch \d+ evaluating \[time: [\d.]+s, valid_score: ([\d.]+)\]', log)]  # its curve, one an evaluation
    rename = lambda d: {k.replace('recall', 'Recall').replace('ndcg', 'NDCG'): float(v) for k,v in d.items()}
    return dict(out, valid=rename(out['valid']), test=rename(out['test']))

def torch_threads():
    import torch; return torch.get_num_threads()

def reuse_run(a, ds, sp) -> dict:
    "A finished `tigress sasrec` run made with these settings, its best state scored on validation and test under RecBole's protocol."
    from tigress.runs import read_manifest, data_fingerprint, load_checkpoint
    from tigress.sasrec import SASRec, SASRecConfig, SASRecRecommender
    from tigress.metrics import evaluate
    folder = Path(a.ours); m = read_manifest(folder)
    if m is None: sys.exit(f"{folder}: not a tigress run folder (it has no manifest.json)")
    asked = dict(model=dict(loss=a.loss, max_len=a.max_len, d_model=a.d_model, n_layers=a.layers, n_heads=a.heads, dropout=a.dropout),
                 train=dict(epochs=a.epochs, batch_size=a.batch_size, lr=a.lr, eval_every=a.eval_every, patience=a.patience, seed=a.seed))
    diff = [f"{st}.{k}: the run's {m['stages'][st].get(k)!r}, asked {v!r}" for st,kv in asked.items() for k,v in kv.items() if m['stages'][st].get(k) != v]
    if m['data']['fingerprint'] != data_fingerprint(ds): diff.append(f"data: the run's {m['data']['spec']} differs from {a.data}")
    if diff: sys.exit(f"{folder}: made with other data or settings than asked:\n  " + '\n  '.join(diff))
    ck,best = load_checkpoint(folder/'model'/'ckpt.pt'),load_checkpoint(folder/'model'/'best.pt')
    if ck['bad'] < ck['cfg']['patience'] and ck['epoch'] < ck['cfg']['epochs']:
        sys.exit(f"{folder}: its training has not finished (epoch {ck['epoch']}, {ck['bad']} validations without progress); finish it with its tigress sasrec command")
    model = SASRec(SASRecConfig(**ck['model_cfg'])); model.load_state_dict(best['model']); model.eval()
    res = {k: evaluate(SASRecRecommender(model), getattr(sp, k), ds.n_items, (5, 10), progress=False, exclude_seen=False) for k in ('valid', 'test')}
    return dict(res, best_epoch=best['metrics']['epoch'], epochs=ck['epoch'], training_seconds=round(ck['seconds'], 1), run=str(folder), run_id=m['run_id'],
                commands=m['commands'], code=m.get('code'))

def our_speed(a, sp) -> dict:
    "tigress SASRec's speed, measured in this run: `--speed-epochs` epochs from scratch, then every test user ranked."
    import torch
    from tigress.sasrec import SASRec, SASRecConfig, SASRecTrain, SASRecRecommender, train_sasrec, training_examples
    from tigress.metrics import evaluate
    if a.threads: torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    model = SASRec(SASRecConfig(n_items=sp.n_items, max_len=a.max_len, d_model=a.d_model, n_layers=a.layers, n_heads=a.heads, dropout=a.dropout, loss=a.loss))
    _,tgt,_ = training_examples(sp, a.max_len)
    cfg = SASRecTrain(epochs=a.epochs, batch_size=a.batch_size, lr=a.lr, eval_every=a.speed_epochs + 1, seed=a.seed, device='cpu')
    t = time.time(); train_sasrec(model, sp, cfg, max_epochs=a.speed_epochs, progress=False); train_s = time.time() - t
    t = time.time(); evaluate(SASRecRecommender(model), sp.test, sp.n_items, (5, 10), progress=False, exclude_seen=False); eval_s = time.time() - t
    return dict(epochs=a.speed_epochs, epoch_seconds=round(train_s / a.speed_epochs, 2), sequences_per_s=round(len(tgt) * a.speed_epochs / train_s, 1),
                targets_per_s=round(int((tgt > 0).sum()) * a.speed_epochs / train_s, 1), eval_users_per_s=round(len(sp.test) / eval_s, 1))

def recbole_speed(theirs:dict) -> dict:
    "RecBole's speed from its own log: the mean time of its training epochs; each of its training sequences is one prefix with one target."
    ep = theirs['epoch_seconds']
    if not ep: return dict(note="RecBole's log gave no epoch times")
    per = sum(ep) / len(ep)
    return dict(epochs=len(ep), epoch_seconds=round(per, 2), sequences_per_s=round(theirs['train_targets'] / per, 1), targets_per_s=round(theirs['train_targets'] / per, 1),
                eval_users_per_s=round(theirs['users'] / theirs['test_seconds'], 1) if theirs['test_seconds'] else None)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--prepare', action='store_true', help='install RecBole into .recbole/ and stop')
    p.add_argument('--data', default='demo'); p.add_argument('--loss', choices=['bce', 'ce'], default='ce')
    p.add_argument('--max-len', type=int, default=20); p.add_argument('--d-model', type=int, default=64); p.add_argument('--layers', type=int, default=2)
    p.add_argument('--heads', type=int, default=1); p.add_argument('--dropout', type=float, default=0.5); p.add_argument('--epochs', type=int, default=200)
    p.add_argument('--batch-size', type=int, default=128); p.add_argument('--lr', type=float, default=1e-3); p.add_argument('--eval-every', type=int, default=5)
    p.add_argument('--patience', type=int, default=5); p.add_argument('--seed', type=int, default=0); p.add_argument('--threads', type=int, default=0)
    p.add_argument('--out', help='default: benchmarks/results/recbole_sasrec_<data>_<loss>.json')
    p.add_argument('--ours', help="a finished tigress sasrec run folder with these settings, scored here instead of training tigress again")
    p.add_argument('--recbole-epochs', type=int, default=0, help="cap RecBole's epochs (default: --epochs); it trains one target per prefix, so each epoch costs more")
    p.add_argument('--speed-epochs', type=int, default=2, help='epochs tigress trains from scratch in this run to time it')
    a = p.parse_args(argv)
    if a.prepare: prepare(); print(f"RecBole installed in {RECBOLE}"); return
    if not (RECBOLE/'recbole').exists(): sys.exit(f"RecBole is not installed: run {sys.argv[0]} --prepare first")
    from tigress.data.loaders import load_dataset
    from tigress.data.split import leave_last_out
    from tigress.cli import main as tigress, machine_info, write_json
    ds = load_dataset(a.data); sp = leave_last_out(ds, a.max_len)
    common = ['--loss', a.loss, '--max-len', a.max_len, '--d-model', a.d_model, '--layers', a.layers, '--heads', a.heads, '--dropout', a.dropout,
              '--epochs', a.epochs, '--batch-size', a.batch_size, '--lr', a.lr, '--eval-every', a.eval_every, '--patience', a.patience, '--seed', a.seed,
              '--threads', a.threads]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if a.ours: ours = reuse_run(a, ds, sp); ours_s = ours['training_seconds']
        else:
            t = time.time(); tigress(['sasrec', '--data', a.data, *map(str, common), '--seen', 'include', '--out', str(tmp/'ours'), '--json', str(tmp/'ours.json')])
            ours = json.loads((tmp/'ours.json').read_text()); ours_s = time.time() - t
        print(f"timing tigress: {a.speed_epochs} epochs and the test users"); speed = our_speed(a, sp)
        t = time.time(); theirs = run_recbole(write_atomic(ds, tmp/'recbole'), a.loss, a); theirs_s = time.time() - t
    bought = len({int(i) for s in ds.seqs for i in s})  # RecBole knows only items that were bought
    if (theirs['users'], theirs['items'], theirs['interactions']) != (ds.n_users, bought, ds.n_interactions):
        sys.exit(f"RecBole read {theirs['users']} users, {theirs['items']} items, {theirs['interactions']} interactions; the data has "
                 f"{ds.n_users}, {bought} (bought), {ds.n_interactions}")
    cols = ['Recall@5', 'NDCG@5', 'Recall@10', 'NDCG@10']
    print(f"\n{a.data}, SASRec ({a.loss}), test, full ranking over every item (RecBole ranks a sequential model's past items too):")
    print(f"{'':<10}" + ''.join(f'{c:>11}' for c in cols) + f"{'wall (min)':>12}")
    print(f"{'tigress':<10}" + ''.join(f"{ours['test'][c]:>11.4f}" for c in cols) + f"{ours_s / 60:>12.1f}")
    print(f"{'RecBole':<10}" + ''.join(f"{theirs['test'][c]:>11.4f}" for c in cols) + f"{theirs_s / 60:>12.1f}")
    print(f"{'ratio':<10}" + ''.join(f"{ours['test'][c] / theirs['test'][c] if theirs['test'][c] else float('nan'):>11.2f}" for c in cols))
    speeds = dict(tigress=speed, recbole=recbole_speed(theirs))
    print(f"\nspeed, both measured in this run ({a.threads or torch_threads()} threads):")
    print(f"{'':<10}{'s/epoch':>10}{'seq/s':>10}{'targets/s':>11}{'test users/s':>14}")
    for k,v in speeds.items(): print(f"{k:<10}" + ''.join(f"{v.get(c) if v.get(c) is not None else '-':>{w}}" for c,w in (('epoch_seconds', 10), ('sequences_per_s', 10), ('targets_per_s', 11), ('eval_users_per_s', 14))))
    out = a.out or f'benchmarks/results/recbole_sasrec_{a.data}_{a.loss}.json'
    write_json(out, dict(data=a.data, loss=a.loss, ours=dict(test=ours['test'], valid=ours['valid'], best_epoch=ours['best_epoch'], wall_seconds=round(ours_s, 1),
                                                           **{k: ours[k] for k in ('stage_seconds', 'run', 'run_id', 'commands', 'code', 'epochs') if k in ours}),
                         recbole=dict(version='1.2.1', test=theirs['test'], valid=theirs['valid'], wall_seconds=round(theirs_s, 1), fit_seconds=round(theirs['fit_seconds'], 1),
                                      test_seconds=round(theirs['test_seconds'], 1), epochs=len(theirs['epoch_seconds']),
                                      max_epochs=a.recbole_epochs or a.epochs, valid_ndcg10_curve=theirs['valid_ndcg10']),
                         speed=speeds, wall_note=('tigress: the reused run\'s training time, measured when it ran' if a.ours else 'both trained in this run'),
                         ratio={c: ours['test'][c] / theirs['test'][c] if theirs['test'][c] else None for c in cols},
                         protocol='leave-last-out, full ranking over every item (RecBole does not leave out the past items of a sequential model)', settings=vars(a), command='.venv/bin/python ' + shlex.join(['benchmarks/recbole_side_by_side.py', *(argv if argv is not None else sys.argv[1:])]),
                         machine=machine_info()))
    print(f"wrote {out}")

if __name__ == '__main__': main()
