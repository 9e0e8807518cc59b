-- The active framework (the newest row) and its history, people from HR imports, import runs.
CREATE TABLE frameworks (
    pk INTEGER PRIMARY KEY,
    framework_id TEXT NOT NULL,
    version TEXT NOT NULL,
    source TEXT NOT NULL,
    activated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE imports (
    pk INTEGER PRIMARY KEY,
    source_name TEXT NOT NULL,
    started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    added INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    left_count INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE people (
    pk INTEGER PRIMARY KEY,
    id TEXT NOT NULL CONSTRAINT people_id_unique UNIQUE,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    title TEXT NOT NULL,
    track TEXT NOT NULL,
    level TEXT NOT NULL,
    manager_id TEXT CONSTRAINT people_manager_fk REFERENCES people (id) DEFERRABLE INITIALLY DEFERRED,
    team TEXT NOT NULL,
    status TEXT NOT NULL CONSTRAINT people_status_check CHECK (status IN ('active', 'left')),
    -- The import that last listed this person, and the one that last changed them.
    import_run INTEGER NOT NULL,
    changed_run INTEGER NOT NULL
);

CREATE INDEX people_manager ON people (manager_id);
