-- Each person's standing: the few facts of their record that whole-line views read (see
-- `rungs_core::assess::PersonStanding`), so that a view over a line of 100,000 people reads one
-- row per person instead of every record.
--
-- `changes` counts the writes that changed what readiness reads of the person (a submitted
-- assessment, an agreed rating): every such batch raises it in its own transaction. The facts
-- are current only while `computed_from` equals `changes`, `rules` is the code's
-- `PersonStanding::RULES`, `framework_pk` is the active framework and `level` the person's
-- level. A reader that finds them out of date computes them from the record instead, and the
-- conditional write that stores them (`WHERE changes = computed_from`) never stores facts older
-- than a write that raced it: several servers on one database stay correct.
CREATE TABLE standings (
    person_id TEXT PRIMARY KEY,
    changes INTEGER NOT NULL,
    computed_from INTEGER,
    rules INTEGER,
    framework_pk INTEGER,
    level TEXT,
    target TEXT,
    verdict TEXT,
    met INTEGER,
    total INTEGER,
    -- `DIMENSION=MET/TOTAL` for each dimension of the target level, joined by spaces.
    dimensions TEXT,
    latest_cycle_pk INTEGER
) WITHOUT ROWID;

-- Everyone with records before this migration starts out of date.
INSERT INTO standings (person_id, changes)
SELECT subject_id, 1 FROM agreements
UNION
SELECT subject_id, 1 FROM assessments WHERE status = 'submitted';
