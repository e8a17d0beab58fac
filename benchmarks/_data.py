"Shared by the TIGER benchmarks: a dataset's leave-last-out split and its semantic IDs (loaded, or made with the RQ-VAE)."
import argparse

def split_and_ids(data:str, ids_path:str|None, rqvae_epochs:int) -> tuple:
    "`(dataset, split, ids)` for `data` ('demo' or a dataset name); IDs from `ids_path`, else trained here."
    from tigress.data.loaders import load_dataset
    from tigress.data.demo import load_demo
    from tigress.data.split import leave_last_out
    from tigress.semids import SemanticIDs
    from tigress.cli import embed_stage, semids_stage
    ds = load_demo() if data == 'demo' else load_dataset(data)
    sp = leave_last_out(ds)
    if ids_path: return ds,sp,SemanticIDs.load(ids_path)
    from tigress.rqvae import RQVAEConfig
    x = embed_stage(ds, image_arch=None, fusion='text', progress=False)['fused'].vectors
    ids,_ = semids_stage(ds, x, 'rqvae', RQVAEConfig(epochs=rqvae_epochs, warmup_epochs=min(10, rqvae_epochs - 1)), progress=False)
    return ds,sp,ids

def recipe_model(ids, **opt_kw) -> tuple:
    "The Beauty recipe's model with seed 0's weights, its `Recommender` and its AdamW (`opt_kw` to `tigress.train.adamw`), as `tigress train` builds them."
    import torch
    from tigress.decoder import TIGER, TIGERConfig, Recommender
    from tigress.train import param_groups, adamw
    torch.manual_seed(0)  # the same weights in every process and variant
    model = TIGER(TIGERConfig(code_sizes=ids.sizes, dropout=0.2, causal=True, item_tokens=True, n_items=len(ids.codes), recency=True, item_dropout=0.25))
    model.set_catalogue(ids.codes)
    return model,Recommender(model, ids),adamw(param_groups(model, 0.1, True), 1e-3, **opt_kw)  # weight decay 0.1, embeddings too

def data_args(p):
    "The dataset options every IDs-making benchmark takes: --data, --ids, --rqvae-epochs (for `split_and_ids`)."
    p.add_argument('--data', default='beauty'); p.add_argument('--ids', help='semantic IDs JSON (default: made here with the RQ-VAE)')
    p.add_argument('--rqvae-epochs', type=int, default=25)

def bf16_arg(p):
    "--bf16 / --no-bf16; unset, `bf16_of` leaves it to `tigress.train.native_bf16`."
    p.add_argument('--bf16', action=argparse.BooleanOptionalAction, default=None,
                   help='bf16 autocast (default: where this CPU computes bf16 natively; emulated bf16 is over 10x slower than fp32)')

def bf16_of(a) -> bool:
    "The parsed --bf16, resolved on the CPU as `tigress train` resolves it."
    from tigress.train import resolve_bf16
    return resolve_bf16(a.bf16, 'cpu')
