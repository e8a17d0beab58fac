"Bad input gives errors that name the file and line; nothing is silently dropped."
import copy, csv, gzip, io, json, math, random, warnings
import pytest
from tigress.data.dataset import DataFormatError, Item, describe, item_text
from tigress.data.loaders import load_amazon2014, load_amazon2023, load_dataset, load_p5, shared_data

def _write_2014(d, reviews, meta):
    d.mkdir(parents=True, exist_ok=True)
    (d/'reviews_Toy_5.json.gz').write_bytes(gzip.compress(('\n'.join(reviews) + '\n').encode()))
    (d/'meta_Toy.json.gz').write_bytes(gzip.compress(('\n'.join(meta) + '\n').encode()))
    return d

R = [json.dumps({'reviewerID': f'U{u}', 'asin': f'A{(u + j) % 6}', 'unixReviewTime': j}) for u in range(6) for j in range(5)]
M = [repr({'asin': f'A{i}', 'title': f'T{i}', 'price': 2.0}) for i in range(6)]

def test_good_2014(tmp_path):
    ds = load_amazon2014(_write_2014(tmp_path, R, M), 'Toy')
    assert (ds.n_users, ds.n_items, ds.n_interactions) == (6, 6, 30)

def test_malformed_review_line(tmp_path):
    bad = R[:3] + ['{"reviewerID": "U9", "asin": '] + R[3:]
    with pytest.raises(DataFormatError, match=r'reviews_Toy_5.json.gz, line 4: malformed JSON'):
        load_amazon2014(_write_2014(tmp_path, bad, M), 'Toy')

def test_review_missing_field(tmp_path):
    bad = R[:7] + [json.dumps({'reviewerID': 'U1', 'asin': 'A1'})]
    with pytest.raises(DataFormatError, match=r"line 8: record lacks the field 'unixReviewTime'"):
        load_amazon2014(_write_2014(tmp_path, bad, M), 'Toy')

def test_malformed_meta_line(tmp_path):
    bad = M[:2] + ["{'asin': 'A2', 'title': 'broken"] + M[3:]
    with pytest.raises(DataFormatError, match=r'meta_Toy.json.gz, line 3: malformed record'):
        load_amazon2014(_write_2014(tmp_path, R, bad), 'Toy')

