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

# A bad transfer must never become a finished, marked file (issue #36). Each case: what the server does to
# reviews_Toy_5.json.gz, and the message that must name it.
BAD = {
    'cut off, no Content-Length': (lambda f: {'cut_after': f.stat().st_size // 2, 'length': False}, 'the gzip stream is cut off'),
    'HTML page, status 200': (lambda f: {'html': True}, 'the server sent an HTML page, not the file'),
    'HTML page stored as .gz': (lambda f: f.write_text('\n<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><body>Moved</body></html>\n') and {},
                                'the server sent an HTML page, not the file'),
    'uncompressed under .gz': (lambda f: f.write_bytes(gzip.decompress(f.read_bytes())) and {}, 'not a gzip file'),
    'gzip cut short on the server': (lambda f: f.write_bytes(f.read_bytes()[:-1000]) and {}, 'the gzip stream is cut off'),
    'error text, gzipped': (lambda f: f.write_bytes(gzip.compress(b'Rate limit exceeded\n')) and {}, 'its first line is not JSON or a Python literal'),
}

@pytest.mark.parametrize('case', list(BAD))
def test_bad_transfer_is_rejected(tmp_path, case):
    "The file is not written, nor its part file, nor a mark; the next run against a good server gets the real file."
    srv = _mirror_2014(tmp_path/'srv')
    good = (srv/'reviews_Toy_5.json.gz').read_bytes()
    setup, msg = BAD[case]
    kw = setup(srv/'reviews_Toy_5.json.gz')
    folder = tmp_path/'data'/'amazon2014'/'Toy'
    with LocalMirror(srv, **kw) as m:
        with pytest.raises(DownloadError, match=r'reviews_Toy_5\.json\.gz: ' + msg) as e:
            download('2014', 'Toy', tmp_path/'data', base_url=m.url, progress=False)
    assert sorted(p.name for p in folder.glob('reviews_Toy_5*')) == [], e.value
    (srv/'reviews_Toy_5.json.gz').write_bytes(good)
    with LocalMirror(srv) as m: download('2014', 'Toy', tmp_path/'data', base_url=m.url, progress=False)
    assert (folder/'reviews_Toy_5.json.gz').read_bytes() == good
    assert load_amazon2014(folder, 'Toy').n_interactions == 200

@pytest.mark.parametrize('case', ['cut off, no Content-Length', 'HTML page, status 200'])
def test_cli_rejects_a_bad_transfer(tmp_path, case):
    "`tigress download` exits with status 2 and one line naming the file and what is wrong (needs the CLI to catch DownloadError)."
    srv = _mirror_2014(tmp_path/'srv')
    setup, msg = BAD[case]
    cmd = [TIGRESS, 'download', '--release', '2014', '--category', 'Toy', '--dest', str(tmp_path/'data')]
    with LocalMirror(srv, **setup(srv/'reviews_Toy_5.json.gz')) as m:
        r = subprocess.run(cmd + ['--base-url', m.url], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2, r.stderr[-3000:]
    assert 'Traceback' not in r.stderr and any('reviews_Toy_5.json.gz' in l and msg in l for l in r.stderr.splitlines()), r.stderr
    assert not list((tmp_path/'data'/'amazon2014'/'Toy').glob('reviews_Toy_5*'))

def test_unchecked_file_of_an_earlier_version_is_checked(tmp_path):
    "A finished file with an old-style mark (no '# tigress: checked' line) or none is checked before it is trusted."
    srv = _mirror_2014(tmp_path/'srv')
    folder = tmp_path/'data'/'amazon2014'/'Toy'; folder.mkdir(parents=True)
    page = b'<html><head><title>403 Forbidden</title></head><body>Forbidden</body></html>\n'
    (folder/'reviews_Toy_5.json.gz').write_bytes(page)
    (folder/'reviews_Toy_5.json.gz.sha256').write_text(f"{hashlib.sha256(page).hexdigest()}  reviews_Toy_5.json.gz\n")
    (folder/'meta_Toy.json.gz').write_bytes((srv/'meta_Toy.json.gz').read_bytes())  # good, no mark
    with LocalMirror(srv) as m:
        with pytest.raises(DownloadError, match=r'reviews_Toy_5\.json\.gz: the server sent an HTML page, not the file.*delete it'):
            download('2014', 'Toy', tmp_path/'data', base_url=m.url, progress=False)
        download('2014', 'Toy', tmp_path/'data', base_url=m.url, progress=False, only=['meta_Toy.json.gz'])
        assert m.requests == []  # checked in place, nothing fetched
    assert '# tigress: checked' in (folder/'meta_Toy.json.gz.sha256').read_text()
