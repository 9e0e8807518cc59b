-- Why an agreed rating differs from the manager's rating of it: required by the agreement then,
-- empty otherwise (and for agreements recorded before this migration).
ALTER TABLE agreements ADD COLUMN rationale TEXT;

-- A subject's acknowledgement of the outcome agreed for them in a cycle, with an optional
-- comment. Acknowledging again replaces it; an agreement newer than `acknowledged_at` shows
-- that it was of an earlier outcome.
CREATE TABLE acknowledgements (
    subject_id TEXT NOT NULL REFERENCES people (id),
    cycle_pk BIGINT NOT NULL REFERENCES cycles (pk),
    comment TEXT,
    acknowledged_at TEXT NOT NULL,
    PRIMARY KEY (subject_id, cycle_pk)
);
