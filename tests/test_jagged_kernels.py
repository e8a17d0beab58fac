"The Triton jagged kernels against the torch path, in Triton's interpreter on CPU tensors (tiny inputs)."
import os, subprocess, sys, textwrap

CODE = textwrap.dedent('''
    import torch
    from tigress.jagged import jagged_to_padded, padded_to_jagged, lengths_to_offsets
    g = torch.Generator().manual_seed(0)
    cases = 0
    for lengths in ([3, 0, 1, 5], [1], [0, 0], [7, 2, 2, 1, 6]):
        off = lengths_to_offsets(torch.tensor(lengths))
        N = int(off[-1])
        for shape, dtype in (((N,), torch.int64), ((N, 5), torch.float32), ((N, 70), torch.float32)):
            vals = (torch.randn(shape, generator=g) * 10).to(dtype)
            for max_len in (max(lengths), max(lengths) + 3, max(1, max(lengths) - 2)):
                a = jagged_to_padded(vals, off, max_len, pad=-1, backend='torch')
                b = jagged_to_padded(vals, off, max_len, pad=-1, backend='triton')
                assert a.shape == b.shape and torch.equal(a, b), (lengths, shape, max_len)
                if max_len >= max(lengths):
                    assert torch.equal(padded_to_jagged(a, off, backend='triton'), vals)
                    assert torch.equal(padded_to_jagged(a, off, backend='torch'), vals)
                cases += 1
    print('cases', cases)
''')

def interpreted(code:str) -> str:
    "Run `code` in a fresh process with Triton's interpreter on (it must be set before triton is imported); its stdout."
    r = subprocess.run([sys.executable, '-c', code], env=dict(os.environ, TRITON_INTERPRET='1'), capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    return r.stdout

def test_triton_kernels_match_torch_in_the_interpreter():
    assert 'cases 36' in interpreted(CODE)


ATTENTION = textwrap.dedent('''
    import torch
    from tigress.jagged import jagged_attention, lengths_to_offsets
    g = torch.Generator().manual_seed(0)
    cases = 0
    # rows without keys, one key, more keys than a block (32), W not a multiple of the 16-beam block, d not a power of 2
    for lengths, H, W, D in (([0, 1, 5, 3], 2, 3, 8), ([40, 1, 33], 1, 20, 16), ([7], 3, 17, 24), ([2, 70], 2, 1, 64)):
        off = lengths_to_offsets(torch.tensor(lengths)); N = int(off[-1])
        q = torch.randn(len(lengths), H, W, D, generator=g)
        k, v = torch.randn(N, H, D, generator=g), torch.randn(N, H, D, generator=g)
        for bias in (None, torch.randn(N, H, generator=g) * 3):  # without and with a score bias per key and head
            a = jagged_attention(q, k, v, off, bias, backend='torch')
            b = jagged_attention(q, k, v, off, bias, backend='triton')
            assert a.shape == b.shape and torch.allclose(a, b, atol=1e-4), (lengths, H, W, D, float((a - b).abs().max()))
            assert torch.equal(b[torch.tensor(lengths) == 0], torch.zeros_like(b[torch.tensor(lengths) == 0]))
            cases += 1
        assert not torch.allclose(a, jagged_attention(q, k, v, off, backend='triton'), atol=1e-3)  # the bias moves the outputs
    print('attention cases', cases)
''')

def test_jagged_attention_kernel_matches_torch_in_the_interpreter():
    assert 'attention cases 8' in interpreted(ATTENTION)


GRADIENTS = textwrap.dedent('''
    import torch
    from tigress.jagged import jagged_to_padded, padded_to_jagged, lengths_to_offsets
    g = torch.Generator().manual_seed(1)
    cases = 0
    for lengths in ([3, 0, 1, 5], [7, 2, 2, 1, 6]):
        off = lengths_to_offsets(torch.tensor(lengths)); N = int(off[-1])
        for max_len in (max(lengths), max(lengths) + 2, max(lengths) - 2):  # the last one cuts rows short: their tails get no gradient
            grads = []
            for backend in ('torch', 'triton'):
                x = torch.randn(N, 5, generator=torch.Generator().manual_seed(cases)).requires_grad_()
                p = jagged_to_padded(x, off, max_len, backend=backend)
                w = torch.randn(p.shape, generator=torch.Generator().manual_seed(99))
                (p * w).sum().backward(); grads.append(x.grad)
            assert torch.equal(grads[0], grads[1]), (lengths, max_len)
            if max_len >= max(lengths):
                grads = []
                for backend in ('torch', 'triton'):
                    y = torch.randn(len(lengths), max_len, 5, generator=torch.Generator().manual_seed(cases)).requires_grad_()
                    j = padded_to_jagged(y, off, backend=backend)
                    (j * torch.arange(j.numel()).view(j.shape)).sum().backward(); grads.append(y.grad)
                assert torch.equal(grads[0], grads[1]), (lengths, max_len)
            cases += 1
    print('gradient cases', cases)
''')

def test_triton_conversions_have_the_torch_gradients_in_the_interpreter():
    "The encoder trains through the conversions on the GPU: their backward must match the torch path's autograd."
    assert 'gradient cases 6' in interpreted(GRADIENTS)
