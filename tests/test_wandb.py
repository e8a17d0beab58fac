"Optional Weights & Biases logging: off by default; when enabled it logs every validation (offline mode here)."
import os, subprocess, sys, textwrap
from conftest import ROOT

CODE = textwrap.dedent('''
    import sys, torch
    from pathlib import Path
    {block}
    from tigress.data.demo import load_demo
    from tigress.data.split import leave_last_out
    from tigress.semids import SemanticIDs
    from tigress.decoder import TIGER, TIGERConfig
    from tigress.train import TrainConfig, train
    import numpy as np
    ds = load_demo(); sp = leave_last_out(ds)
    codes = np.random.default_rng(0).integers(0, 16, (ds.n_items, 3))
    ids = SemanticIDs.from_codes(codes, 16)
    torch.manual_seed(0)
    m = TIGER(TIGERConfig(code_sizes=ids.sizes, d_model=32, n_heads=2, head_dim=16, d_ff=64, n_enc=1, n_dec=1))
    h = train(m, sp, ids, TrainConfig(batch_size=64, steps=20, warmup=5, eval_every=10, eval_users=50, wandb='tigress-test'),
              Path(sys.argv[1]), progress=False)
    print('steps', [r['step'] for r in h])
''')

def run(code, out, **env):
    return subprocess.run([sys.executable, '-c', code, str(out)], cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env=dict(os.environ, WANDB_MODE='offline', WANDB_SILENT='true', **env))

def test_wandb_offline_run_records_the_validations(tmp_path):
    r = run(CODE.format(block=''), tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    assert 'steps [10, 20]' in r.stdout
    runs = list((tmp_path/'wandb').glob('offline-run-*'))
    assert len(runs) == 1
    data = next(runs[0].glob('run-*.wandb')).read_bytes()  # W&B's own record file, to be synced later
    assert data.count(b'NDCG@10') >= 2 and b'tigress-test' in data  # both validations were logged, to the right project
    assert runs[0].name.endswith((tmp_path/'wandb_id').read_text().strip())  # the id a resumed run reuses

def test_wandb_enabled_but_missing_says_how_to_install(tmp_path):
    r = run(CODE.format(block="sys.modules['wandb'] = None  # as if not installed"), tmp_path)
    assert r.returncode != 0 and 'pip install wandb' in r.stderr
