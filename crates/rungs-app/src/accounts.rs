//! Accounts and signing in: creating accounts and the first admin, passwords, sessions with
//! an expiry, throttling of failed sign-ins per account and per address, API tokens, and who
//! a session or token acts for.

use std::fmt;

use jiff::{SignedDuration, Timestamp};
use rungs_core::access::{Principal, Role};
use rungs_core::org::Email;
use rungs_store::{AccountChange, Accounts, Change, Records, StoredAccount, StoredToken};
use serde_json::json;

use crate::audit::Audit;
use crate::secrets::{
    check_new_password, hash_password, random_token, token_hash, verify_password,
};
use crate::{App, AppError};

/// How long a session lasts after signing in.
pub const SESSION_LIFETIME: SignedDuration = SignedDuration::from_hours(12);
/// Failed sign-ins allowed per account and per address within [`THROTTLE_WINDOW`].
pub const MAX_FAILURES: u32 = 5;
pub const THROTTLE_WINDOW: SignedDuration = SignedDuration::from_mins(15);
/// Longer sign-in emails are refused unread.
/// API tokens start with this, so that they are recognisable in a secret scanner.
pub const TOKEN_PREFIX: &str = "rungs_";

/// Why signing in was refused. The message never says whether the account exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInRefusal {
    WrongCredentials,
    /// Too many failures; try again after this long.
    Throttled {
        retry_after: SignedDuration,
    },
    /// Single sign-on gave an email with no account.
    NoAccount,
}

impl fmt::Display for SignInRefusal {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignInRefusal::WrongCredentials => {
                formatter.write_str("the email or password is wrong")
            }
            SignInRefusal::Throttled { retry_after } => {
                let minutes = (retry_after.as_secs() + 59) / 60;
                write!(
                    formatter,
                    "too many failed sign-ins; try again in {minutes} minute{}",
                    if minutes == 1 { "" } else { "s" }
                )
            }
            SignInRefusal::NoAccount => formatter.write_str(
                "there is no Rungs account for the email your sign-on provider gave; ask an admin",
            ),
        }
    }
}

/// A new session: the cookie value (shown once, stored hashed) and its CSRF token.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
    pub expires_at: Timestamp,
    pub principal: Principal,
}

/// A live session: who it acts for and the CSRF token its forms carry.
#[derive(Debug, Clone)]
pub struct SessionPrincipal {
    pub principal: Principal,
    pub csrf_token: String,
    /// The org version read with the session; see [`App::as_of_org_version`].
    pub org_version: i64,
}

/// A new API token: the secret, shown once.
#[derive(Debug, Clone)]
pub struct NewToken {
    pub id: i64,
    pub secret: String,
}

fn principal_of(account: &StoredAccount) -> Principal {
    Principal {
        name: account.email.to_string(),
        role: account.role,
        person: account.person.clone(),
    }
}

/// A new account's email: people's emails are compared lower-cased, so accounts' are too.
fn email(field: &str, text: &str) -> Result<Email, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::invalid(field, "an email address is required"));
    }
    rungs_core::text::EMAIL.check(text).map_err(|error| AppError::invalid(field, error))?;
    Email::parse(text).ok_or_else(|| {
        AppError::invalid(
            field,
            format!(
                "`{}` is not an email address such as ada@example.com",
                rungs_core::text::visible(text, false)
            ),
        )
    })
}

/// The email of an account that may exist: found under the looser rule it may have been
/// created with, so that an account made before the stricter one can still be found, signed
/// in, changed and removed.
fn existing_email(field: &str, text: &str) -> Result<Email, AppError> {
    let text = text.trim();
    if rungs_core::text::EMAIL.check(text).is_ok()
        && let Some(email) = Email::from_stored(text)
    {
        return Ok(email);
    }
    email(field, text)
}

/// A hash to verify against when there is no account, so that a missing account takes as long
/// to refuse as a wrong password.
const DECOY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$kVhZWZtR1Xc4U6rT0r8Tmb4Zx3w6tNoWGRdGr6ogJ3Y";

/// Refuses a role no account may have: `scim` is for a directory's API token.
fn account_role(role: Role) -> Result<(), AppError> {
    if Role::OF_ACCOUNTS.contains(&role) {
        Ok(())
    } else {
        Err(AppError::invalid(
            "role",
            format!(
                "`{role}` is a role for API tokens only; give an account employee, hr or admin"
            ),
        ))
    }
}

