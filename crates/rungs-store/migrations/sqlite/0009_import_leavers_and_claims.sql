-- The import run that made an active person a leaver, whether the file said so (a row with
-- status `left`) or left them out. An import counts its leavers by it, so that a file that
-- marks people as left row by row meets the same leaver guard as one that leaves them out.
ALTER TABLE people ADD COLUMN left_run BIGINT;

-- Pending imports as 0008 kept them, made safer: the token is kept only as its SHA-256, the
-- upload as bytes (a NUL byte is no text in PostgreSQL), and the org version the preview saw,
-- so that a confirmation after another import is refused. A confirmation deletes its row in
-- the import's own transaction: two confirmations of one preview import once.
DROP TABLE pending_imports;
CREATE TABLE pending_imports (
    token_hash TEXT PRIMARY KEY,
    source_name TEXT NOT NULL,
    content BLOB NOT NULL,
    org_version BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
