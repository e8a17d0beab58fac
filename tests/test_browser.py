"A semantic-ID view rendered by a real browser (headless Chromium driven by Playwright)."
import shutil
import numpy as np
import pytest
from PIL import Image

CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser')
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason='no chromium on this machine (.ci/run installs it)')

def test_codebook_usage_view_renders_in_chromium(tmp_path):
    from playwright.sync_api import sync_playwright
    from tigress.data.demo import load_demo
    from tigress.embedding.text import embed_texts
    from tigress.rqvae import RQVAEConfig, train_rqvae
    from tigress.semids import SemanticIDs
    from tigress.semid_views import codebook_usage
    demo = load_demo()
    x = embed_texts(demo, progress=False).vectors
    model, hist = train_rqvae(x, RQVAEConfig(codes=64, epochs=10, warmup_epochs=4, batch_size=256), progress=False)
    ids = SemanticIDs.from_codes(model.encode(x)[0], 64)
    page_file = tmp_path/'usage.html'
    codebook_usage(ids, hist).write_html(page_file, include_plotlyjs=True, full_html=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=['--headless', '--no-sandbox', '--disable-gpu',
                                    '--disable-background-networking', '--no-first-run'])
        page = browser.new_page(viewport={'width': 1100, 'height': 420})
        page.goto(page_file.as_uri())
        page.wait_for_selector('.main-svg', timeout=30000)
        bars = page.locator('.bars .point').count()
        lines = page.locator('.scatterlayer .trace').count()
        title = page.locator('.annotation-text').first.text_content()
        page.screenshot(path=str(tmp_path/'usage.png'))
        import os
        if os.environ.get('TIGRESS_SCREENSHOT'): page.screenshot(path=os.environ['TIGRESS_SCREENSHOT'])
        browser.close()
    assert bars == 64            # one bar per code of level 1
    assert lines == 3            # one perplexity curve per level
    assert title.startswith('level 1: items per code')
    im = np.asarray(Image.open(tmp_path/'usage.png').convert('L'))
    assert im.shape == (420, 1100) and im.std() > 10  # something was drawn, not a blank page
