-- Import mappings kept by name (see docs/org.md): the CLI's `--mapping NAME`, the web upload
-- and the API's `?mapping=NAME` use them. The source is the TOML file as it was saved.
CREATE TABLE import_mappings (
    name TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    saved_at TEXT NOT NULL
);

-- The mapping a preview used, as it was then: the confirmation imports with the same one.
ALTER TABLE pending_imports ADD COLUMN mapping_source TEXT;
