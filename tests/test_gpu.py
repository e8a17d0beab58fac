"""On a CUDA GPU (skipped without one): the compiled Triton kernels and their gradients against the torch path, the model
on the GPU against the same weights on the CPU, generation with the Triton jagged attention, and training with bf16
mixed precision, checkpoints and resume on the GPU.

`TIGRESS_TEST_DEVICE=cpu TRITON_INTERPRET=1` runs this file's logic on the CPU (a dry run of the tests themselves)."""
import os
import numpy as np
import pytest
import torch

DEV = torch.device(os.environ.get('TIGRESS_TEST_DEVICE', 'cuda'))
pytestmark = pytest.mark.skipif(DEV.type == 'cuda' and not torch.cuda.is_available(), reason='needs a CUDA GPU')

from tigress.jagged import jagged_to_padded, padded_to_jagged, jagged_attention, lengths_to_offsets
from tigress.decoder import TIGER, TIGERConfig, Recommender
from tigress.semids import SemanticIDs

@pytest.fixture(autouse=True)
def full_fp32():
    "fp32 matmuls without TF32, so the GPU and the CPU agree to float tolerance."
    prev = torch.backends.cuda.matmul.allow_tf32,torch.backends.cudnn.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
    yield
    torch.backends.cuda.matmul.allow_tf32,torch.backends.cudnn.allow_tf32 = prev

def test_conversions_forward_and_backward_match_torch():
    g = torch.Generator().manual_seed(0)
    cases = 0
    for lengths in ([3, 0, 1, 5], [20] * 7 + [1, 13], list(range(0, 41))):
        off = lengths_to_offsets(torch.tensor(lengths)).to(DEV); N,T = int(off[-1]),max(lengths)
        for dtype in (torch.float32, torch.bfloat16):
            for max_len in (T, T + 3, T - 2):
                x = torch.randn(N, 70, generator=g).to(DEV, dtype)
                xs = [x.clone().requires_grad_() for _ in range(2)]
                p = [jagged_to_padded(xi, off, max_len, backend=b) for xi,b in zip(xs, ('torch', 'triton'))]
                assert torch.equal(p[0], p[1]), (lengths, dtype, max_len)
                w = torch.randn(p[0].shape, generator=g).to(DEV)
                for pi in p: (pi.float() * w).sum().backward()
                assert torch.equal(xs[0].grad, xs[1].grad), (lengths, dtype, max_len)
                if max_len >= T:
                    ys = [p[0].detach().clone().requires_grad_() for _ in range(2)]
                    j = [padded_to_jagged(yi, off, backend=b) for yi,b in zip(ys, ('torch', 'triton'))]
                    assert torch.equal(j[0], j[1]) and torch.equal(j[1], x)
                    for ji in j: (ji.float() * torch.arange(ji.numel(), device=DEV).view(ji.shape)).sum().backward()
                    assert torch.equal(ys[0].grad, ys[1].grad)
                cases += 1
    assert cases == 18

@pytest.mark.parametrize('dtype,atol', [(torch.float32, 1e-2), (torch.bfloat16, 2e-2)])
def test_jagged_attention_kernel_matches_torch(dtype, atol):
    """At generation's sizes (20 beams, 6 heads of 64, histories of 0 to 80 tokens). Triton's `tl.dot` takes fp32 in TF32
    (its default; 3.2e-3 at most seen on an H200), so fp32 agrees to TF32's precision, not fp32's."""
    g = torch.Generator().manual_seed(0)
    lengths = torch.randint(1, 81, (300,), generator=g); lengths[:3] = torch.tensor([0, 1, 80])
    off = lengths_to_offsets(lengths).to(DEV); N = int(off[-1])
    q = torch.randn(300, 6, 20, 64, generator=g).to(DEV, dtype)
    k,v = (torch.randn(N, 6, 64, generator=g).to(DEV, dtype) for _ in range(2))
    for bias in (None, (torch.randn(N, 6, generator=g) * 3).to(DEV, dtype)):  # with the recency bias's form: a score per key and head
        a,b = (jagged_attention(q, k, v, off, bias, backend=be).float() for be in ('torch', 'triton'))
        assert float((a - b).abs().max()) < atol, (bias is None, float((a - b).abs().max()))
        assert torch.equal(b[0], torch.zeros_like(b[0]))  # no keys: zeros

def tiny(causal=False, **kw):
    cfg = TIGERConfig(code_sizes=(8, 8, 8, 3), d_model=32, n_heads=2, head_dim=16, d_ff=64, n_enc=2, n_dec=2, dropout=0.0, max_items=5, causal=causal, **kw)
    torch.manual_seed(0)
    return TIGER(cfg)

def grads(model, loss):
    model.zero_grad(); loss.backward()
    return {n: p.grad.detach().cpu() for n,p in model.named_parameters() if p.grad is not None}

