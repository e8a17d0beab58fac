"The exported library matches the notebooks: nothing under tigress/ is hand-edited."
import shutil, subprocess, sys
from pathlib import Path
from conftest import ROOT

def test_library_matches_notebooks(tmp_path):
    for p in ('nbs', 'settings.ini', 'setup.py', 'README.md'):
        src = ROOT/p
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path/p, **({'symlinks': True} if src.is_dir() else {}))
    shutil.copytree(ROOT/'tigress', tmp_path/'tigress')
    r = subprocess.run([str(Path(sys.executable).with_name('nbdev_export'))], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    exported = {p.relative_to(tmp_path/'tigress'): p.read_text() for p in (tmp_path/'tigress').rglob('*.py')}
    committed = {p.relative_to(ROOT/'tigress'): p.read_text() for p in (ROOT/'tigress').rglob('*.py')}
    assert exported.keys() == committed.keys()
    drift = [str(k) for k in exported if exported[k] != committed[k]]
    assert not drift, f'tigress/ differs from what nbdev_export makes of nbs/: {drift}'
