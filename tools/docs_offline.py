"""Render the docs without Quarto: nbdev's processed notebooks (`_proc/`) to plain HTML in `_docs_offline/`.

Quarto publishes the real site (`nbdev_docs`); this fallback is for machines without it, to check what the pages
show. Cells marked `echo: false` show only their output (the API docs), `#|` directives are removed, and output
that Quarto would render as Markdown (`output: asis`) is rendered as Markdown here too.
"""
import re, shutil, sys
from pathlib import Path
import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor
from nbdev.serve import proc_nbs

def main(out='_docs_offline'):
    proc_nbs(n_workers=1)
    out = Path(out); out.mkdir(exist_ok=True)
    exporter = HTMLExporter(template_name='lab')
    exporter.register_preprocessor(TagRemovePreprocessor(remove_input_tags={'remove_input'}, remove_cell_tags={'remove_cell'}), enabled=True)
    pages = []
    for p in sorted(Path('_proc').glob('*.ipynb')):
        nb = nbformat.read(p, as_version=4)
        for c in nb.cells:
            c.pop('has_sd', None)
            src = c.source
            if c.cell_type == 'code':
                if re.search(r'^#\|\s*output:\s*asis', src, re.M):
                    for o in c.outputs:
                        if o.get('output_type') == 'stream':  # show_doc prints Markdown
                            o.output_type, o.data, o.metadata = 'display_data', {'text/markdown': o.pop('text')}, {}
                            o.pop('name', None)
                if re.search(r'^#\|\s*echo:\s*false', src, re.M): c.metadata['tags'] = ['remove_input']
                if re.search(r'^#\|\s*(hide|include:\s*false)', src, re.M): c.metadata['tags'] = ['remove_cell']
                c.source = '\n'.join(l for l in src.splitlines() if not l.startswith('#|'))
        for c in nb.cells:  # Quarto front matter -> a title and subtitle
            if c.cell_type == 'raw' and c.source.startswith('---'):
                fm = dict(re.findall(r'^(\w[\w-]*):\s*(.*)$', c.source, re.M))
                c.cell_type, c.source = 'markdown', f"# {fm.get('title', p.stem)}\n\n> {fm.get('description', '')}"
                c.pop('outputs', None); c.pop('execution_count', None)
        nb.cells = [c for c in nb.cells if c.source.strip() or c.get('outputs')]
        html, _ = exporter.from_notebook_node(nb)
        (out/f'{p.stem}.html').write_text(html)
        pages.append(p.stem)
    if Path('nbs/images').exists(): shutil.copytree('nbs/images', out/'images', dirs_exist_ok=True)  # the pages' pictures
    (out/'toc.html').write_text('<h1>tigress docs (offline)</h1><ul>' + ''.join(f'<li><a href="{n}.html">{n}</a></li>' for n in pages) + '</ul>')
    print(f'wrote {len(pages)} pages to {out}/')

if __name__ == '__main__': main(*sys.argv[1:])
