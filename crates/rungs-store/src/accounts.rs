//! Accounts, sign-in sessions, API tokens, sign-in throttling and the audit log: the writes
//! (as [`AccountChange`] and [`AuditEntry`] in a batch) and the typed reads ([`Accounts`]).
//!
//! Secrets never reach this crate: sessions and tokens are stored by the hash the caller
//! computed, passwords by their Argon2id hash.

use std::future::Future;

use jiff::Timestamp;
use rungs_core::access::Role;
use rungs_core::org::{Email, PersonId};

use crate::cells::Cells;
use crate::decode::{corrupt, person_id, timestamp as parse_timestamp};
use crate::sql::{Expect, Param, Query, Row, Statement, Value};
use crate::{Storage, StoreError};

/// A change to accounts, sessions, tokens or throttling; applied in a batch like any change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountChange {
    /// Produces the account's key.
    CreateAccount {
        email: Email,
        role: Role,
        password_hash: Option<String>,
        at: Timestamp,
    },
    /// The first admin: refused once any account exists.
    CreateFirstAccount {
        email: Email,
        password_hash: String,
        at: Timestamp,
    },
    /// An `employee` account for every active person who has none, all with the same password
    /// hash (an existing account is left as it is: its role and its password): the demo
    /// instance's accounts. Produces how many were created.
    CreateAccountsForPeople {
        password_hash: String,
        at: Timestamp,
        /// Who creates them, for the audit entry each new account gets.
        actor: String,
    },
    SetPassword {
        email: Email,
        password_hash: String,
    },
    SetRole {
        email: Email,
        role: Role,
    },
    CreateSession {
        token_hash: String,
        email: Email,
        csrf_token: String,
        at: Timestamp,
        expires_at: Timestamp,
    },
    EndSession {
        token_hash: String,
    },
    /// Every session of an account but one (after a password change); produces how many.
    EndOtherSessions {
        email: Email,
        keep_token_hash: String,
    },
    /// Sessions that expired before `now`; produces how many.
    EndExpiredSessions {
        now: Timestamp,
    },
    /// Produces the token's key.
    CreateToken {
        name: String,
        token_hash: String,
        role: Role,
        at: Timestamp,
    },
    RevokeToken {
        id: i64,
        at: Timestamp,
    },
    /// Counts a failed sign-in against `key` (an account or an address); a count whose first
    /// failure is older than `window_start` starts again.
    RecordSignInFailure {
        key: String,
        at: Timestamp,
        window_start: Timestamp,
    },
    ClearSignInFailures {
        key: String,
    },
    /// Removes an account; its sessions end with it. The audit log keeps its email.
    RemoveAccount {
        email: Email,
    },
    /// Takes one counted attempt back (a sign-in that succeeded).
    ForgiveSignInAttempt {
        key: String,
    },
}

/// One line of the audit log: who changed what, when, and how it was before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: Timestamp,
    /// An account's email, `token:NAME`, or `cli` for the command line.
    pub actor: String,
    /// What was done, such as `assessment.rate`.
    pub action: String,
    /// What it was done to, such as `assessment 12`.
    pub target: String,
    /// The person whose data changed, when there is one.
    pub person: Option<PersonId>,
    /// JSON of the state before, when there was one.
    pub before: Option<String>,
    /// JSON of the state after, when there is one.
    pub after: Option<String>,
}

/// An audit entry as stored, with its sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub id: i64,
    pub entry: AuditEntry,
}

/// Which audit entries to read, newest first; every field narrows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub person: Option<PersonId>,
    pub since: Option<Timestamp>,
    pub limit: Option<u32>,
}

/// An account as stored, with the person its email matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAccount {
    pub id: i64,
    pub email: Email,
    pub role: Role,
    pub password_hash: Option<String>,
    pub created_at: Timestamp,
    pub person: Option<PersonId>,
}

/// A live or expired session, with its account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSession {
    pub account: StoredAccount,
    pub csrf_token: String,
    pub expires_at: Timestamp,
    /// The org version as the same read saw it: a guard deciding by the org chart in memory
    /// then needs no read of its own.
    pub org_version: i64,
}

/// An API token as stored (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredToken {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

/// Failed sign-ins counted against a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInFailures {
    pub count: u32,
    pub first_at: Timestamp,
}

