__version__ = "0.0.1"

import os as _os, sys as _sys
# Repeatable CPU results across processes: MKL otherwise picks code paths by memory alignment, so float sums (and
# the nearest-code choices that depend on them) can differ from run to run. It must be set before torch loads MKL.
if 'torch' not in _sys.modules: _os.environ.setdefault('MKL_CBWR', 'COMPATIBLE')
