"The downloader against a local HTTP server: a killed transfer resumes, servers without Range restart cleanly."
import gzip, hashlib, os, signal, subprocess, sys, time
from pathlib import Path
import pytest
from conftest import TIGRESS
from tigress.data.download import LocalMirror, download, download_file, DownloadError
from tigress.data.loaders import load_amazon2014

def _mirror_2014(root: Path, n_users=40):
    "A small but real-format 2014 category: every user and item has 5 interactions."
    root.mkdir(parents=True, exist_ok=True)
    lines = [f'{{"reviewerID": "U{u}", "asin": "A{(u + j) % n_users}", "unixReviewTime": {1000 + 10*j + u}, "reviewText": "{"x" * 2000}"}}'
             for u in range(n_users) for j in range(5)]
    (root/'reviews_Toy_5.json.gz').write_bytes(gzip.compress(('\n'.join(lines) + '\n').encode(), compresslevel=0))
    meta = [repr({'asin': f'A{i}', 'title': f'Toy {i}', 'categories': [['Toys']], 'price': 1.5}) for i in range(n_users)]
    (root/'meta_Toy.json.gz').write_bytes(gzip.compress(('\n'.join(meta) + '\n').encode()))
    return root

def test_killed_cli_download_resumes(tmp_path):
    "Kill `tigress download` mid-transfer; the next run asks only for the missing bytes and the data loads."
    srv = _mirror_2014(tmp_path/'srv')
    size = (srv/'reviews_Toy_5.json.gz').stat().st_size
    dest = tmp_path/'data'
    cmd = [TIGRESS, 'download', '--release', '2014', '--category', 'Toy', '--dest', str(dest)]
    with LocalMirror(srv, cut_after=size // 2, stall=True) as m:
        p = subprocess.Popen(cmd + ['--base-url', m.url], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        part = dest/'amazon2014'/'Toy'/'reviews_Toy_5.json.gz.part'
        for _ in range(400):
            if part.exists() and part.stat().st_size >= size // 2: break
            time.sleep(0.05)
        p.send_signal(signal.SIGKILL); p.wait()
        have = part.stat().st_size
        assert have == size // 2  # everything that arrived was on disk when the process died
        assert not (dest/'amazon2014'/'Toy'/'reviews_Toy_5.json.gz').exists()
        r = subprocess.run(cmd + ['--base-url', m.url], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        assert m.requests == [None, f'bytes={have}-', None]  # resumed the reviews, then fetched the metadata whole
    folder = dest/'amazon2014'/'Toy'
    assert (folder/'reviews_Toy_5.json.gz').read_bytes() == (srv/'reviews_Toy_5.json.gz').read_bytes()
    ds = load_amazon2014(folder, 'Toy')
    assert (ds.n_users, ds.n_items, ds.n_interactions) == (40, 40, 200)

def test_server_without_range_restarts(tmp_path):
    srv = _mirror_2014(tmp_path/'srv')
    want = hashlib.sha256((srv/'reviews_Toy_5.json.gz').read_bytes()).hexdigest()
    dest = tmp_path/'x'/'reviews_Toy_5.json.gz'
    dest.parent.mkdir(parents=True); dest.with_name(dest.name + '.part').write_bytes(b'garbage that must not survive')
    with LocalMirror(srv, ranges=False) as m:
        download_file(m.url + 'reviews_Toy_5.json.gz', dest, sha256=want, progress=False)
        assert m.requests == ['bytes=29-']  # asked to resume, got the whole file (200) and started again
    assert hashlib.sha256(dest.read_bytes()).hexdigest() == want

def test_corrupted_finished_file_is_detected(tmp_path):
    srv = _mirror_2014(tmp_path/'srv')
    with LocalMirror(srv) as m:
        p, _ = download('2014', 'Toy', tmp_path/'c', base_url=m.url, progress=False)
        p.write_bytes(p.read_bytes()[:-10])  # damaged after the download
        with pytest.raises(DownloadError, match='does not match the recorded one'):
            download('2014', 'Toy', tmp_path/'c', base_url=m.url, progress=False)

def test_gives_up_with_a_clear_message(tmp_path):
    with pytest.raises(DownloadError, match=r'failed after 2 attempts.*run again to resume'):
        download_file('http://127.0.0.1:9/none.gz', tmp_path/'none.gz', retries=1, backoff=0, timeout=2, progress=False)