impl App {
    /// The account with this email, if there is one.
    pub async fn account(&self, email_text: &str) -> Result<Option<StoredAccount>, AppError> {
        Ok(self.store.account(&existing_email("email", email_text)?).await?)
    }

    async fn account_named(&self, email: &Email) -> Result<StoredAccount, AppError> {
        self.store
            .account(email)
            .await?
            .ok_or_else(|| AppError::not_found("account", email.as_str()))
    }

    /// Adds an account with a password, in one write.
    pub async fn add_account_with_password(
        &self,
        email_text: &str,
        role: Role,
        password: &str,
    ) -> Result<StoredAccount, AppError> {
        let email = email("email", email_text)?;
        account_role(role)?;
        check_new_password("password", password)?;
        let password_hash = hash_password(password).await?;
        let at = self.now();
        self.write(
            vec![Change::Account(AccountChange::CreateAccount {
                email: email.clone(),
                role,
                password_hash: Some(password_hash),
                at,
            })],
            Audit::new("account.create", format!("account {email}"))
                .after(json!({ "email": email.as_str(), "role": role.as_str() })),
        )
        .await?;
        self.account_named(&email).await
    }

    /// Adds an account; without a password it can sign in only through single sign-on until
    /// one is set.
    pub async fn add_account(
        &self,
        email_text: &str,
        role: Role,
    ) -> Result<StoredAccount, AppError> {
        let email = email("email", email_text)?;
        account_role(role)?;
        let at = self.now();
        self.write(
            vec![Change::Account(AccountChange::CreateAccount {
                email: email.clone(),
                role,
                password_hash: None,
                at,
            })],
            Audit::new("account.create", format!("account {email}"))
                .after(json!({ "email": email.as_str(), "role": role.as_str() })),
        )
        .await?;
        self.account_named(&email).await
    }

    pub async fn set_role(&self, email_text: &str, role: Role) -> Result<(), AppError> {
        let email = existing_email("email", email_text)?;
        account_role(role)?;
        let account = self.account_named(&email).await?;
        self.write(
            vec![Change::Account(AccountChange::SetRole { email: email.clone(), role })],
            Audit::new("account.role", format!("account {email}"))
                .before(json!({ "role": account.role.as_str() }))
                .after(json!({ "role": role.as_str() })),
        )
        .await?;
        Ok(())
    }

    /// Sets an account's password (by an admin, or from the command line).
    pub async fn set_password(&self, email_text: &str, password: &str) -> Result<(), AppError> {
        let email = existing_email("email", email_text)?;
        check_new_password("password", password)?;
        self.account_named(&email).await?;
        let password_hash = hash_password(password).await?;
        // A reset password ends every session of the account: whoever knew the old one is out.
        self.write(
            vec![
                Change::Account(AccountChange::SetPassword { email: email.clone(), password_hash }),
                Change::Account(AccountChange::EndOtherSessions {
                    email: email.clone(),
                    keep_token_hash: String::new(),
                }),
            ],
            Audit::new("account.password", format!("account {email}")),
        )
        .await?;
        Ok(())
    }

    /// Removes an account: it can no longer sign in, and its sessions end at once. What it
    /// did stays in the audit log under its email.
    pub async fn remove_account(&self, email_text: &str) -> Result<(), AppError> {
        let email = existing_email("email", email_text)?;
        let account = self.account_named(&email).await?;
        self.write(
            vec![Change::Account(AccountChange::RemoveAccount { email: email.clone() })],
            Audit::new("account.remove", format!("account {email}"))
                .before(json!({ "email": email.as_str(), "role": account.role.as_str() })),
        )
        .await?;
        Ok(())
    }

    pub async fn accounts(&self) -> Result<Vec<StoredAccount>, AppError> {
        Ok(self.store.accounts().await?)
    }

    /// Whether no account exists yet: the first-run set-up is open.
    pub async fn needs_first_admin(&self) -> Result<bool, AppError> {
        Ok(self.store.account_count().await? == 0)
    }

    /// Creates the first admin; refused once any account exists.
    pub async fn create_first_admin(
        &self,
        email_text: &str,
        password: &str,
    ) -> Result<(), AppError> {
        let email = email("email", email_text)?;
        check_new_password("password", password)?;
        let password_hash = hash_password(password).await?;
        self.write(
            vec![Change::Account(AccountChange::CreateFirstAccount {
                email: email.clone(),
                password_hash,
                at: self.now(),
            })],
            Audit::new("account.create", format!("account {email}"))
                .after(json!({ "email": email.as_str(), "role": "admin", "first": true })),
        )
        .await?;
        Ok(())
    }

