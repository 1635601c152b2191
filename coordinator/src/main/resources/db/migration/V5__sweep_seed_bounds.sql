-- The lowest and highest seed any image of the sweep renders, so that a seed filter across sweeps reads only the
-- sweeps whose seeds can match. Sweeps stored before this migration keep null bounds: they are always read.
alter table sweep add column seed_lo bigint, add column seed_hi bigint;
