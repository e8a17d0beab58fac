"The semantic-ID views and the fairness dashboard in a real JupyterLab, driven by Playwright in headless Chromium: run a notebook, see the widgets, use them."
import json, os, shutil, socket, subprocess, sys, time, urllib.request
from pathlib import Path
import pytest

CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser')
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason='no chromium on this machine (.ci/run installs it)')

CELLS = [
    "import tigress, numpy as np\n"
    "from tigress.data.demo import load_demo\nfrom tigress.embedding.text import embed_texts\n"
    "from tigress.rqvae import RQVAEConfig, train_rqvae\nfrom tigress.semids import SemanticIDs\n"
    "from tigress.semid_views import codebook_usage_view, collisions_view\n"
    "demo = load_demo(); x = embed_texts(demo, progress=False).vectors\n"
    "model, hist = train_rqvae(x, RQVAEConfig(codes=16, epochs=6, warmup_epochs=2, batch_size=256), progress=False)\n"
    "ids = SemanticIDs.from_codes(model.encode(x)[0], 16)",
    "collisions_view(ids, demo, max_groups=3)",
    "codebook_usage_view(ids, hist)",
    "from tigress.data.split import leave_last_out\nfrom tigress.cli import run_baselines\nfrom tigress.fairness import split_blocks\n"
    "from tigress.fairness_views import fairness_dashboard\n"
    "sp = leave_last_out(demo); lists = {}; res = run_baselines(demo, lists=lists, progress=False)\n"
    "fairness_dashboard({m: split_blocks(demo, sp, l, n_boot=200) for m,l in lists.items()})",
]

def _free_port():
    s = socket.socket(); s.bind(('127.0.0.1', 0)); p = s.getsockname()[1]; s.close(); return p

def test_views_in_jupyterlab(tmp_path):
    from playwright.sync_api import sync_playwright
    nb = {'cells': [{'cell_type': 'code', 'metadata': {}, 'execution_count': None, 'outputs': [], 'source': c} for c in CELLS],
          'metadata': {'kernelspec': {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}}, 'nbformat': 4, 'nbformat_minor': 5}
    (tmp_path/'views.ipynb').write_text(json.dumps(nb))
    port = _free_port()
    lab = subprocess.Popen([str(Path(sys.executable).with_name('jupyter')), 'lab', '--no-browser', f'--port={port}', '--ip=127.0.0.1',
                            '--ServerApp.token=', '--ServerApp.password=', '--ServerApp.disable_check_xsrf=True',
                            f'--ServerApp.root_dir={tmp_path}', '--LabApp.expose_app_in_browser=True', '--allow-root'],
                           stdout=open(tmp_path/'lab.log', 'w'), stderr=subprocess.STDOUT, env=dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path/'cfg')))
    try:
        for _ in range(120):
            try: urllib.request.urlopen(f'http://127.0.0.1:{port}/api', timeout=1); break
            except OSError: time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=['--headless', '--no-sandbox', '--disable-gpu',
                                        '--disable-background-networking', '--no-first-run'])
            page = browser.new_page(viewport={'width': 1280, 'height': 1400})
            page.goto(f'http://127.0.0.1:{port}/lab/tree/views.ipynb')
            page.wait_for_function("() => window.jupyterapp && document.querySelector('.jp-Notebook')", timeout=120000)
            page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=120000)
            page.wait_for_timeout(2000)  # let the kernel session settle before running
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            page.wait_for_selector('.collisions', timeout=180000)           # the collisions table, rendered by the widget
            page.wait_for_selector('.widget-slider', timeout=60000)         # its group-size slider
            page.wait_for_selector('.js-plotly-plot .bars', timeout=60000)  # the usage figure inside the widget view
            page.wait_for_selector('.widget-dropdown select', timeout=60000)
            rows = page.locator('table.collisions tbody tr').count()
            options = page.locator('.widget-dropdown select').first.locator('option').count()  # the codebook view's level selector
            # the fairness dashboard: its three figures render, and choosing another metric redraws the first
            dash = page.locator('.fairness-dashboard')
            dash.wait_for(timeout=180000)
            page.wait_for_function("() => document.querySelectorAll('.fairness-dashboard .js-plotly-plot').length === 3", timeout=60000)
            titles = dash.locator('.js-plotly-plot .gtitle').all_text_contents()
            dash.locator('.widget-dropdown select').first.select_option('Recall@5')
            page.wait_for_function("() => [...document.querySelectorAll('.fairness-dashboard .gtitle')].some(t => t.textContent.startsWith('Recall@5 by user activity'))",
                                   timeout=60000)
            bars = dash.locator('.js-plotly-plot').first.locator('.bars .point').count()
            page.screenshot(path=str(tmp_path/'lab.png'), full_page=True)
            if os.environ.get('TIGRESS_SCREENSHOT'): page.screenshot(path=os.environ['TIGRESS_SCREENSHOT'], full_page=True)
            browser.close()
        assert rows >= 2      # at least one collision group of two items
        assert options == 3   # one entry per level
        assert titles[0] == 'NDCG@10 by user activity (test)' and titles[1] == 'exposure at K=10 (test)', titles
        assert bars == 6      # two models x three activity groups
    finally:
        lab.terminate()
        try: lab.wait(timeout=20)
        except subprocess.TimeoutExpired: lab.kill()