    /// Accounts for every active person, sharing one password: the demo instance's. Returns
    /// how many were created.
    pub async fn create_demo_accounts(&self, password: &str) -> Result<i64, AppError> {
        if self.store.people_without_account().await? == 0 {
            return Ok(0);
        }
        let password_hash = hash_password(password).await?;
        let keys = self
            .write(
                vec![Change::Account(AccountChange::CreateAccountsForPeople {
                    password_hash,
                    at: self.now(),
                    actor: self.actor().to_owned(),
                })],
                Audit::new("account.create-demo", "accounts of everyone in the org who had none"),
            )
            .await?;
        Ok(keys.first().copied().flatten().unwrap_or(0))
    }

    /// Signs in with a password from `address`. Every attempt counts against the account and
    /// the address before the password is checked (so parallel guesses count too); more than
    /// [`MAX_FAILURES`] in [`THROTTLE_WINDOW`] are refused without checking. A success takes
    /// its own attempt back and clears the account's count.
    pub async fn sign_in(
        &self,
        email_text: &str,
        password: &str,
        address: &str,
    ) -> Result<NewSession, AppError> {
        let typed = email_text.trim();
        // What was typed is never stored as it is: it may be a password typed in the wrong box.
        let email = (typed.len() <= rungs_core::text::EMAIL.max)
            .then(|| Email::from_stored(typed))
            .flatten();
        let (account_key, named) = match &email {
            Some(email) => (format!("account:{email}"), format!("account {email}")),
            None => (
                format!("account:#{}", token_hash(typed)),
                "account (not an email address)".to_owned(),
            ),
        };
        let address_key = format!("address:{address}");
        self.count_attempt(&[&account_key, &address_key]).await?;
        let account = match &email {
            Some(email) => self.store.account(email).await?,
            None => None,
        };
        let hash = account.as_ref().and_then(|account| account.password_hash.clone());
        let matches = verify_password(password, hash.as_deref().unwrap_or(DECOY_HASH)).await?;
        let account = match account {
            Some(account) if matches && account.password_hash.is_some() => account,
            _ => {
                self.write(
                    Vec::new(),
                    Audit::new("session.sign-in-failed", named)
                        .after(json!({ "address": address })),
                )
                .await?;
                return Err(AppError::SignIn(SignInRefusal::WrongCredentials));
            }
        };
        self.start_session(
            &account,
            "password",
            vec![
                Change::Account(AccountChange::ClearSignInFailures { key: account_key }),
                Change::Account(AccountChange::ForgiveSignInAttempt { key: address_key }),
            ],
        )
        .await
    }

    /// Counts a sign-in attempt against each key, then refuses it when any key is over the
    /// limit within the window.
    async fn count_attempt(&self, keys: &[&str]) -> Result<(), AppError> {
        let now = self.now();
        let window_start = now.saturating_sub(THROTTLE_WINDOW).unwrap_or(now);
        let changes = keys
            .iter()
            .map(|key| {
                Change::Account(AccountChange::RecordSignInFailure {
                    key: (*key).to_owned(),
                    at: now,
                    window_start,
                })
            })
            .collect::<Vec<_>>();
        self.store.apply(&changes).await?;
        for key in keys {
            if let Some(failures) = self.store.sign_in_failures(key).await? {
                let ends = failures.first_at.saturating_add(THROTTLE_WINDOW).unwrap_or(now);
                if failures.count > MAX_FAILURES && ends > now {
                    return Err(AppError::SignIn(SignInRefusal::Throttled {
                        retry_after: now.duration_until(ends),
                    }));
                }
            }
        }
        Ok(())
    }

    /// Signs in someone whose email a single sign-on provider verified.
    pub async fn sign_in_verified(
        &self,
        verified_email: &str,
        provider: &str,
    ) -> Result<NewSession, AppError> {
        let email = existing_email("email", verified_email)?;
        let account =
            self.store.account(&email).await?.ok_or(AppError::SignIn(SignInRefusal::NoAccount))?;
        self.start_session(&account, provider, Vec::new()).await
    }

