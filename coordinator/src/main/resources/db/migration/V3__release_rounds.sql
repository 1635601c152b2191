-- Release rounds: the relay's outbox keeps one row per round instead of one flag update per task.
--
-- Before, every task was inserted "unpublished" and updated to "published" once Kafka acknowledged it: a second
-- write of every released task, with index entries (the flag was in an index predicate), which took half of the
-- relay's time. Now a round's claim writes its tasks once, already marked as claimed, and one task_outbox row with
-- the round's task references; the broker's acknowledgement deletes that one row. A round whose row outlives twice
-- the publish timeout (its coordinator died, or Kafka never answered) is claimed again as a whole by the next round of
-- its model: nothing committed is lost, and a repeat is harmless.
--
--   task.claimed = false  the task waits for a round (a stall re-release, or a task claimed by a round when this
--                         migration ran, which is sent again; a repeat is harmless)
--   task.claimed = true   the task went out in a round; whether Kafka acknowledged that round is in task_outbox
alter table task rename column published to claimed;
alter index task_unpublished_idx rename to task_unclaimed_idx;

create table task_outbox (
    id         bigint      generated always as identity primary key,
    model      text        not null,
    claimed_at timestamptz not null,
    sweep_ids  uuid[]      not null,
    ordinals   bigint[]    not null,
    attempts   integer[]   not null
);
create index task_outbox_model_idx on task_outbox (model, claimed_at);

-- Handed-back tasks (PENDING: a worker gave them back while the sweep was paused, or failed images retried) are
-- looked for in every round. Without an index of their own that lookup walked every in-flight task of the sweep.
create index task_handed_back_idx on task (sweep_id, ordinal) where state = 'PENDING';
