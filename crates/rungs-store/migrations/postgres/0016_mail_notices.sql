-- Mail notices (see docs/assessments.md, "Notifications"). A sweep of the open cycles queues
-- the notices each participant's progress owes (`notices`), and records in the same
-- transaction that they are owed (`notice_marks`, a bit per kind per participant;
-- `peer_nominations.notified` for a nomination's peer and approver), so that no sweep, on this
-- server or another, queues one twice. A sender gathers a person's waiting notices into one
-- mail (`mails`), which keeps its text, its attempts and when it was sent.
CREATE TABLE notice_marks (
    cycle_pk BIGINT NOT NULL REFERENCES cycles (pk),
    person_id TEXT NOT NULL,
    marks INTEGER NOT NULL,
    PRIMARY KEY (cycle_pk, person_id)
);

ALTER TABLE peer_nominations ADD COLUMN notified INTEGER NOT NULL DEFAULT 0;

-- Mails: `queued` (to send at `next_attempt_at`, epoch milliseconds; a sender holding it
-- until `lease_until`), `sent`, or `failed` (retries spent, or no address).
CREATE TABLE mails (
    pk BIGSERIAL PRIMARY KEY,
    recipient_id TEXT NOT NULL,
    address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL CONSTRAINT mails_state_check CHECK (state IN ('queued', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_until BIGINT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    last_error TEXT
);
CREATE INDEX mails_due ON mails (next_attempt_at) WHERE state = 'queued';
CREATE INDEX mails_recipient ON mails (recipient_id, created_at);

CREATE TABLE notices (
    pk BIGSERIAL PRIMARY KEY,
    recipient_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    cycle_pk BIGINT NOT NULL REFERENCES cycles (pk),
    subject_id TEXT NOT NULL,
    due TEXT,
    queued_at BIGINT NOT NULL,
    mail_pk BIGINT REFERENCES mails (pk)
);
CREATE INDEX notices_waiting ON notices (recipient_id, pk) WHERE mail_pk IS NULL;
CREATE INDEX notices_of_mail ON notices (mail_pk);

-- What a person wants by mail: reminders (1) or not (0), and everything in one mail a day (1).
CREATE TABLE mail_preferences (
    person_id TEXT PRIMARY KEY,
    reminders INTEGER NOT NULL,
    digest INTEGER NOT NULL
);