    async fn start_session(
        &self,
        account: &StoredAccount,
        method: &str,
        mut changes: Vec<Change>,
    ) -> Result<NewSession, AppError> {
        let token = random_token("")?;
        let csrf_token = random_token("")?;
        let at = self.now();
        let expires_at = at.saturating_add(SESSION_LIFETIME).unwrap_or(at);
        changes.push(Change::Account(AccountChange::CreateSession {
            token_hash: token_hash(&token),
            email: account.email.clone(),
            csrf_token: csrf_token.clone(),
            at,
            expires_at,
        }));
        changes.push(Change::Account(AccountChange::EndExpiredSessions { now: at }));
        self.acting_as(account.email.as_str())
            .write(
                changes,
                Audit::new("session.sign-in", format!("account {}", account.email))
                    .after(json!({ "method": method, "expires_at": expires_at.to_string() })),
            )
            .await?;
        Ok(NewSession { token, csrf_token, expires_at, principal: principal_of(account) })
    }

    /// Who a session cookie acts for; `None` when it is unknown or expired.
    pub async fn session(&self, token: &str) -> Result<Option<SessionPrincipal>, AppError> {
        let Some(session) = self.store.session(&token_hash(token)).await? else {
            return Ok(None);
        };
        if session.expires_at <= self.now() {
            return Ok(None);
        }
        Ok(Some(SessionPrincipal {
            principal: principal_of(&session.account),
            csrf_token: session.csrf_token,
            org_version: session.org_version,
        }))
    }

    pub async fn sign_out(&self, token: &str) -> Result<(), AppError> {
        self.write(
            vec![Change::Account(AccountChange::EndSession { token_hash: token_hash(token) })],
            Audit::new("session.sign-out", format!("account {}", self.actor())),
        )
        .await?;
        Ok(())
    }

    /// Changes the signed-in account's password after checking the current one; every other
    /// session of the account ends.
    pub async fn change_password(
        &self,
        email_text: &str,
        current: &str,
        new_password: &str,
        session_token: &str,
    ) -> Result<(), AppError> {
        let email = existing_email("email", email_text)?;
        let account = self.account_named(&email).await?;
        let matches = match &account.password_hash {
            Some(hash) => verify_password(current, hash).await?,
            None => false,
        };
        if !matches {
            return Err(AppError::invalid("current", "the current password is wrong"));
        }
        check_new_password("new", new_password)?;
        let password_hash = hash_password(new_password).await?;
        self.write(
            vec![
                Change::Account(AccountChange::SetPassword { email: email.clone(), password_hash }),
                Change::Account(AccountChange::EndOtherSessions {
                    email: email.clone(),
                    keep_token_hash: token_hash(session_token),
                }),
            ],
            Audit::new("account.password", format!("account {email}")),
        )
        .await?;
        Ok(())
    }

    /// Creates an API token; its secret is returned once and stored only as a hash.
    pub async fn create_token(&self, name: &str, role: Role) -> Result<NewToken, AppError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(AppError::invalid("name", "a token needs a name saying what uses it"));
        }
        rungs_core::text::TOKEN_NAME
            .check(name)
            .map_err(|error| AppError::invalid("name", error))?;
        let secret = random_token(TOKEN_PREFIX)?;
        let keys = self
            .write(
                vec![Change::Account(AccountChange::CreateToken {
                    name: name.to_owned(),
                    token_hash: token_hash(&secret),
                    role,
                    at: self.now(),
                })],
                Audit::new("token.create", format!("token {name}"))
                    .after(json!({ "name": name, "role": role.as_str() })),
            )
            .await?;
        let id = keys.first().copied().flatten().unwrap_or_default();
        Ok(NewToken { id, secret })
    }

    pub async fn revoke_token(&self, id: i64) -> Result<(), AppError> {
        self.write(
            vec![Change::Account(AccountChange::RevokeToken { id, at: self.now() })],
            Audit::new("token.revoke", format!("token {id}")).after(json!({ "revoked": true })),
        )
        .await?;
        Ok(())
    }

    pub async fn tokens(&self) -> Result<Vec<StoredToken>, AppError> {
        Ok(self.store.tokens().await?)
    }

    /// Who a bearer token acts for; `None` when it is unknown or revoked.
    pub async fn token_principal(&self, secret: &str) -> Result<Option<Principal>, AppError> {
        let Some(token) = self.store.token(&token_hash(secret)).await? else {
            return Ok(None);
        };
        if token.revoked_at.is_some() {
            return Ok(None);
        }
        Ok(Some(Principal {
            name: format!("token:{}", token.name),
            role: token.role,
            person: None,
        }))
    }
}
