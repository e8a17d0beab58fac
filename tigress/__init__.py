__version__ = "0.0.1"

import os
# torch computes bf16 matrix products on the CPU with oneDNN, which compiles a kernel per shape and caches the last 1,024 by
# default. Jagged batches bring tens of thousands of shapes over a run, so at 1,024 training keeps recompiling (about 2 ms a
# kernel). 8,192 kernels take about 3 GB at most (0.4 MB each, measured); 65,536 sped the Beauty recipe up 1.14x but peaked
# at 22 GiB. oneDNN reads the capacity once, at its first kernel, so it is set when tigress is imported, before torch
# computes anything; a value already in the environment wins.
os.environ.setdefault('ONEDNN_PRIMITIVE_CACHE_CAPACITY', '8192')
