"Loaders on the real Amazon data in ../shared/data (skipped where it is absent)."
import csv, gzip, json, subprocess
from pathlib import Path
import numpy as np
import pytest
from conftest import TIGRESS
from tigress.data.loaders import load_dataset, load_p5, load_amazon2014, load_amazon2023
from tigress.data.split import leave_last_out
from tigress.data.dataset import describe

def test_beauty_statistics_are_exact(shared):
    d = describe(load_dataset('beauty'), show=False)
    assert (d['users'], d['items'], d['interactions']) == (22363, 12101, 198502)
    r = subprocess.run([TIGRESS, 'describe', '--data', 'beauty'], capture_output=True, text=True)
    assert '22,363 users, 12,101 items, 198,502 interactions' in r.stdout, r.stderr

def test_raw_2014_files_give_the_p5_sequences(shared, tmp_path):
    "Write Beauty as the raw 2014 release files (from the P5 copy) and read them back with the raw loader."
    p5 = load_p5(shared/'amazon2014/beauty', 'beauty')
    maps = json.loads((shared/'amazon2014/beauty/datamaps.json').read_text())
    rows = []
    for u, s in enumerate(p5.seqs):
        for j, i in enumerate(s): rows.append((1_300_000_000 + 86400*j + u, p5.users[u], p5.item(i).asin))
    rows.sort(key=lambda r: r[2])  # the release lists reviews by product, not by user
    with gzip.open(tmp_path/'reviews_Beauty_5.json.gz', 'wt') as f:
        for t, u, a in rows: f.write(json.dumps({'reviewerID': u, 'asin': a, 'unixReviewTime': t, 'overall': 5.0}) + '\n')
    with gzip.open(tmp_path/'meta_Beauty.json.gz', 'wt') as f:
        for it in p5.items:
            f.write(repr({'asin': it.asin, 'title': it.title, 'brand': it.brand, 'categories': it.categories,
                          'price': it.price, 'salesRank': {'Beauty': 1}}) + '\n')
        f.write(repr({'asin': 'NOTUSED', 'title': 'an item no one reviewed'}) + '\n')
    raw = load_amazon2014(tmp_path, 'Beauty')
    assert (raw.n_users, raw.n_items, raw.n_interactions) == (22363, 12101, 198502)
    want = {u: [p5.item(i).asin for i in s] for u, s in zip(p5.users, p5.seqs)}
    got = {u: [raw.item(i).asin for i in s] for u, s in zip(raw.users, raw.seqs)}
    assert got == want
    by_asin = {it.asin: it for it in raw.items}
    assert all(by_asin[it.asin].title == it.title and by_asin[it.asin].price == it.price for it in p5.items)
    assert raw.missing == p5.missing

def _read(p):
    return list(csv.DictReader(open(p)))

def test_2023_split_is_reproduced_by_leave_last_out(shared):
    folder = shared/'amazon2023/all_beauty'
    ds = load_amazon2023(folder, 'All_Beauty')
    sp = leave_last_out(ds, max_len=50)
    for name, ex in (('valid', sp.valid), ('test', sp.test)):
        official = {r['user_id']: r['parent_asin'] for r in _read(folder/f'All_Beauty.{name}.csv')}
        ours = {ds.users[u]: ds.item(t).asin for u, t in zip(ex.users, ex.targets)}
        assert ours == official
    train = _read(folder/'All_Beauty.train.csv')
    assert len(sp.train) + len(sp.users) == len(train)  # each user's first training row starts no window

def test_2023_raw_reviews_match_the_split(shared, tmp_path):
    "The raw-reviews path (JSON lines + meta JSON lines) gives the same sequences as the official split."
    folder = shared/'amazon2023/all_beauty'
    rows = [r for s in ('train', 'valid', 'test') for r in _read(folder/f'All_Beauty.{s}.csv')]
    with gzip.open(tmp_path/'All_Beauty.jsonl.gz', 'wt') as f:
        for r in rows: f.write(json.dumps({'user_id': r['user_id'], 'parent_asin': r['parent_asin'], 'rating': float(r['rating']),
                                           'timestamp': int(r['timestamp']), 'text': 'review'}) + '\n')
    with gzip.open(tmp_path/'meta_All_Beauty.jsonl.gz', 'wt') as f:
        for r in _read(folder/'filterd_meta_items.csv'):
            f.write(json.dumps({'parent_asin': r['parent_asin'], 'title': r['title'], 'price': r['price'] or None,
                                'store': 'Some Store', 'categories': ['All Beauty', 'Skin Care'],
                                'images': [{'large': f'https://img/{r["parent_asin"]}.jpg', 'variant': 'MAIN'}]}) + '\n')
    raw = load_amazon2023(tmp_path, 'All_Beauty')
    split = load_amazon2023(folder, 'All_Beauty')
    assert {u: [raw.item(i).asin for i in s] for u, s in zip(raw.users, raw.seqs)} == \
           {u: [split.item(i).asin for i in s] for u, s in zip(split.users, split.seqs)}
    assert raw.missing['image'] == 0 and raw.missing['categories'] == 0 and raw.item(1).brand == 'Some Store'

def test_beauty_split_never_leaks(shared):
    "No training window of any Beauty user reaches that user's validation or test position."
    from tigress.data.split import check_no_leak
    ds = load_dataset('beauty')
    sp = leave_last_out(ds)
    assert len(sp.train) == 131413
    check_no_leak(ds, sp)
