//! Storage errors, typed so callers can tell a bad URL from a broken database.

/// What went wrong in storage.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("`{0}` is not a database URL Rungs knows: use sqlite://FILE or postgres://…")]
    UnsupportedUrl(String),
    #[error("cannot open the database `{url}`")]
    Connect {
        url: String,
        #[source]
        source: sqlx::Error,
    },
    #[error("cannot bring the database schema up to date")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("the database holds data Rungs cannot read: {0}")]
    Corrupt(String),
    #[error("cannot open the SQLite database `{url}`")]
    Open {
        url: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("database error")]
    Database(#[from] sqlx::Error),
    #[error("SQLite error")]
    Sqlite(#[source] rusqlite::Error),
    #[error("the import was abandoned before it finished; nothing was written")]
    Abandoned,
    /// The caller refused the import once it knew what it would do (see `ImportAudit`).
    #[error("the import was refused before it was kept; nothing was written")]
    ImportRefused(crate::ImportSummary),
    #[error("the data breaks a database rule: {0}")]
    Constraint(String),
    /// A write refused because of what is already stored: a duplicate, or a record that is
    /// no longer in a state that allows the change.
    #[error("{0}")]
    Conflict(String),
    #[error("a storage task failed: {0}")]
    Task(String),
}

impl StoreError {
    pub(crate) fn connect(url: &str, source: sqlx::Error) -> StoreError {
        StoreError::Connect { url: redact(url), source }
    }
}

/// A URL without its password, safe to print.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_never_print() {
        assert_eq!(
            super::redact("postgres://app:s3cret@db:5432/rungs"),
            "postgres://app:***@db:5432/rungs"
        );
        assert_eq!(super::redact("sqlite://rungs.db"), "sqlite://rungs.db");
    }
}