def test_model_on_the_gpu_matches_the_cpu_and_the_padded_reference():
    "The jagged model on the GPU (Triton conversions in the encoder): outputs and every parameter's gradient as on the CPU and as padded."
    cpu = tiny(); gpu = tiny().to(DEV)
    lengths = torch.tensor([1, 7, 20, 4])
    g = torch.Generator().manual_seed(1)
    rows = [torch.randint(0, 3, (n,), generator=g) for n in lengths.tolist()]
    tokens,offsets = torch.cat(rows),lengths_to_offsets(lengths)
    target = torch.randint(0, 3, (4, 4), generator=g)
    padded = torch.nn.utils.rnn.pad_sequence(rows, batch_first=True)
    to = lambda *ts: [t.to(DEV) for t in ts]
    mc,kc = cpu.encode(tokens, offsets)
    mg,kg = gpu.encode(*to(tokens, offsets))
    torch.testing.assert_close(mg.cpu()[kc], mc[kc], atol=1e-5, rtol=1e-4)
    gc = grads(cpu, cpu.loss(*cpu.encode(tokens, offsets), target, reduction='sum'))
    gg = grads(gpu, gpu.loss(*gpu.encode(*to(tokens, offsets)), target.to(DEV), reduction='sum'))
    gp = grads(gpu, gpu.loss(*gpu.encode_padded(*to(padded, lengths)), target.to(DEV), reduction='sum'))
    assert gc.keys() == gg.keys() == gp.keys()
    assert any(n.startswith('enc.') for n in gg)  # the encoder is trained through the conversions
    for n in gc:
        torch.testing.assert_close(gg[n], gc[n], atol=1e-5, rtol=1e-3, msg=n)
        torch.testing.assert_close(gg[n], gp[n], atol=1e-5, rtol=1e-3, msg=n)

def demo_ids(ds, seed=0):
    "Semantic IDs for the demo's items from random codes (the device has no text model; the IDs only name items here)."
    return SemanticIDs.from_codes(np.random.default_rng(seed).integers(0, 32, (ds.n_items, 3)), 32)

@pytest.mark.parametrize('recency', [False, True])
def test_recommend_on_the_gpu_matches_the_cpu(recency):
    "Beam search on the GPU (Triton jagged cross-attention, with the recency biases or without) returns the CPU's lists for the same weights, leaving out seen items."
    from tigress.data.demo import load_demo
    from tigress.data.split import leave_last_out
    ds = load_demo(); sp = leave_last_out(ds); ids = demo_ids(ds)
    torch.manual_seed(0)
    cpu = TIGER(TIGERConfig(code_sizes=ids.sizes, d_model=64, n_heads=4, head_dim=16, d_ff=128, n_enc=2, n_dec=2, causal=recency, recency=recency))
    if recency:
        for b in cpu.dec: torch.nn.init.normal_(b.cross_attn.rel, std=2.0)  # biases that matter (they start at zero)
    gpu = TIGER(cpu.cfg); gpu.load_state_dict(cpu.state_dict()); gpu.to(DEV)
    ex = sp.test.subset(np.arange(300))
    seen = ex.seen
    lists = {}
    for name,m,jagged in (('cpu', cpu, None), ('gpu', gpu, None), ('gpu_padded', gpu, False)):
        r = Recommender(m, ids, 20, jagged=jagged)
        lists[name] = r.recommend(ex.histories, ex.users, 10, exclude=seen)
    overlap = lambda a, b: np.mean([len(set(x) & set(y)) / 10 for x,y in zip(a, b)])
    assert overlap(lists['gpu'], lists['cpu']) > 0.98 and overlap(lists['gpu'], lists['gpu_padded']) > 0.98
    for row,s in zip(lists['gpu'], seen.tolist()): assert not set(row) & set(s) and len(set(row)) == 10

def test_training_on_the_gpu_learns_checkpoints_and_resumes(tmp_path):
    "bf16 mixed precision on the GPU: it beats the untrained model; a run stopped half-way and resumed (in a fresh model) ends as the uninterrupted one."
    from tigress.data.demo import load_demo
    from tigress.data.split import leave_last_out
    from tigress.metrics import evaluate, seen_policy
    from tigress.train import TrainConfig, train
    ds = load_demo(); sp = leave_last_out(ds); ids = demo_ids(ds)
    mcfg = TIGERConfig(code_sizes=ids.sizes, d_model=64, n_heads=4, head_dim=16, d_ff=256, n_enc=2, n_dec=2, dropout=0.1)
    tcfg = TrainConfig(batch_size=64, steps=400, warmup=20, eval_every=100, eval_users=300, ckpt_every=100, lr=3e-3, bf16=True, device=str(DEV))
    torch.manual_seed(0); a = TIGER(mcfg).to(DEV)
    valid = sp.valid.subset(np.sort(np.random.default_rng(0).choice(len(sp.valid), 300, replace=False)))  # `train`'s validation users
    before = evaluate(Recommender(a, ids), valid, ds.n_items, (10,), progress=False, exclude_seen=seen_policy(sp.valid))
    ha = train(a, sp, ids, tcfg, tmp_path/'a', progress=False)
    assert next(a.parameters()).device.type == DEV.type
    assert ha[-1]['loss'] < ha[0]['loss'] and max(h['NDCG@10'] for h in ha) > 2 * before['NDCG@10'] + 0.01, (before, ha)
    torch.manual_seed(0); b = TIGER(mcfg); train(b, sp, ids, tcfg, tmp_path/'b', max_steps=200, progress=False)
    torch.manual_seed(5); b = TIGER(mcfg); hb = train(b, sp, ids, tcfg, tmp_path/'b', progress=False)
    assert [h['step'] for h in hb] == [h['step'] for h in ha]
    for x,y in zip(ha, hb):  # GPU scatter-adds may sum in another order: equal up to that
        assert abs(x['loss'] - y['loss']) < 0.05 and abs(x['Recall@10'] - y['Recall@10']) < 0.03, (x, y)
    exact = all(torch.equal(p, q) for p,q in zip(a.state_dict().values(), b.state_dict().values()))
    print(f"resumed on {DEV}: parameters bit-identical to the uninterrupted run: {exact}")