/// The active person with the account's email `$1`, if any.
macro_rules! person_of {
    () => {
        "(SELECT min(id) FROM people WHERE email = $1 AND status = 'active')"
    };
}
pub(crate) const CREATE_ACCOUNT: &str = concat!(
    "INSERT INTO accounts (email, role, password_hash, created_at, person_id) \
     VALUES ($1, $2, $3, $4, ",
    person_of!(),
    ") RETURNING pk"
);
pub(crate) const CREATE_FIRST_ACCOUNT: &str = concat!(
    "INSERT INTO accounts (email, role, password_hash, created_at, person_id) \
     SELECT $1, 'admin', $2, $3, ",
    person_of!(),
    " WHERE NOT EXISTS (SELECT 1 FROM accounts)"
);
/// One `account.create` audit entry for each account [`CREATE_ACCOUNTS_FOR_PEOPLE`] is about to
/// create, run just before it in the same transaction. The email goes into the JSON escaped.
pub(crate) const AUDIT_ACCOUNTS_FOR_PEOPLE: &str = "INSERT INTO audit_log (at, actor, action, target, person_id, before, after) \
     SELECT $1, $2, 'account.create', 'account ' || email, min(id), NULL, \
            '{\"email\":\"' || replace(replace(email, '\\', '\\\\'), '\"', '\\\"') || '\",\"role\":\"employee\"}' \
     FROM people WHERE status = 'active' AND email NOT IN (SELECT email FROM accounts) \
     GROUP BY email ORDER BY email";
pub(crate) const CREATE_ACCOUNTS_FOR_PEOPLE: &str = "INSERT INTO accounts (email, role, password_hash, created_at, person_id) \
     SELECT email, 'employee', $1, $2, min(id) FROM people WHERE status = 'active' GROUP BY email \
     ON CONFLICT (email) DO NOTHING";
/// After an org import: every account linked to the active person with its email, in one scan
/// of people (matched against the accounts' unique email index), and only when accounts exist.
pub(crate) const RELINK_ACCOUNTS: [&str; 2] = [
    "UPDATE accounts SET person_id = NULL WHERE person_id IS NOT NULL",
    "UPDATE accounts SET person_id = linked.id FROM \
       (SELECT p.email, min(p.id) AS id FROM people p \
        WHERE p.status = 'active' AND p.email IN (SELECT email FROM accounts) GROUP BY p.email) AS linked \
     WHERE accounts.email = linked.email",
];
pub(crate) const REMOVE_ACCOUNT: &str = "DELETE FROM accounts WHERE email = $1";
pub(crate) const SET_PASSWORD: &str = "UPDATE accounts SET password_hash = $1 WHERE email = $2";
pub(crate) const SET_ROLE: &str = "UPDATE accounts SET role = $1 WHERE email = $2";
pub(crate) const CREATE_SESSION: &str = "INSERT INTO sessions (token_hash, account_pk, csrf_token, created_at, expires_at) \
     SELECT $1, pk, $2, $3, $4 FROM accounts WHERE email = $5";
pub(crate) const END_SESSION: &str = "DELETE FROM sessions WHERE token_hash = $1";
pub(crate) const END_OTHER_SESSIONS: &str = "DELETE FROM sessions WHERE account_pk = \
     (SELECT pk FROM accounts WHERE email = $1) AND token_hash <> $2";
pub(crate) const END_EXPIRED_SESSIONS: &str = "DELETE FROM sessions WHERE expires_at <= $1";
pub(crate) const CREATE_TOKEN: &str = "INSERT INTO api_tokens (name, token_hash, role, created_at) \
     VALUES ($1, $2, $3, $4) RETURNING pk";
pub(crate) const REVOKE_TOKEN: &str =
    "UPDATE api_tokens SET revoked_at = $1 WHERE pk = $2 AND revoked_at IS NULL";
pub(crate) const RECORD_FAILURE: &str = "INSERT INTO sign_in_failures (key, failures, first_at) VALUES ($1, 1, $2) \
     ON CONFLICT (key) DO UPDATE SET \
       failures = CASE WHEN sign_in_failures.first_at < $3 THEN 1 ELSE sign_in_failures.failures + 1 END, \
       first_at = CASE WHEN sign_in_failures.first_at < $3 THEN excluded.first_at ELSE sign_in_failures.first_at END";
pub(crate) const CLEAR_FAILURES: &str = "DELETE FROM sign_in_failures WHERE key = $1";
pub(crate) const FORGIVE_ATTEMPT: &str =
    "UPDATE sign_in_failures SET failures = failures - 1 WHERE key = $1 AND failures > 0";
