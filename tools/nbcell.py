"""Read and edit nbdev notebooks cell by cell from the shell (the notebooks stay the source of truth; run `nbdev_export` after).

    python tools/nbcell.py list NB                      # index, id, type and first line of every cell
    python tools/nbcell.py show NB ID                   # one cell's source
    python tools/nbcell.py set NB ID FILE               # replace a cell's source with FILE's text ('-': stdin)
    python tools/nbcell.py add NB AFTER_ID code|markdown FILE   # insert a new cell after AFTER_ID ('^': at the top)
    python tools/nbcell.py rm NB ID                     # delete a cell
"""
import json, secrets, sys
from pathlib import Path

def load(nb): return json.loads(Path(nb).read_text())

def save(nb, d): Path(nb).write_text(json.dumps(d, indent=1, ensure_ascii=False) + '\n')

def find(d, cid):
    for i,c in enumerate(d['cells']):
        if c.get('id') == cid: return i
    raise SystemExit(f"no cell with id {cid!r}")

def source(text): return text.splitlines(keepends=True) if text else []

def new_cell(kind, text):
    c = dict(cell_type=kind, id=secrets.token_hex(4), metadata={}, source=source(text.rstrip('\n')))
    if kind == 'code': c = dict(cell_type='code', execution_count=None, id=c['id'], metadata={}, outputs=[], source=c['source'])
    return c

def read(f): return sys.stdin.read() if f == '-' else Path(f).read_text()

def main(argv):
    cmd, nb = argv[0], argv[1]
    d = load(nb)
    if cmd == 'list':
        for i,c in enumerate(d['cells']):
            first = ''.join(c['source']).split('\n')
            print(f"[{i}] {c.get('id')} {c['cell_type'][:4]} {len(first)}L: {first[0][:100]}")
    elif cmd == 'show': print(''.join(d['cells'][find(d, argv[2])]['source']))
    elif cmd == 'set':
        d['cells'][find(d, argv[2])]['source'] = source(read(argv[3]).rstrip('\n')); save(nb, d)
    elif cmd == 'add':
        i = -1 if argv[2] == '^' else find(d, argv[2])
        c = new_cell(argv[3], read(argv[4])); d['cells'].insert(i + 1, c); save(nb, d); print(c['id'])
    elif cmd == 'rm': del d['cells'][find(d, argv[2])]; save(nb, d)
    else: raise SystemExit(__doc__)

if __name__ == '__main__': main(sys.argv[1:])
