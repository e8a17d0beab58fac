"Shared fixtures: the shared real-data folder (tests that need it skip when it is absent)."
import os, sys
from pathlib import Path
import pytest
from tigress.data.loaders import shared_data

ROOT = Path(__file__).resolve().parents[1]
TIGRESS = str(Path(sys.executable).with_name('tigress'))

@pytest.fixture(scope='session')
def shared():
    d = shared_data()
    if d is None or not (d/'amazon2014'/'beauty'/'sequential_data.txt').exists():
        pytest.skip('the shared data (../shared/data) is not present')
    return d