pub(crate) const AUDIT: &str = "INSERT INTO audit_log (at, actor, action, target, person_id, before, after) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";

const ACCOUNT_COLUMNS: &str = "a.pk, a.email, a.role, a.password_hash, a.created_at, a.person_id";
const TOKEN_COLUMNS: &str = "pk, name, role, created_at, revoked_at";

/// Every statement and read text, for the placeholder test.
#[cfg(test)]
pub(crate) const ALL: &[&str] = &[
    CREATE_ACCOUNT,
    CREATE_FIRST_ACCOUNT,
    AUDIT_ACCOUNTS_FOR_PEOPLE,
    CREATE_ACCOUNTS_FOR_PEOPLE,
    REMOVE_ACCOUNT,
    SET_PASSWORD,
    SET_ROLE,
    CREATE_SESSION,
    END_SESSION,
    END_OTHER_SESSIONS,
    END_EXPIRED_SESSIONS,
    CREATE_TOKEN,
    REVOKE_TOKEN,
    RECORD_FAILURE,
    CLEAR_FAILURES,
    FORGIVE_ATTEMPT,
    AUDIT,
];

fn text(value: impl Into<String>) -> Param {
    Param::Value(Value::text(value))
}

fn time(at: Timestamp) -> Param {
    text(at.to_string())
}

fn optional(value: Option<&str>) -> Param {
    Param::Value(Value::optional_text(value.map(str::to_owned)))
}

fn statement(sql: &'static str, params: Vec<Param>, expect: Expect) -> Statement {
    Statement { sql, params, expect }
}

fn no_account(email: &Email) -> Expect {
    Expect::OneRow(format!("there is no account `{email}`"))
}

impl AccountChange {
    pub(crate) fn statements(&self) -> Vec<Statement> {
        let one = match self {
            AccountChange::CreateAccount { email, role, password_hash, at } => statement(
                CREATE_ACCOUNT,
                vec![
                    text(email.as_str()),
                    text(role.as_str()),
                    optional(password_hash.as_deref()),
                    time(*at),
                ],
                Expect::Key(format!("the account `{email}` was not created")),
            ),
            AccountChange::CreateFirstAccount { email, password_hash, at } => statement(
                CREATE_FIRST_ACCOUNT,
                vec![text(email.as_str()), text(password_hash), time(*at)],
                Expect::OneRow("the first account already exists".to_owned()),
            ),
            AccountChange::CreateAccountsForPeople { password_hash, at, actor } => {
                return vec![
                    statement(
                        AUDIT_ACCOUNTS_FOR_PEOPLE,
                        vec![time(*at), text(actor)],
                        Expect::Count,
                    ),
                    // Last: the change's key is how many accounts it created.
                    statement(
                        CREATE_ACCOUNTS_FOR_PEOPLE,
                        vec![text(password_hash), time(*at)],
                        Expect::Count,
                    ),
                ];
            }
            AccountChange::SetPassword { email, password_hash } => statement(
                SET_PASSWORD,
                vec![text(password_hash), text(email.as_str())],
                no_account(email),
            ),
            AccountChange::SetRole { email, role } => statement(
                SET_ROLE,
                vec![text(role.as_str()), text(email.as_str())],
                no_account(email),
            ),
            AccountChange::CreateSession { token_hash, email, csrf_token, at, expires_at } => {
                statement(
                    CREATE_SESSION,
                    vec![
                        text(token_hash),
                        text(csrf_token),
                        time(*at),
                        time(*expires_at),
                        text(email.as_str()),
                    ],
                    no_account(email),
                )
            }
            AccountChange::EndSession { token_hash } => {
                statement(END_SESSION, vec![text(token_hash)], Expect::Count)
            }
            AccountChange::EndOtherSessions { email, keep_token_hash } => statement(
                END_OTHER_SESSIONS,
                vec![text(email.as_str()), text(keep_token_hash)],
                Expect::Count,
            ),
            AccountChange::EndExpiredSessions { now } => {
                statement(END_EXPIRED_SESSIONS, vec![time(*now)], Expect::Count)
            }
            AccountChange::CreateToken { name, token_hash, role, at } => statement(
                CREATE_TOKEN,
                vec![text(name), text(token_hash), text(role.as_str()), time(*at)],
                Expect::Key(format!("the token `{name}` was not created")),
            ),
            AccountChange::RevokeToken { id, at } => statement(
                REVOKE_TOKEN,
                vec![time(*at), Param::Value(Value::integer(*id))],
                Expect::OneRow(format!("there is no token {id} that is not already revoked")),
            ),
            AccountChange::RecordSignInFailure { key, at, window_start } => statement(
                RECORD_FAILURE,
                vec![text(key), time(*at), time(*window_start)],
                Expect::OneRow("the failed sign-in was not counted".to_owned()),
            ),
            AccountChange::ClearSignInFailures { key } => {
                statement(CLEAR_FAILURES, vec![text(key)], Expect::Count)
            }
            AccountChange::RemoveAccount { email } => {
                statement(REMOVE_ACCOUNT, vec![text(email.as_str())], no_account(email))
            }
            AccountChange::ForgiveSignInAttempt { key } => {
                statement(FORGIVE_ATTEMPT, vec![text(key)], Expect::Count)
            }
        };
        vec![one]
    }
}

