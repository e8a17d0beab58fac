"The embedding map with real UMAP (slow on first use: numba compiles), kept out of the notebook's fast tests."
import warnings
import numpy as np
from tigress.data.demo import load_demo
from tigress.embedding.map import embedding_map, item_labels, project_2d
from tigress.embedding.text import embed_texts
from tigress.fusion import neighbour_agreement

def test_umap_map_keeps_categories_together():
    demo = load_demo()
    te = embed_texts(demo, progress=False)
    xy = project_2d(te.vectors, 'umap', seed=0)
    assert xy.shape == (1000, 2) and np.isfinite(xy).all()
    top = item_labels(demo, 'category', level=1)
    # items of one top category stay neighbours on the 2-D map about as often as in the 384-d space
    assert neighbour_agreement(xy, top, k=10) > 0.8 * neighbour_agreement(te.vectors, top, k=10)
    fig = embedding_map(demo, {'text': te, 'text again': te.vectors}, sample=300)
    assert len(fig.layout.annotations) == 2 and 'UMAP' in fig.layout.title.text
