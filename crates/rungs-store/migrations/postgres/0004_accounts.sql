-- Accounts (linked to people by email), sign-in sessions, API tokens, sign-in throttling, and
-- the audit log, which the application may only append to.
--
-- An account's `person_id` is the active person with its email, kept by the writes that can
-- change it (creating accounts, every org import), so that no request searches people by email
-- and no import maintains an index on it.

CREATE TABLE accounts (
    pk BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL CONSTRAINT accounts_email_unique UNIQUE,
    role TEXT NOT NULL CONSTRAINT accounts_role_check CHECK (role IN ('employee', 'hr', 'admin')),
    password_hash TEXT,
    created_at TEXT NOT NULL,
    person_id TEXT
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_pk BIGINT NOT NULL REFERENCES accounts (pk) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_pk);

CREATE TABLE api_tokens (
    pk BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL CONSTRAINT api_tokens_hash_unique UNIQUE,
    role TEXT NOT NULL CONSTRAINT api_tokens_role_check CHECK (role IN ('employee', 'hr', 'admin')),
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE sign_in_failures (
    key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    first_at TEXT NOT NULL
);

CREATE TABLE audit_log (
    pk BIGSERIAL PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    person_id TEXT,
    before TEXT,
    after TEXT
);
CREATE INDEX audit_log_person ON audit_log (person_id, pk);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
