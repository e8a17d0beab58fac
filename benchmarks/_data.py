"Shared by the TIGER benchmarks: a dataset's leave-last-out split and its semantic IDs (loaded, or made with the RQ-VAE)."

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
