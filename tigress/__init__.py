__version__ = "0.0.1"

import os
# torch's CPU kernels for bf16 matrix products (oneDNN) cache one compiled kernel per shape, 1,024 by default. Jagged batches
# bring thousands of shapes, and past 1,024 the cache evicts and recompiles all the time: at 65,536 the Beauty recipe trains
# 1.13x faster here, with bit-identical losses. oneDNN reads this once, at its first kernel, so it is set when tigress is
# imported, before torch computes anything; a value already in the environment wins.
os.environ.setdefault('ONEDNN_PRIMITIVE_CACHE_CAPACITY', '65536')
