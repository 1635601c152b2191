-- Queries across sweeps walk the sweeps of a model in id order, a few at a time (keyset on id): without this index
-- every read scanned and sorted the whole sweep table.
create index sweep_model_id_idx on sweep (model, id);
