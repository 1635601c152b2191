-- Sweeps and their images. The image table doubles as the transactional outbox of render tasks:
-- rows are inserted PENDING with their sweep, and the relay publishes them and marks them QUEUED.

create table sweep (
    id          uuid        primary key,
    name        text        not null,
    model       text        not null,
    state       text        not null,
    priority    integer     not null default 0,
    spec        jsonb       not null,
    image_count bigint      not null,
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    version     bigint      not null default 0,
    constraint sweep_state_check check (state in ('RUNNING', 'PAUSED', 'COMPLETED', 'CANCELLED')),
    constraint sweep_image_count_check check (image_count > 0)
);

-- GET /api/v1/sweeps lists newest first.
create index sweep_created_at_idx on sweep (created_at desc, id);
-- The relay walks the releasable sweeps of a model by priority, then age.
create index sweep_release_order_idx on sweep (model, priority desc, created_at, id) where state = 'RUNNING';

create table image (
    id              uuid             primary key,
    sweep_id        uuid             not null references sweep (id) on delete cascade,
    ordinal         bigint           not null,
    prompt          text             not null,
    negative_prompt text             not null,
    cfg_scale       double precision not null,
    steps           integer          not null,
    sampler         text             not null,
    seed            bigint           not null,
    width           integer          not null,
    height          integer          not null,
    noise_source    text             not null,
    prompt_overflow text             not null,
    init_image      text,
    strength        double precision,
    mask            text,
    state           text             not null,
    attempts        integer          not null default 0,
    object_key      text,
    sha256          text,
    worker          text,
    render_ms       bigint,
    warnings        jsonb,
    error           text,
    released_at     timestamptz,
    completed_at    timestamptz,
    constraint image_state_check check (state in ('PENDING', 'QUEUED', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    constraint image_seed_check check (seed between 0 and 4294967295)
);

-- Sweep order, keyset pagination (sweep_id, ordinal) and the uniqueness of a position in a sweep.
create unique index image_sweep_ordinal_idx on image (sweep_id, ordinal);
-- Counts by state (one GROUP BY per sweep), cancel, completion check, state filter.
create index image_sweep_state_idx on image (sweep_id, state);
-- The relay: next PENDING images of a sweep in order; in-flight (QUEUED) count per model.
create index image_pending_idx on image (sweep_id, ordinal) where state = 'PENDING';
create index image_queued_idx on image (sweep_id) where state = 'QUEUED';
-- Exact-match filters of GET /api/v1/images, within a sweep. Prompts can exceed a B-tree entry's size
-- limit, hence hash indexes for the two text columns.
create index image_sweep_cfg_idx on image (sweep_id, cfg_scale);
create index image_sweep_steps_idx on image (sweep_id, steps);
create index image_sweep_sampler_idx on image (sweep_id, sampler);
create index image_sweep_seed_idx on image (sweep_id, seed);
create index image_sweep_size_idx on image (sweep_id, width, height);
create index image_prompt_idx on image using hash (prompt);
create index image_negative_prompt_idx on image using hash (negative_prompt);
