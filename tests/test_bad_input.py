"Bad input gives errors that name the file and line; nothing is silently dropped."
import gzip, json, warnings
import pytest
from tigress.data.dataset import DataFormatError
from tigress.data.loaders import load_amazon2014, load_amazon2023, load_dataset

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
    with pytest.raises(DataFormatError, match=r"X.test.csv, line 2: timestamp 'soon' is not a number"):
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

def test_dataset_not_found_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setenv('TIGRESS_DATA', str(tmp_path))
    monkeypatch.setenv('TIGRESS_SHARED_DATA', str(tmp_path/'nothing'))
    monkeypatch.chdir(tmp_path)
    import tigress.data.loaders as L
    monkeypatch.setattr(L, 'project_root', lambda: tmp_path)
    with pytest.raises(FileNotFoundError, match='tigress download --release 2014 --category Beauty'):
        load_dataset('beauty')
