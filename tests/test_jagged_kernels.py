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

def test_triton_kernels_match_torch_in_the_interpreter():
    r = subprocess.run([sys.executable, '-c', CODE], env=dict(os.environ, TRITON_INTERPRET='1'), capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    assert 'cases 36' in r.stdout
