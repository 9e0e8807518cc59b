-- Assessment cycles; assessments with their ratings and evidence; agreed ratings; growth
-- plans; level changes recorded as imports change people's levels. Framework versions brought
-- in by an assessment import are kept but archived: they never become the active framework.
ALTER TABLE frameworks ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;

CREATE TABLE cycles (
    pk INTEGER PRIMARY KEY,
    name TEXT NOT NULL CONSTRAINT cycles_name_unique UNIQUE,
    state TEXT NOT NULL CONSTRAINT cycles_state_check CHECK (state IN ('open', 'closed')),
    opened_at TEXT NOT NULL,
    closed_at TEXT
);

CREATE TABLE assessments (
    pk INTEGER PRIMARY KEY,
    cycle_pk INTEGER NOT NULL REFERENCES cycles (pk),
    subject_id TEXT NOT NULL REFERENCES people (id),
    assessor_id TEXT NOT NULL REFERENCES people (id),
    kind TEXT NOT NULL CONSTRAINT assessments_kind_check CHECK (kind IN ('self', 'manager', 'peer')),
    current_level TEXT NOT NULL,
    target_level TEXT NOT NULL,
    framework_pk INTEGER NOT NULL REFERENCES frameworks (pk),
    status TEXT NOT NULL CONSTRAINT assessments_status_check CHECK (status IN ('draft', 'submitted')),
    revision INTEGER NOT NULL,
    revises_pk INTEGER CONSTRAINT assessments_revises_unique UNIQUE REFERENCES assessments (pk),
    created_at TEXT NOT NULL,
    submitted_at TEXT
);
CREATE INDEX assessments_subject ON assessments (subject_id, cycle_pk);
CREATE INDEX assessments_assessor ON assessments (assessor_id);
CREATE INDEX assessments_cycle ON assessments (cycle_pk);

CREATE TABLE ratings (
    assessment_pk INTEGER NOT NULL REFERENCES assessments (pk),
    expectation_id TEXT NOT NULL,
    rating TEXT NOT NULL,
    PRIMARY KEY (assessment_pk, expectation_id)
) WITHOUT ROWID;

CREATE TABLE evidence (
    pk INTEGER PRIMARY KEY,
    assessment_pk INTEGER NOT NULL REFERENCES assessments (pk),
    expectation_id TEXT NOT NULL,
    text TEXT NOT NULL,
    link TEXT,
    observed_on TEXT NOT NULL
);
CREATE INDEX evidence_assessment ON evidence (assessment_pk);

CREATE TABLE agreements (
    cycle_pk INTEGER NOT NULL REFERENCES cycles (pk),
    subject_id TEXT NOT NULL REFERENCES people (id),
    expectation_id TEXT NOT NULL,
    rating TEXT NOT NULL,
    -- The manager assessment it was agreed on: who agreed, and against which framework version.
    assessment_pk INTEGER NOT NULL REFERENCES assessments (pk),
    agreed_at TEXT NOT NULL,
    PRIMARY KEY (subject_id, cycle_pk, expectation_id)
) WITHOUT ROWID;
CREATE INDEX agreements_cycle ON agreements (cycle_pk);

CREATE TABLE growth_plans (
    pk INTEGER PRIMARY KEY,
    subject_id TEXT NOT NULL REFERENCES people (id),
    target_level TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX growth_plans_subject ON growth_plans (subject_id);

CREATE TABLE plan_focus (
    plan_pk INTEGER NOT NULL REFERENCES growth_plans (pk),
    expectation_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    CONSTRAINT plan_focus_pk PRIMARY KEY (plan_pk, expectation_id)
);

CREATE TABLE plan_actions (
    pk INTEGER PRIMARY KEY,
    plan_pk INTEGER NOT NULL,
    expectation_id TEXT NOT NULL,
    text TEXT NOT NULL,
    owner_id TEXT NOT NULL REFERENCES people (id),
    due_on TEXT NOT NULL,
    status TEXT NOT NULL CONSTRAINT plan_actions_status_check CHECK (status IN ('planned', 'in-progress', 'done', 'dropped')),
    FOREIGN KEY (plan_pk, expectation_id) REFERENCES plan_focus (plan_pk, expectation_id)
);
CREATE INDEX plan_actions_plan ON plan_actions (plan_pk);

CREATE TABLE level_changes (
    pk INTEGER PRIMARY KEY,
    person_id TEXT NOT NULL,
    from_level TEXT NOT NULL,
    to_level TEXT NOT NULL,
    changed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX level_changes_person ON level_changes (person_id);

CREATE TRIGGER people_level_change AFTER UPDATE OF level ON people
WHEN old.level IS NOT new.level
BEGIN
    INSERT INTO level_changes (person_id, from_level, to_level) VALUES (new.id, old.level, new.level);
END;