def test_truncated_reviews_gzip(tmp_path):
    d = _write_2014(tmp_path, R * 50, M)
    data = (d/'reviews_Toy_5.json.gz').read_bytes(); (d/'reviews_Toy_5.json.gz').write_bytes(data[:len(data) // 2])
    with pytest.raises(DataFormatError, match='reviews_Toy_5.json.gz: corrupt or truncated gzip'):
        load_amazon2014(d, 'Toy')

def test_empty_meta(tmp_path):
    d = _write_2014(tmp_path, R, M); (d/'meta_Toy.json.gz').write_bytes(b'')
    with pytest.raises(DataFormatError, match='meta_Toy.json.gz: file is empty'):
        load_amazon2014(d, 'Toy')

def test_missing_metadata_is_counted_and_reported(tmp_path):
    d = _write_2014(tmp_path, R, M[:4] + [repr({'asin': 'A4'})])  # A4 has no title/price, A5 has no line at all
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always'); ds = load_amazon2014(d, 'Toy')
    assert ds.n_items == 6 and ds.missing['title'] == 2 and ds.missing['price'] == 2
    assert any('no metadata at all for 1 of 6 items' in str(x.message) for x in w)

def _write_split(d, train, valid, test, meta='parent_asin,title,price,details\nA1,t,,\n'):
    d.mkdir(parents=True, exist_ok=True)
    for name, rows in (('train', train), ('valid', valid), ('test', test)):
        (d/f'X.{name}.csv').write_text('user_id,parent_asin,rating,timestamp,history\n' + ''.join(f'{r},5.0,{t},\n' for r, t in rows))
    (d/'meta_items.csv').write_text(meta)
    return d

def test_2023_split_errors(tmp_path):
    tr = [('u1,A1', 1), ('u1,A2', 2), ('u1,A3', 3)]
    with pytest.raises(DataFormatError, match=r"X.valid.csv, line 3: user u1 has a second row \(first at line 2\)"):
        load_amazon2023(_write_split(tmp_path/'a', tr, [('u1,A4', 4), ('u1,A5', 5)], [('u1,A6', 6)]), 'X')
    with pytest.raises(DataFormatError, match=r"X.test.csv, line 2: field 'timestamp' is not a number: 'soon'"):
        load_amazon2023(_write_split(tmp_path/'b', tr, [('u1,A4', 4)], [('u1,A5', 'soon')]), 'X')
    d = _write_split(tmp_path/'c', tr, [('u1,A4', 4)], [('u1,A5', 5)])
    (d/'X.train.csv').write_text('user_id,item,timestamp\nu1,A1,1\n')
    with pytest.raises(DataFormatError, match=r"X.train.csv, line 1: no column 'parent_asin'"):
        load_amazon2023(d, 'X')

def test_2023_unreadable_price_is_counted(tmp_path):
    meta = 'parent_asin,title,price,details\nA1,t,from 3.99,"{\'Brand\': \'B\'}"\nA2,u,4.5,\n'
    d = _write_split(tmp_path, [('u1,A1', 1), ('u1,A2', 2), ('u1,A3', 3)], [('u1,A4', 4)], [('u1,A5', 5)], meta)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always'); ds = load_amazon2023(d, 'X')
    assert ds.item(1).brand == 'B' and ds.item(1).price is None and ds.item(2).price == 4.5
    msgs = [str(x.message) for x in w]
    assert any('1 prices could not be parsed' in m and 'meta_items.csv, line 2' in m for m in msgs), msgs
    assert any('no metadata at all for 3 of 5 items' in m for m in msgs), msgs

@pytest.mark.filterwarnings("ignore::UserWarning")
def test_2023_jsonl_values(tmp_path):
    "Raw 2023 reviews and metadata as JSON lines: the official shapes load, wrong types name file, line and field."
    def write(reviews, meta):
        (tmp_path/'X.jsonl').write_text(''.join(json.dumps(r) + '\n' for r in reviews))
        (tmp_path/'meta_X.jsonl').write_text(''.join(json.dumps(m) + '\n' for m in meta))
    R = [{'user_id': f'u{u}', 'parent_asin': f'P{(u + j) % 5}', 'timestamp': 1_600_000_000_000 + j, 'rating': 5.0} for u in range(5) for j in range(5)]
    M = [{'parent_asin': 'P0', 'title': 'Gloss', 'store': 'Acme', 'details': {'Brand': 'Shiny'}, 'categories': ['Beauty', 'Lips'], 'price': 9.5,
          'images': [{'thumb': 't.jpg', 'large': 'l.jpg', 'hi_res': 'h.jpg', 'variant': 'MAIN'}]},
         {'parent_asin': 'P1', 'title': 'Comb', 'store': 'Acme', 'details': '{"UPC": "1"}', 'categories': [], 'price': None,
          'images': {'thumb': ['t1.jpg'], 'large': ['l1.jpg'], 'hi_res': [None], 'variant': ['MAIN']}},  # the column layout of some copies
         {'parent_asin': 'P2', 'title': '', 'store': None, 'details': {}, 'categories': None, 'price': 'from 3.99', 'images': []}]
    write(R, M)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always'); ds = load_amazon2023(tmp_path, 'X')
    got = {it.asin: (it.title, it.brand, it.categories, it.price, it.image) for it in ds.items}
    assert got['P0'] == ('Gloss', 'Shiny', [['Beauty', 'Lips']], 9.5, 'h.jpg')
    assert got['P1'] == ('Comb', 'Acme', [], None, 'l1.jpg')
    assert got['P2'] == (None, None, [], None, None)
    assert ds.missing == {'title': 3, 'brand': 3, 'categories': 4, 'price': 4, 'image': 3}
    assert any('1 prices could not be parsed' in str(x.message) and 'meta_X.jsonl, line 3' in str(x.message) for x in w)
    for i, field, v, msg in ((0, 'images', [{'large': 5}], "field 'images' should be a string, got int 5"),
                             (0, 'images', 'x', None), (1, 'details', '{"Brand": ', "field 'details' is neither JSON nor a Python literal"),
                             (1, 'store', {'name': 'Acme'}, "field 'store' should be a string, got dict"),
                             (2, 'categories', 'Beauty', "field 'categories' should be a list of category paths, got str 'Beauty'"),
                             (2, 'price', float('nan'), "field 'price' is not a finite number: nan"), (2, 'title', ['T'], "field 'title' should be a string")):
        write(R, [dict(m, **{field: v}) if j == i else m for j, m in enumerate(M)])
        if msg is None: assert load_amazon2023(tmp_path, 'X').n_items == 5; continue
        with pytest.raises(DataFormatError, match=rf"meta_X.jsonl, line {i + 1}: {msg}"): load_amazon2023(tmp_path, 'X')
    for v, msg in ((float('inf'), 'is not a whole number: inf'), ('1600000000000', None), (-5, 'is out of range'), ([1], 'should be a number')):
        write([dict(r, timestamp=v) if j == 7 else r for j, r in enumerate(R)], M)
        if msg is None: assert load_amazon2023(tmp_path, 'X').n_interactions == 25; continue
        with pytest.raises(DataFormatError, match=rf"X.jsonl, line 8: field 'timestamp' {msg}"): load_amazon2023(tmp_path, 'X')

def test_dataset_not_found_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setenv('TIGRESS_DATA', str(tmp_path))
    monkeypatch.setenv('TIGRESS_SHARED_DATA', str(tmp_path/'nothing'))
    monkeypatch.chdir(tmp_path)
    import tigress.data.loaders as L
    monkeypatch.setattr(L, 'project_root', lambda: tmp_path)
    with pytest.raises(FileNotFoundError, match='tigress download --release 2014 --category Beauty'):
        load_dataset('beauty')

def test_metadata_not_shaped_like_beauty(tmp_path, capsys):
    "No brand, categories, price or image fields at all, and some items without a title: loads, counted, described."
    d = tmp_path/'plain'; d.mkdir()
    (d/'sequential_data.txt').write_text('1 1 2 3\n2 2 4 5\n3 5 1\n')
    (d/'datamaps.json').write_text(json.dumps({'id2item': {str(i): f'P{i}' for i in range(1, 6)}}))
    rows = [{'item_id': 1, 'asin': 'P1', 'title': 'Wooden train'}, {'item_id': 2, 'asin': 'P2'}, {'item_id': 3, 'asin': 'P3', 'title': None},
            {'item_id': 4, 'asin': 'P4', 'title': ''}, {'item_id': 5, 'asin': 'P5', 'title': 'Kite'}]
    (d/'items.jsonl').write_text(''.join(json.dumps(r) + '\n' for r in rows))
    ds = load_dataset(str(d))
    assert (ds.n_users, ds.n_items, ds.n_interactions) == (3, 5, 8)
    assert ds.missing == {'title': 3, 'brand': 5, 'categories': 0 + 5, 'price': 5, 'image': 5}
    assert [it.title for it in ds.items] == ['Wooden train', None, None, None, 'Kite']
    r = describe(ds)
    assert r['missing']['brand'] == 5 and 0 < r['sparsity'] < 1 and r['length']['max'] == 3
    out = capsys.readouterr().out
    assert 'title 3 (60.0%), brand 5 (100.0%), categories 5 (100.0%)' in out, out
    assert item_text(ds.item(1)) == 'Title: Wooden train' and item_text(ds.item(2)) == ''

# ---------------------------------------------------------------------------------------------------------------------
# Randomized bad input. Real rows (from ../shared/data when present, else synthetic ones) are mutated at random with a
# seeded RNG, written, and loaded. Each load must either raise a DataFormatError naming the file and the line (and the
# field, for a bad value), or succeed with the intended values, a missing value counted in `ds.missing`, and nothing
# else changed. Any other exception fails the test.

NAN, INF = float('nan'), float('inf')
VALUES = [None, '', '   ', 'Plain text', ' padded ', 'http://x/1.jpg', 0, 7, -3, 2.5, 1e308, 10**30, True, False, NAN, INF, -INF,
          [], ['Beauty', 'Nails'], [['Beauty', 'Nails'], ['Gifts', ' ']], [['Beauty', 3]], [1, 2], [None], ['a', ['b']], {'a': 1}, {},
          '$1.00 - $2.00', '12.50', '$1,299.00', 'None', 'nan', 'inf', '-5', '\ud800 broken']
BAD_BYTES = [b'\xff', b'\xfe\xfe', b'\xc3', b'\x80', b'\xe9', b'\xed\xa0\x80', b'\xc0\xaf', b'\xf4\x90\x80\x80']
ATTR = {'title': 'title', 'brand': 'brand', 'categories': 'categories', 'price': 'price', 'imUrl': 'image'}
FIELDS = ('title', 'brand', 'categories', 'price', 'imUrl')

def _shared():
    d = shared_data()
    return d if d is not None and (d/'amazon2014'/'beauty'/'items.jsonl').exists() else None

def _text_ok(s): return not any('\ud800' <= c <= '\udfff' for c in s)

def _expect_price_str(v):
    s = v.strip().replace('$', '').replace(',', '')
    if s.lower() in ('', 'none', 'nan', 'null', '-', '—'): return 'ok', None
    try: p = float(s)
    except ValueError: return 'unparsed', None
    return ('ok', p) if math.isfinite(p) and p >= 0 else ('unparsed', None)

def _expect(field, v):
    "What a correct loader makes of the JSON value `v` of a metadata field: ('ok', value), ('unparsed', None) or ('error', None)."
    if field not in FIELDS: return 'ignored', None
    if v is None: return 'ok', [] if field == 'categories' else None
    if field == 'price':
        if isinstance(v, bool) or not isinstance(v, (int, float, str)): return 'error', None
        if isinstance(v, str): return _expect_price_str(v)
        return ('ok', float(v)) if math.isfinite(v) and v >= 0 else ('error', None)
    if field == 'categories':
        if not isinstance(v, list): return 'error', None
        paths = [v] if all(isinstance(c, str) for c in v) else v
        if not all(isinstance(p, list) and all(isinstance(c, str) and _text_ok(c) for c in p) for p in paths): return 'error', None
        return 'ok', [q for q in ([c for c in p if c.strip()] for p in paths) if q]
    if not isinstance(v, str) or not _text_ok(v): return 'error', None
    return 'ok', v.strip() or None

def _lacks(v): return v is None or v == '' or v == []

def _check(desc, load, exp, base, stats):
    "Load; compare with the expectation `exp` (kind 'error', 'ok' or 'either'; file, line, field; items; warn)."
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        try: ds = load()
        except DataFormatError as e:
            assert exp['kind'] in ('error', 'either'), f"{desc}: expected a correct load, got {e}"
            assert e.path.endswith(exp['file']) and e.line == exp['line'], f"{desc}: expected {exp['file']}, line {exp['line']}; got {e}"
            assert f"{exp['file']}, line {exp['line']}: " in str(e), f"{desc}: {e}"
            if exp.get('field'): assert f"field '{exp['field']}" in str(e), f"{desc}: the error does not name the field: {e}"
            stats['error'] += 1
            return
        except Exception as e: raise AssertionError(f"{desc}: {type(e).__name__}: {e}") from e
    msgs = [str(x.message) for x in w]
    assert exp['kind'] in ('ok', 'either'), f"{desc}: loaded without a word, but {exp['file']}, line {exp['line']} is bad ({msgs})"
    assert ds.users == base.users and [s.tolist() for s in ds.seqs] == [s.tolist() for s in base.seqs], desc
    want = exp.get('items', base.items)
    for got, it in zip(ds.items, want): assert vars(got) == vars(it), f"{desc}: {vars(got)} != {vars(it)}"
    assert len(ds.items) == len(want), desc
    assert ds.missing == {f: sum(_lacks(getattr(it, f)) for it in want) for f in ds.missing}, f"{desc}: {ds.missing}"
    if exp.get('warn'): assert any(exp['warn'] in m for m in msgs), f"{desc}: no warning with {exp['warn']!r}: {msgs}"
    stats['ok'] += 1

def _insert_bad_bytes(rng, line:bytes) -> bytes:
    "`line` with bytes that are not UTF-8 inserted at a character boundary."
    cuts = [i for i in range(len(line) + 1) if i == len(line) or not 0x80 <= line[i] < 0xc0]
    i = rng.choice(cuts)
    return line[:i] + rng.choice(BAD_BYTES) + line[i:]

def _with(items, i, **changes):
    "A copy of `items` with item `i` (0-based) changed."
    out = [copy.copy(it) for it in items]
    for k, v in changes.items(): setattr(out[i], k, v)
    return out

def _value_case(rng, items, i, field, v, file, line, folder=None):
    "The expectation when record `i`'s metadata `field` (on `line` of `file`) holds the value `v`."
    kind, val = _expect(field, v)
    if kind == 'error': return dict(kind='error', file=file, line=line, field=field)
    if kind == 'ignored': return dict(kind='ok')
    if kind == 'unparsed': return dict(kind='ok', items=_with(items, i, price=None), warn=f'could not be parsed and are treated as missing (first at {file}, line {line})')
    if field == 'imUrl' and folder is not None and val and '://' not in val: val = str(folder/val)  # P5: local paths are relative to the folder
    return dict(kind='ok', items=_with(items, i, **{ATTR[field]: val}))

# --- P5 layout: items.jsonl and sequential_data.txt

def _p5_rows(shared) -> list:
    if shared:  # the first rows of the real Beauty (brand, price) and Toys (brand and price null) files
        rows = []
        for sub, k in (('beauty', 24), ('toys', 16)):
            with open(shared/'amazon2014'/sub/'items.jsonl', encoding='utf-8') as f: rows += [json.loads(next(f)) for _ in range(k)]
    else:
        rows = [{'asin': f'B{i:04d}', 'title': f'Item &amp; {i}' if i % 7 else None, 'brand': f'Brand {i % 5}' if i % 3 else None,
                 'categories': [['Beauty', f'Cat {i % 4}']], 'price': None if i % 6 == 0 else 1.5 * i, 'sales_rank': 10.0 * i, 'imUrl': None}
                for i in range(40)]
    for i, r in enumerate(rows, 1): r['item_id'] = i
    return rows

def _write_p5(d, rows, seq_lines, item_lines):
    d.mkdir(parents=True, exist_ok=True)
    (d/'datamaps.json').write_text(json.dumps({'id2item': {str(r['item_id']): r['asin'] for r in rows},
                                               'id2user': {str(u): f'U{u}' for u in range(1, len(seq_lines) + 1)}}))
    (d/'sequential_data.txt').write_bytes(b''.join(l + b'\r\n' for l in seq_lines))
    (d/'items.jsonl').write_bytes(b''.join(l + b'\n' for l in item_lines))
    return d

def _p5_case(rng, rows, base, folder, seqs, items):
    "One random mutation of the P5 files: (description, seq lines, item lines, expectation)."
    n, seqs, items = len(rows), list(seqs), list(items)
    what = rng.choices(['value', 'drop', 'cut', 'bytes', 'junk', 'twice', 'seq'], [45, 10, 10, 10, 5, 5, 15])[0]
    i = rng.randrange(n); line = i + 1; r = dict(rows[i])
    if what in ('value', 'drop'):
        field = rng.choice([*FIELDS, 'sales_rank', 'item_id', 'asin'])
        v = rng.choice(VALUES) if what == 'value' else None
        if what == 'value': r[field] = v
        else: r.pop(field, None)
        items[i] = json.dumps(r).encode()
        desc = f"items.jsonl line {line}: {field} = {v!r}" if what == 'value' else f"items.jsonl line {line}: no {field}"
        if field in ('item_id', 'asin'):
            same = what == 'value' and type(v) is type(rows[i][field]) and v == rows[i][field]
            return desc, seqs, items, dict(kind='ok') if same else dict(kind='error', file='items.jsonl', line=line)
        return desc, seqs, items, _value_case(rng, base.items, i, field, v, 'items.jsonl', line, folder)
    if what == 'cut':
        k = rng.randrange(len(items[i])); items[i] = items[i][:k]
        exp = (dict(kind='ok', items=_with(base.items, i, **vars(Item(i + 1, rows[i]['asin']))), warn='no metadata at all for 1 of') if k == 0
               else dict(kind='error', file='items.jsonl', line=line))
        return f"items.jsonl line {line} cut to {k} bytes", seqs, items, exp
    if what == 'bytes':
        items[i] = _insert_bad_bytes(rng, items[i])
        return f"items.jsonl line {line}: {items[i]!r}", seqs, items, dict(kind='error', file='items.jsonl', line=line)
    if what == 'junk':
        junk = rng.choice([b'null', b'[1, 2]', b'"text"', b'{"item_id": ', b'garbage', b'{}', b'{"item_id": 1.0, "asin": "x"}',
                           b'{"item_id": true, "asin": "x"}', b'{"item_id": 1, "asin": ["x"]}', b'[' * 50000])
        items.insert(i, junk)
        return f"items.jsonl: {junk[:40]!r} inserted as line {line}", seqs, items, dict(kind='error', file='items.jsonl', line=line)
    if what == 'twice':
        items.insert(i + 1, items[i])
        return f"items.jsonl line {line} repeated", seqs, items, dict(kind='error', file='items.jsonl', line=line + 1)
    u = rng.randrange(len(seqs)); toks = seqs[u].split(b' ')
    how = rng.choice(['token', 'bytes', 'short'])
    if how == 'token': toks[rng.randrange(1, len(toks))] = rng.choice(['x', '-1', '0', str(n + 1), '²', '1.5', '9' * 30, '٣', '1e3']).encode()
    elif how == 'short': toks = toks[:1]
    seqs[u] = _insert_bad_bytes(rng, seqs[u]) if how == 'bytes' else b' '.join(toks)
    return f"sequential_data.txt line {u + 1}: {seqs[u]!r}", seqs, items, dict(kind='error', file='sequential_data.txt', line=u + 1)

def test_p5_random_bad_input(tmp_path):
    rng = random.Random(36)
    rows = _p5_rows(_shared())
    seqs = [' '.join(map(str, [u] + [rng.randint(1, len(rows)) for _ in range(rng.randint(1, 8))])).encode() for u in range(1, 31)]
    items = [json.dumps(r).encode() for r in rows]
    base = load_p5(_write_p5(tmp_path/'base', rows, seqs, items))
    assert [it.title for it in base.items] == [r['title'] and r['title'].strip() for r in rows]  # the rows load as they are
    folder, stats = tmp_path/'m', {'ok': 0, 'error': 0}
    for k in range(220):
        desc, s, its, exp = _p5_case(rng, rows, base, folder, seqs, items)
        _write_p5(folder, rows, s, its)
        _check(f"mutation {k}, {desc}", lambda: load_p5(folder, 'base'), exp, base, stats)
    assert stats['ok'] >= 40 and stats['error'] >= 80, stats

# --- raw Amazon 2014: reviews (JSON lines) and metadata (Python literals), gzip

def _meta_2014_rows(shared) -> list:
    src = []
    if shared:
        with open(shared/'amazon2014'/'beauty'/'items.jsonl', encoding='utf-8') as f: src = [json.loads(next(f)) for _ in range(6)]
    keys = ('title', 'brand', 'categories', 'price', 'imUrl')
    return [{'asin': f'A{i}', **({k: s[k] for k in keys} if src else
             {'title': f'T{i}', 'brand': f'B{i}' if i % 2 else None, 'categories': [['Toys', f'C{i}']], 'price': 2.0 + i,
              'imUrl': f'http://x/{i}.jpg'}), 'salesRank': {'Toys': i + 1}} for i, s in enumerate(src or [None] * 6)]

def _gz(d, name, lines): (d/name).write_bytes(gzip.compress(b''.join(l + b'\n' for l in lines)))

def _has_nonfinite(v):
    if isinstance(v, float): return not math.isfinite(v)
    if isinstance(v, (list, tuple)): return any(map(_has_nonfinite, v))
    if isinstance(v, dict): return any(map(_has_nonfinite, v.values()))
    return False

def test_amazon2014_random_bad_input(tmp_path):
    rng = random.Random(2014)
    metas = _meta_2014_rows(_shared())
    reviews = [{'reviewerID': f'U{u}', 'asin': f'A{(u + j) % 6}', 'unixReviewTime': 1_400_000_000 + 86400 * j} for u in range(6) for j in range(5)]
    R0, M0 = [json.dumps(r).encode() for r in reviews], [repr(m).encode() for m in metas]
    _gz(tmp_path, 'reviews_Toy_5.json.gz', R0); _gz(tmp_path, 'meta_Toy.json.gz', M0)
    base = load_amazon2014(tmp_path, 'Toy')
    pos = {it.asin: it.item_id - 1 for it in base.items}
    stats = {'ok': 0, 'error': 0}
    for k in range(90):
        R, M = list(R0), list(M0)
        if rng.random() < 0.6:  # the metadata
            i = rng.randrange(len(M)); line = i + 1; m = dict(metas[i]); at = pos[m['asin']]
            what = rng.choice(['value', 'value', 'drop', 'cut', 'bytes'])
            if what in ('value', 'drop'):
                field = rng.choice([*FIELDS, 'salesRank', 'asin'])
                v = rng.choice(VALUES) if what == 'value' else None
                if what == 'value': m[field] = v
                else: m.pop(field)
                M[i] = repr(m).encode(); desc = f"meta line {line}: {field} = {v!r} ({what})"
                if _has_nonfinite(v): exp = dict(kind='error', file='meta_Toy.json.gz', line=line)  # nan/inf are not Python literals
                elif field == 'asin':
                    if isinstance(v, str) and v: exp = dict(kind='either', file='meta_Toy.json.gz', line=line, warn='no metadata at all for 1 of',
                                                            items=_with(base.items, at, **vars(Item(at + 1, metas[i]['asin']))))
                    else: exp = dict(kind='error', file='meta_Toy.json.gz', line=line)
                else: exp = _value_case(rng, base.items, at, field, v, 'meta_Toy.json.gz', line)
            elif what == 'cut':
                c = rng.randrange(len(M[i])); M[i] = M[i][:c]; desc = f"meta line {line} cut to {c} bytes"
                exp = (dict(kind='ok', items=_with(base.items, at, **vars(Item(at + 1, metas[i]['asin']))), warn='no metadata at all for 1 of')
                       if c == 0 else dict(kind='error', file='meta_Toy.json.gz', line=line))
            else:
                M[i] = _insert_bad_bytes(rng, M[i]); desc = f"meta line {line}: {M[i]!r}"
                exp = dict(kind='error', file='meta_Toy.json.gz', line=line)
        else:  # the reviews
            i = rng.randrange(len(R)); line = i + 1; r = dict(reviews[i]); t = r['unixReviewTime']
            what = rng.choice(['time', 'time', 'key', 'drop', 'cut', 'bytes'])
            exp = dict(kind='error', file='reviews_Toy_5.json.gz', line=line)
            if what == 'time':
                v = rng.choice([None, '', 'soon', 1.5, -1, 2**60, True, [t], {'t': t}, NAN, INF, float(t), str(t), f' {t} ', f'{t}.0'])
                r['unixReviewTime'] = v; desc = f"review line {line}: unixReviewTime = {v!r}"
                if v in (float(t), str(t), f' {t} ', f'{t}.0') and not isinstance(v, bool): exp = dict(kind='ok')  # the same time, written otherwise
                else: exp['field'] = 'unixReviewTime'
            elif what == 'key':
                f = rng.choice(['reviewerID', 'asin']); v = rng.choice([None, '', '  ', 5, [r[f]], {'a': 1}, True])
                r[f] = v; desc = f"review line {line}: {f} = {v!r}"; exp['field'] = f
            elif what == 'drop':
                f = rng.choice(['reviewerID', 'asin', 'unixReviewTime']); r.pop(f); desc = f"review line {line}: no {f}"
            if what in ('time', 'key', 'drop'): R[i] = json.dumps(r).encode()
            elif what == 'cut': c = rng.randrange(1, len(R[i])); R[i] = R[i][:c]; desc = f"review line {line} cut to {c} bytes"
            else: R[i] = _insert_bad_bytes(rng, R[i]); desc = f"review line {line}: {R[i]!r}"
        d = tmp_path/'m'; d.mkdir(exist_ok=True)
        _gz(d, 'reviews_Toy_5.json.gz', R); _gz(d, 'meta_Toy.json.gz', M)
        _check(f"mutation {k}, {desc}", lambda: load_amazon2014(d, 'Toy'), exp, base, stats)
    assert stats['ok'] >= 15 and stats['error'] >= 30, stats

# --- Amazon 2023: the official split CSVs and a metadata CSV

def _rows_2023(shared):
    "(split rows by part, metadata rows): the first users of the real All_Beauty split where present, else synthetic ones."
    if shared:
        folder = shared/'amazon2023'/'all_beauty'
        rd = lambda name: list(csv.DictReader(open(folder/name, encoding='utf-8', newline='')))
        train = rd('All_Beauty.train.csv')
        users = list(dict.fromkeys(r['user_id'] for r in train))[:15]
        parts = {s: [r for r in rd(f'All_Beauty.{s}.csv') if r['user_id'] in users] for s in ('train', 'valid', 'test')}
        asins = {r['parent_asin'] for p in parts.values() for r in p}
        meta = [r for r in rd('filterd_meta_items.csv') if r['parent_asin'] in asins]
        return parts, meta
    parts = {'train': [], 'valid': [], 'test': []}
    for u in range(8):
        for j in range(5):
            parts['train' if j < 3 else 'valid' if j == 3 else 'test'].append(dict(
                user_id=f'U{u}', parent_asin=f'P{(u + j) % 7}', rating='5.0', timestamp=str(1_600_000_000_000 + 1000 * (5 * u + j)), history=''))
    meta = [{'': str(i), 'title': f'Cream {i}', 'description': '', 'price': '' if i % 3 else f'{i}.99',
             'details': repr({'Brand': f'B{i}', 'UPC': str(i)}) if i % 2 else '', 'parent_asin': f'P{i}'} for i in range(7)]
    return parts, meta

def _csv_lines(rows) -> list:
    "A header line and one line per row (no field holds a line break), as bytes."
    cols = list(rows[0])
    def line(vals):
        f = io.StringIO(); csv.writer(f, lineterminator='').writerow(vals); return f.getvalue().encode()
    return [line(cols)] + [line([r[c] for c in cols]) for r in rows]

DETAILS = {"{'Brand': 'Acme'}": 'Acme', "{'Brand': ' Jay '}": 'Jay', '{"Brand": "Jay"}': 'Jay', "{'UPC': '1'}": None, "{'Brand': ''}": None,
           '': None, '   ': None, "{'Brand': 5}": 'error', "{'Brand': ['x']}": 'error', "{'Brand'": 'error', '[1, 2]': 'error',
           'Plain text': 'error', '5': 'error', "{'Brand': 'A', 'X': {1: [2}}": 'error'}
CELLS = ['', '   ', 'Plain text', ' padded ', 'nan', 'None', '$1.00 - $2.00', '12.50', '-5', 'inf', '1e400', 'x,y', '"quoted"']

def test_amazon2023_random_bad_input(tmp_path):
    rng = random.Random(2023)
    parts, meta = _rows_2023(_shared())
    for r in (*meta, *(r for p in parts.values() for r in p)):
        for c in r: r[c] = r[c].replace('\n', ' ').replace('\r', ' ')
    L0 = {f'X.{s}.csv': _csv_lines(p) for s, p in parts.items()}
    L0['meta_items.csv'] = _csv_lines(meta)
    def write(d, lines):
        d.mkdir(exist_ok=True)
        for name, ls in lines.items(): (d/name).write_bytes(b''.join(l + b'\n' for l in ls))
        return d
    base = load_amazon2023(write(tmp_path/'base', L0), 'X')
    pos = {it.asin: it.item_id - 1 for it in base.items}
    assert all(pos[r['parent_asin']] is not None for r in meta) and base.missing['title'] == 0
    stats = {'ok': 0, 'error': 0}
    for k in range(150):
        L = {n: list(ls) for n, ls in L0.items()}
        name = rng.choice(['meta_items.csv'] * 3 + [f'X.{s}.csv' for s in parts])
        rows = meta if name == 'meta_items.csv' else parts[name[2:-4]]
        i = rng.randrange(len(rows)); line = i + 2; r = dict(rows[i])
        what = rng.choice(['cell', 'cell', 'cell', 'short', 'long', 'bytes'])
        exp = dict(kind='error', file=name, line=line)
        if what == 'cell':
            if name == 'meta_items.csv':
                col = rng.choice(['title', 'price', 'details', 'details', 'parent_asin', 'description'])
                v = rng.choice(list(DETAILS)) if col == 'details' else rng.choice(CELLS)
                at = pos[r['parent_asin']]
                if col == 'title': exp = dict(kind='ok', items=_with(base.items, at, title=v.strip() or None))
                elif col == 'price':
                    kind, val = _expect_price_str(v)
                    exp = dict(kind='ok', items=_with(base.items, at, price=val))
                    if kind == 'unparsed': exp['warn'] = f'could not be parsed and are treated as missing (first at meta_items.csv, line {line})'
                elif col == 'details':
                    want = DETAILS[v]
                    exp = dict(exp, field='details') if want == 'error' else dict(kind='ok', items=_with(base.items, at, brand=want))
                elif col == 'parent_asin':
                    exp = (dict(exp, field='parent_asin') if not v.strip() else  # another key: the item has no metadata, and that is said
                           dict(kind='ok', items=_with(base.items, at, **vars(Item(at + 1, r['parent_asin']))), warn='no metadata at all for 1 of'))
                else: exp = dict(kind='ok')  # a column no loader reads
            else:
                col = rng.choice(['timestamp', 'timestamp', 'user_id', 'parent_asin', 'rating'])
                t = r['timestamp']
                if col == 'timestamp':
                    v = rng.choice(['', 'soon', '1.5', '-1', 'inf', 'nan', '1e400', str(2**60), 'True', '[1]', f'{t}.0', f' {t}'])
                    exp = dict(kind='ok') if v in (f'{t}.0', f' {t}') else dict(exp, field='timestamp')
                elif col == 'rating': v = rng.choice(['', 'five', 'nan', '[1]', '-1e400']); exp = dict(kind='ok')  # not read
                else: v = rng.choice(['', '   ']); exp = dict(exp, field=col)
            r[col] = v
            L[name][i + 1] = _csv_lines([r])[1]
            desc = f"{name} line {line}: {col} = {v!r}"
        elif what in ('short', 'long'):
            vals = list(r.values())
            vals = vals[:-rng.randint(1, len(vals) - 1)] if what == 'short' else vals + ['extra'] * rng.randint(1, 2)
            f = io.StringIO(); csv.writer(f, lineterminator='').writerow(vals); L[name][i + 1] = f.getvalue().encode()
            desc = f"{name} line {line}: {len(vals)} fields"
        else:
            if rng.random() < 0.1: i, line = -1, 1; exp['line'] = 1  # the header
            L[name][i + 1] = _insert_bad_bytes(rng, L[name][i + 1]); desc = f"{name} line {line}: {L[name][i + 1]!r}"
        d = write(tmp_path/'m', L)
        _check(f"mutation {k}, {desc}", lambda: load_amazon2023(d, 'X'), exp, base, stats)
    assert stats['ok'] >= 30 and stats['error'] >= 50, stats
