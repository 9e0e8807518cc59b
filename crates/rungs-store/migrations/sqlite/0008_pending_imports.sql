-- An org import the web previewed and waits to be confirmed: the uploaded file, kept so that
-- the confirmation imports exactly what was previewed without a second upload. Only the account
-- that uploaded it confirms it; a pending import older than an hour is dropped when the next
-- one is kept.
CREATE TABLE pending_imports (
    token TEXT PRIMARY KEY,
    source_name TEXT NOT NULL,
    content TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
