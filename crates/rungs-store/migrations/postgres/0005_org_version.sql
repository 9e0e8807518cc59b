-- One number that every org import raises inside its own transaction. A reader that keeps the
-- org chart in memory reads it with its other reads and rebuilds the chart when it changed:
-- another process (the CLI importing while the server runs, or a second server) may have
-- imported. An UPDATE of this one row also queues concurrent imports one behind the other.
CREATE TABLE org_version (
    version BIGINT NOT NULL
);

INSERT INTO org_version (version) VALUES (0);