impl AuditEntry {
    pub(crate) fn statements(&self) -> Vec<Statement> {
        vec![statement(
            AUDIT,
            vec![
                time(self.at),
                text(&self.actor),
                text(&self.action),
                text(&self.target),
                optional(self.person.as_ref().map(PersonId::as_str)),
                optional(self.before.as_deref()),
                optional(self.after.as_deref()),
            ],
            Expect::OneRow("the audit entry was not written".to_owned()),
        )]
    }
}

fn role(text: &str) -> Result<Role, StoreError> {
    Role::parse(text).ok_or_else(|| corrupt("role", text))
}

fn account_from_row(row: &Row) -> Result<StoredAccount, StoreError> {
    let email_text = row.text(1)?;
    Ok(StoredAccount {
        id: row.integer(0)?,
        email: Email::from_stored(&email_text).ok_or_else(|| corrupt("email", &email_text))?,
        role: role(&row.str(2)?)?,
        password_hash: row.optional_text(3)?,
        created_at: parse_timestamp(&row.str(4)?)?,
        person: row.optional_text(5)?.map(|id| person_id(&id)).transpose()?,
    })
}

fn token_from_row(row: &Row) -> Result<StoredToken, StoreError> {
    Ok(StoredToken {
        id: row.integer(0)?,
        name: row.text(1)?,
        role: role(&row.str(2)?)?,
        created_at: parse_timestamp(&row.str(3)?)?,
        revoked_at: row.optional_text(4)?.map(|at| parse_timestamp(&at)).transpose()?,
    })
}

/// Typed reads of accounts, sessions, tokens, throttling and the audit log, for any backend.
pub trait Accounts: Storage + Sync {
    fn account(
        &self,
        email: &Email,
    ) -> impl Future<Output = Result<Option<StoredAccount>, StoreError>> + Send {
        let query = Query::new(
            format!("SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.email = $1"),
            vec![Value::text(email.as_str())],
        );
        async move { self.fetch(query).await?.first().map(account_from_row).transpose() }
    }

    /// Every account, by email.
    fn accounts(&self) -> impl Future<Output = Result<Vec<StoredAccount>, StoreError>> + Send {
        let query = Query::new(
            format!("SELECT {ACCOUNT_COLUMNS} FROM accounts a ORDER BY a.email"),
            vec![],
        );
        async move { self.fetch(query).await?.iter().map(account_from_row).collect() }
    }

    fn account_count(&self) -> impl Future<Output = Result<u64, StoreError>> + Send {
        async move {
            let rows = self.fetch(Query::new("SELECT count(*) FROM accounts", vec![])).await?;
            let count = rows.first().map(|row| row.integer(0)).transpose()?.unwrap_or(0);
            Ok(u64::try_from(count).unwrap_or(0))
        }
    }

    /// Who made the latest entry of `action` (such as `org.import`), and its target; `None`
    /// when there is none.
    fn latest_audited(
        &self,
        action: &str,
    ) -> impl Future<Output = Result<Option<(String, String)>, StoreError>> + Send {
        let query = Query::new(
            "SELECT actor, target FROM audit_log WHERE action = $1 ORDER BY pk DESC LIMIT 1",
            vec![Value::text(action)],
        );
        async move {
            let rows = self.fetch(query).await?;
            rows.first().map(|row| Ok((row.text(0)?, row.text(1)?))).transpose()
        }
    }

