-- People a directory (an identity provider, over SCIM: see docs/org.md) keeps current. The
-- person's fields live in `people`, as an import writes them; this is the directory's side:
-- its userName (unique ignoring case, as SCIM compares it), its externalId, and the attributes
-- as it last sent them (JSON), so that what it reads back is what it wrote. Removing a user
-- from the directory marks the person left and drops this row: their history stays.
CREATE TABLE directory_users (
    person_id TEXT PRIMARY KEY REFERENCES people (id),
    user_name TEXT NOT NULL,
    user_name_key TEXT NOT NULL CONSTRAINT directory_users_user_name_unique UNIQUE,
    external_id TEXT,
    resource TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX directory_users_external_id ON directory_users (external_id);

-- A directory's API token has the role `scim` (SCIM endpoints only); accounts never do.
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_role_check;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_role_check
    CHECK (role IN ('employee', 'hr', 'admin', 'scim'));
