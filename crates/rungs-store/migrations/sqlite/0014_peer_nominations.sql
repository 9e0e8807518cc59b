-- Peer nominations (see docs/assessments.md): the colleagues asked for feedback on a person in
-- a cycle. A proposal by the person waits for a manager (`proposed`); an approved peer has a
-- peer draft to write (`approved`); a manager may turn a proposal down (`rejected`, which may
-- be proposed again); a peer may decline with a reason (`declined`, their draft removed).
-- Who nominated and decided is named as the audit log names them.
CREATE TABLE peer_nominations (
    cycle_pk INTEGER NOT NULL REFERENCES cycles (pk),
    subject_id TEXT NOT NULL,
    peer_id TEXT NOT NULL,
    state TEXT NOT NULL CONSTRAINT peer_nominations_state_check
        CHECK (state IN ('proposed', 'approved', 'rejected', 'declined')),
    nominated_by TEXT NOT NULL,
    nominated_at TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    reason TEXT,
    PRIMARY KEY (cycle_pk, subject_id, peer_id)
);

-- Every peer assessment written before nominations existed was asked for by a manager or hr:
-- it stands as an approved nomination.
INSERT INTO peer_nominations (cycle_pk, subject_id, peer_id, state, nominated_by, nominated_at)
SELECT cycle_pk, subject_id, assessor_id, 'approved', 'before nominations', min(created_at)
FROM assessments WHERE kind = 'peer'
GROUP BY cycle_pk, subject_id, assessor_id;
