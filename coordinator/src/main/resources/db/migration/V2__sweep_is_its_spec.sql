-- A sweep is its spec: no row per requested image any more. An image's parameters are computed from the sweep's
-- spec and its ordinal; rows exist only for images that were released (task) or finished (image), so the data grows
-- with the images rendered, not the images requested.
--
--   sweep  spec + release cursor (next ordinal to release) + counters by state, kept in the same transactions
--   task   the in-flight set and the outbox of render tasks: ordinals released (QUEUED) or handed back (PENDING);
--          published = false until Kafka acknowledged the task
--   image  one row per finished image (SUCCEEDED, FAILED, or CANCELLED after its release)
--
-- Every ordinal below a sweep's release cursor has exactly one row, in task or in image; ordinals at or past it have
-- none and are PENDING (CANCELLED once the sweep is).

alter table sweep
    add column seq             bigint generated always as identity,
    add column release_cursor  bigint not null default 0,
    add column queued          bigint not null default 0,
    add column succeeded       bigint not null default 0,
    add column failed          bigint not null default 0,
    add column cancelled       bigint not null default 0,
    add column idempotency_key text,
    add column request_hash    text;

-- Image ids encode (seq, ordinal); GET /api/v1/images/{id} finds the sweep by seq.
create unique index sweep_seq_idx on sweep (seq);
create unique index sweep_idempotency_key_idx on sweep (idempotency_key) where idempotency_key is not null;
-- In-flight per model, and the sweeps whose tasks are out (re-announcement, stalls).
create index sweep_model_queued_idx on sweep (model) where queued > 0;
drop index sweep_release_order_idx;
create index sweep_release_order_idx on sweep (model, priority desc, created_at, id) where state in ('RUNNING', 'PAUSED');

create table task (
    sweep_id    uuid        not null references sweep (id) on delete cascade,
    ordinal     bigint      not null,
    state       text        not null,
    attempts    integer     not null,
    published   boolean     not null default false,
    released_at timestamptz,
    primary key (sweep_id, ordinal),
    constraint task_state_check check (state in ('PENDING', 'QUEUED'))
);
-- Stalled tasks (no result long after release), and tasks committed but not yet acknowledged by Kafka.
create index task_queued_released_idx on task (released_at) where state = 'QUEUED';
create index task_unpublished_idx on task (released_at) where state = 'QUEUED' and not published;

alter table image rename to image_v1;
alter index image_sweep_ordinal_idx rename to image_v1_sweep_ordinal_idx;
alter table image_v1 rename constraint image_state_check to image_v1_state_check;
alter table image_v1 rename constraint image_seed_check to image_v1_seed_check;

create table image (
    sweep_id     uuid        not null references sweep (id) on delete cascade,
    ordinal      bigint      not null,
    state        text        not null,
    attempts     integer     not null,
    object_key   text,
    sha256       text,
    worker       text,
    render_ms    bigint,
    warnings     jsonb,
    error        text,
    completed_at timestamptz not null,
    primary key (sweep_id, ordinal),
    constraint image_state_check check (state in ('SUCCEEDED', 'FAILED', 'CANCELLED'))
);
-- The few unsuccessful images, for state filters (successes are found by arithmetic and the primary key).
create index image_unsucceeded_idx on image (sweep_id, ordinal) where state <> 'SUCCEEDED';

-- Ids of images created before this migration (random UUIDs) still resolve.
create table image_legacy_id (
    id       uuid   primary key,
    sweep_id uuid   not null references sweep (id) on delete cascade,
    ordinal  bigint not null
);

-- Carry existing sweeps over. The release cursor is past the last image that was ever released.
update sweep s set release_cursor = coalesce((select max(i.ordinal) + 1 from image_v1 i
                                              where i.sweep_id = s.id
                                              and (i.attempts > 0 or i.state in ('QUEUED', 'SUCCEEDED', 'FAILED'))),
                                             0);

-- Finished images below the cursor keep their row; CANCELLED ones past it are implied by the cursor.
insert into image (sweep_id, ordinal, state, attempts, object_key, sha256, worker, render_ms, warnings, error,
                   completed_at)
select i.sweep_id, i.ordinal, i.state, i.attempts, i.object_key, i.sha256, i.worker, i.render_ms, i.warnings, i.error,
       coalesce(i.completed_at, now())
from image_v1 i join sweep s on s.id = i.sweep_id
where i.state in ('SUCCEEDED', 'FAILED', 'CANCELLED') and i.ordinal < s.release_cursor;

-- Tasks in flight were published on the v1 task topics, which workers no longer read: they are handed back
-- (without spending an attempt) and released again on the v2 topics. Released tasks of cancelled sweeps are cancelled.
insert into image (sweep_id, ordinal, state, attempts, completed_at)
select i.sweep_id, i.ordinal, 'CANCELLED', i.attempts, now()
from image_v1 i join sweep s on s.id = i.sweep_id
where i.state in ('PENDING', 'QUEUED') and i.ordinal < s.release_cursor and s.state = 'CANCELLED';
insert into task (sweep_id, ordinal, state, attempts, published, released_at)
select i.sweep_id, i.ordinal, 'PENDING', greatest(i.attempts - case when i.state = 'QUEUED' then 1 else 0 end, 0),
       false, null
from image_v1 i join sweep s on s.id = i.sweep_id
where i.state in ('PENDING', 'QUEUED') and i.ordinal < s.release_cursor and s.state <> 'CANCELLED';

insert into image_legacy_id (id, sweep_id, ordinal)
select i.id, i.sweep_id, i.ordinal from image_v1 i join sweep s on s.id = i.sweep_id
where i.ordinal < s.release_cursor;

update sweep s set
    succeeded = (select count(*) from image_v1 i where i.sweep_id = s.id and i.state = 'SUCCEEDED'),
    failed    = (select count(*) from image_v1 i where i.sweep_id = s.id and i.state = 'FAILED'),
    cancelled = (select count(*) from image_v1 i where i.sweep_id = s.id
                 and (i.state = 'CANCELLED' or (s.state = 'CANCELLED' and i.state in ('PENDING', 'QUEUED'))));

-- Specs move to format 2: one size axis instead of width and height; txt2img without a [null] init-image axis.
update sweep set spec = (spec - 'width' - 'height' - 'init_images' - 'strengths')
    || jsonb_build_object('format', 2,
                          'sizes', jsonb_build_array(jsonb_build_array(spec -> 'width', spec -> 'height')),
                          'prompt_sr', '[]'::jsonb, 'zip', '[]'::jsonb, 'images_per_combination', 1,
                          'init_images', case when spec -> 'init_images' = '[null]'::jsonb then '[]'::jsonb
                                              else spec -> 'init_images' end,
                          'strengths', case when spec -> 'strengths' = '[null]'::jsonb then '[]'::jsonb
                                            else spec -> 'strengths' end);

drop table image_v1;
