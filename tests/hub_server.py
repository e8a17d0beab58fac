"""A minimal Hugging Face hub on 127.0.0.1, serving one model folder, for testing the real hub download path.

It answers the calls `huggingface_hub.snapshot_download` makes: repo info, the recursive file tree, and HEAD/GET of
each file under /<repo>/resolve/<revision>/<path>.
"""
import hashlib, http.server, json, threading
from functools import partial
from pathlib import Path

class _Hub(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass

    def _send(self, code, body=b'', headers=None, head=False):
        self.send_response(code)
        for k, v in (headers or {}).items(): self.send_header(k, v)
        self.send_header('Content-Length', str(len(body))); self.end_headers()
        if not head: self.wfile.write(body)

    def _route(self, head=False):
        hub = self.server.hub
        path = self.path.split('?')[0]
        hub.requests.append(f'{self.command} {path}')
        api = f'/api/models/{hub.repo}'
        if path.startswith(api + '/revision/'):
            info = {'id': hub.repo, 'sha': hub.sha, 'siblings': [{'rfilename': f} for f in hub.files]}
            return self._send(200, json.dumps(info).encode(), {'Content-Type': 'application/json'}, head)
        if path.startswith(api + '/tree/'):
            tree = [{'type': 'file', 'path': f, 'size': len(b), 'oid': hashlib.sha1(b).hexdigest()} for f, b in hub.files.items()]
            return self._send(200, json.dumps(tree).encode(), {'Content-Type': 'application/json'}, head)
        pre = f'/{hub.repo}/resolve/'
        if path.startswith(pre):
            rev, _, name = path[len(pre):].partition('/')
            if name not in hub.files: return self._send(404, b'', {'X-Error-Code': 'EntryNotFound'}, head)
            b = hub.files[name]
            return self._send(200, b, {'X-Repo-Commit': hub.sha, 'ETag': f'"{hashlib.sha1(b).hexdigest()}"'}, head)
        self._send(404, b'', {'X-Error-Code': 'RepoNotFound'}, head)

    def do_GET(self): self._route()
    def do_HEAD(self): self._route(head=True)

class FakeHub:
    "Serve the files of `folder` as the model repo `repo` (a context manager; `url` is the endpoint)."
    def __init__(self, folder, repo):
        folder = Path(folder)
        self.repo, self.requests = repo, []
        self.files = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob('*')) if p.is_file()}
        self.sha = hashlib.sha1(b''.join(self.files.values())).hexdigest()
    def __enter__(self):
        self.server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), _Hub)
        self.server.hub = self
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f'http://127.0.0.1:{self.server.server_address[1]}'
        return self
    def __exit__(self, *a): self.server.shutdown(); self.server.server_close()
