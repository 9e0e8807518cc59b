-- A cycle's plan (see docs/assessments.md): its dates, ISO days (YYYY-MM-DD) in an IANA time
-- zone, and who takes part, as a filter: the line of `within_id`, tracks, levels and teams
-- (each a list, one per line; empty is any), and the people added and excluded one by one
-- (ids, one per line). A cycle opened without a plan has no row: everyone active takes part
-- and nothing is due.
CREATE TABLE cycle_plans (
    cycle_pk BIGINT PRIMARY KEY REFERENCES cycles (pk),
    time_zone TEXT NOT NULL,
    opens_on TEXT NOT NULL,
    self_due TEXT NOT NULL,
    peer_due TEXT NOT NULL,
    manager_due TEXT NOT NULL,
    agreement_due TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    within_id TEXT,
    tracks TEXT NOT NULL,
    levels TEXT NOT NULL,
    teams TEXT NOT NULL,
    added TEXT NOT NULL,
    excluded TEXT NOT NULL
);

-- The actions a person owns in others' growth plans are among their tasks.
CREATE INDEX plan_actions_owner ON plan_actions (owner_id);