    /// How many emails of active people have no account yet.
    fn people_without_account(&self) -> impl Future<Output = Result<u64, StoreError>> + Send {
        let query = Query::new(
            "SELECT count(DISTINCT email) FROM people \
             WHERE status = 'active' AND email NOT IN (SELECT email FROM accounts)",
            vec![],
        );
        async move {
            let rows = self.fetch(query).await?;
            let count = rows.first().map(|row| row.integer(0)).transpose()?.unwrap_or(0);
            Ok(u64::try_from(count).unwrap_or(0))
        }
    }

    /// The session a cookie's hash names, expired or not.
    fn session(
        &self,
        token_hash: &str,
    ) -> impl Future<Output = Result<Option<StoredSession>, StoreError>> + Send {
        let query = Query::new(
            format!(
                "SELECT {ACCOUNT_COLUMNS}, s.csrf_token, s.expires_at, \
                 (SELECT version FROM org_version) FROM sessions s \
                 JOIN accounts a ON a.pk = s.account_pk WHERE s.token_hash = $1"
            ),
            vec![Value::text(token_hash)],
        );
        async move {
            let rows = self.fetch_remembered(query).await?;
            let Some(row) = rows.first() else { return Ok(None) };
            Ok(Some(StoredSession {
                account: account_from_row(row)?,
                csrf_token: row.text(6)?,
                expires_at: parse_timestamp(&row.str(7)?)?,
                org_version: row.integer(8)?,
            }))
        }
    }

    /// The token a bearer header's hash names, revoked or not.
    fn token(
        &self,
        token_hash: &str,
    ) -> impl Future<Output = Result<Option<StoredToken>, StoreError>> + Send {
        let query = Query::new(
            format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = $1"),
            vec![Value::text(token_hash)],
        );
        async move { self.fetch_remembered(query).await?.first().map(token_from_row).transpose() }
    }

    /// Every token, oldest first.
    fn tokens(&self) -> impl Future<Output = Result<Vec<StoredToken>, StoreError>> + Send {
        let query =
            Query::new(format!("SELECT {TOKEN_COLUMNS} FROM api_tokens ORDER BY pk"), vec![]);
        async move { self.fetch(query).await?.iter().map(token_from_row).collect() }
    }

    fn sign_in_failures(
        &self,
        key: &str,
    ) -> impl Future<Output = Result<Option<SignInFailures>, StoreError>> + Send {
        let query = Query::new(
            "SELECT failures, first_at FROM sign_in_failures WHERE key = $1",
            vec![Value::text(key)],
        );
        async move {
            let rows = self.fetch(query).await?;
            let Some(row) = rows.first() else { return Ok(None) };
            Ok(Some(SignInFailures {
                count: u32::try_from(row.integer(0)?).unwrap_or(u32::MAX),
                first_at: parse_timestamp(&row.str(1)?)?,
            }))
        }
    }

    /// Audit entries, newest first.
    fn audit(
        &self,
        filter: &AuditFilter,
    ) -> impl Future<Output = Result<Vec<AuditRecord>, StoreError>> + Send {
        let mut conditions = Vec::new();
        let mut params = Vec::new();
        if let Some(person) = &filter.person {
            params.push(Value::text(person.as_str()));
            conditions.push(format!("person_id = ${}", params.len()));
        }
        if let Some(since) = filter.since {
            params.push(Value::text(since.to_string()));
            conditions.push(format!("at >= ${}", params.len()));
        }
        let mut sql =
            "SELECT pk, at, actor, action, target, person_id, before, after FROM audit_log"
                .to_owned();
        if !conditions.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.join(" AND "));
        }
        sql.push_str(" ORDER BY pk DESC");
        if let Some(limit) = filter.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        let query = Query::new(sql, params);
        async move {
            let rows = self.fetch(query).await?;
            rows.iter()
                .map(|row| {
                    Ok(AuditRecord {
                        id: row.integer(0)?,
                        entry: AuditEntry {
                            at: parse_timestamp(&row.str(1)?)?,
                            actor: row.text(2)?,
                            action: row.text(3)?,
                            target: row.text(4)?,
                            person: row.optional_text(5)?.map(|id| person_id(&id)).transpose()?,
                            before: row.optional_text(6)?,
                            after: row.optional_text(7)?,
                        },
                    })
                })
                .collect()
        }
    }
}

impl<S: Storage + Sync> Accounts for S {}
