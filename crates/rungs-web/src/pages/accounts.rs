//! Admin pages for accounts, API tokens and the audit log.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Response};
use rungs_core::access::Role;
use rungs_core::org::PersonId;
use rungs_store::AuditFilter;

use super::Layout;
use crate::auth::Acting;
use crate::error::{PageError, WebError};
use crate::state::WebState;

/// Accounts listed on the page; the rest are counted.
const LISTED_ACCOUNTS: usize = 200;
/// Audit entries shown at once.
pub const AUDIT_PAGE: u32 = 200;
/// The most entries one request of the audit log reads.
pub const AUDIT_MAX: u32 = 1000;

pub struct AccountRow {
    pub email: String,
    pub role: String,
    pub person: Option<String>,
    pub password: bool,
}

impl AccountRow {
    fn of(account: &rungs_store::StoredAccount) -> AccountRow {
        AccountRow {
            email: account.email.to_string(),
            role: account.role.to_string(),
            person: account.person.as_ref().map(ToString::to_string),
            password: account.password_hash.is_some(),
        }
    }
}

pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub created: String,
    pub revoked: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts.html")]
pub struct AccountsPage {
    pub layout: Layout,
    pub accounts: Vec<AccountRow>,
    pub account_count: usize,
    /// The email filter, lower-cased; empty for all.
    pub query: String,
    pub tokens: Vec<TokenRow>,
    pub roles: Vec<&'static str>,
    /// Tokens may also be `scim`, a directory's.
    pub token_roles: Vec<&'static str>,
    pub error: Option<String>,
    pub notice: Option<String>,
    pub new_secret: Option<String>,
    /// What a refused "add an account" form asked for, typed back into it (never the
    /// password).
    pub new_email: String,
    pub new_role: String,
}

async fn page(
    state: &WebState,
    error: Option<String>,
    notice: Option<String>,
    new_secret: Option<String>,
) -> Result<AccountsPage, WebError> {
    filtered_page(state, "", error, notice, new_secret).await
}

/// The page with the accounts whose email contains `query` (all when it is empty).
async fn filtered_page(
    state: &WebState,
    query: &str,
    error: Option<String>,
    notice: Option<String>,
    new_secret: Option<String>,
) -> Result<AccountsPage, WebError> {
    let accounts = state.app.accounts().await?;
    let matching: Vec<_> =
        accounts.iter().filter(|account| account.email.as_str().contains(query)).collect();
    let tokens = state.app.tokens().await?;
    let day = |at: jiff::Timestamp| at.strftime("%Y-%m-%d %H:%M").to_string();
    Ok(AccountsPage {
        layout: Layout::of(state),
        account_count: matching.len(),
        accounts: matching.into_iter().take(LISTED_ACCOUNTS).map(AccountRow::of).collect(),
        query: query.to_owned(),
        tokens: tokens
            .iter()
            .map(|token| TokenRow {
                id: token.id,
                name: token.name.clone(),
                role: token.role.to_string(),
                created: day(token.created_at),
                revoked: token.revoked_at.map(day).unwrap_or_default(),
            })
            .collect(),
        roles: Role::OF_ACCOUNTS.iter().map(|role| role.as_str()).collect(),
        token_roles: Role::ALL.iter().map(|role| role.as_str()).collect(),
        error,
        notice,
        new_secret,
        new_email: String::new(),
        new_role: String::new(),
    })
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct AccountsQuery {
    /// Part of an email.
    pub q: Option<String>,
}

pub async fn show(
    Acting(state): Acting,
    Query(query): Query<AccountsQuery>,
) -> Result<AccountsPage, PageError> {
    let wanted = query.q.as_deref().map(str::trim).unwrap_or_default().to_lowercase();
    Ok(filtered_page(&state, &wanted, None, None, None).await?)
}

#[derive(Debug, serde::Deserialize)]
pub struct RoleForm {
    pub email: String,
    pub role: String,
}

pub async fn set_role(
    Acting(state): Acting,
    Form(form): Form<RoleForm>,
) -> Result<Response, PageError> {
    let outcome = async {
        let role = role(&form.role)?;
        let signed_in = state.viewer.as_deref().map(|viewer| viewer.principal.name.as_str());
        if signed_in == Some(form.email.trim().to_lowercase().as_str()) {
            return Err(WebError::invalid("email", "you cannot change your own role"));
        }
        state.app.set_role(&form.email, role).await?;
        Ok((format!("{} is now {role}.", form.email.trim().to_lowercase()), None))
    }
    .await;
    after(&state, outcome).await
}

fn role(text: &str) -> Result<Role, WebError> {
    Role::parse(text).ok_or_else(|| {
        WebError::invalid(
            "role",
            format!("`{text}` is not a role; use employee, hr, admin or (for a token) scim"),
        )
    })
}

/// The page again after a form: the outcome, or the refusal with its status.
async fn after(
    state: &WebState,
    outcome: Result<(String, Option<String>), WebError>,
) -> Result<Response, PageError> {
    match outcome {
        Ok((notice, secret)) => Ok(page(state, None, Some(notice), secret).await?.into_response()),
        Err(error) if error.status.is_client_error() => {
            let message = error.refusal("Nothing was changed.");
            Ok((error.status, page(state, Some(message), None, None).await?).into_response())
        }
        Err(error) => Err(PageError(error)),
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct AccountForm {
    pub email: String,
    pub role: String,
    pub password: Option<String>,
}

pub async fn add(
    Acting(state): Acting,
    Form(form): Form<AccountForm>,
) -> Result<Response, PageError> {
    let outcome = async {
        let role = role(&form.role)?;
        let password = form.password.as_deref().filter(|password| !password.is_empty());
        if let Some(password) = password {
            rungs_app::check_new_password("password", password)?;
        }
        let account = state.app.add_account(&form.email, role).await?;
        if let Some(password) = password {
            state.app.set_password(account.email.as_str(), password).await?;
        }
        Ok::<_, WebError>((format!("Added {} as {role}.", account.email), None))
    }
    .await;
    match outcome {
        Err(error) if error.status.is_client_error() => {
            let message = error.refusal("Nothing was changed.");
            let mut refused = page(&state, Some(message), None, None).await?;
            refused.new_email = form.email;
            refused.new_role = form.role;
            Ok((error.status, refused).into_response())
        }
        outcome => after(&state, outcome).await,
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct RemoveForm {
    pub email: String,
    /// Sent from the page that asks first.
    pub confirmed: Option<String>,
}

pub async fn remove(
    Acting(state): Acting,
    Form(form): Form<RemoveForm>,
) -> Result<Response, PageError> {
    let email = form.email.trim().to_lowercase();
    let signed_in = state.viewer.as_deref().map(|viewer| viewer.principal.name.as_str());
    let own = signed_in == Some(email.as_str());
    if !own && !super::confirm::is_confirmed(form.confirmed.as_deref()) {
        // Removing cannot be undone: say what happens, and ask.
        let page = super::confirm::ConfirmPage::new(
            &state,
            format!("Remove the account {email}?"),
            vec![
                format!("{email} can no longer sign in, and every session of it ends now."),
                "Its API tokens stop working.".to_owned(),
                "The person it belongs to, their assessments and plans stay as they are; adding the account again links it to them.".to_owned(),
            ],
            "/admin/accounts/remove",
            "Remove the account",
            "/admin/accounts",
        )
        .field("email", email);
        return Ok(page.into_response());
    }
    let outcome = async {
        if own {
            return Err(WebError::invalid("email", "you cannot remove your own account"));
        }
        state.app.remove_account(&form.email).await?;
        Ok((format!("Removed {email}; its sessions ended."), None))
    }
    .await;
    after(&state, outcome).await
}

#[derive(Debug, serde::Deserialize)]
pub struct TokenForm {
    pub name: String,
    pub role: String,
}

pub async fn create_token(
    Acting(state): Acting,
    Form(form): Form<TokenForm>,
) -> Result<Response, PageError> {
    let outcome = async {
        let role = role(&form.role)?;
        let token = state.app.create_token(&form.name, role).await?;
        Ok((
            format!("Created token {} ({role}). Copy it now: it is not shown again.", token.id),
            Some(token.secret),
        ))
    }
    .await;
    after(&state, outcome).await
}

pub async fn revoke_token(
    Acting(state): Acting,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let outcome = async {
        let id: i64 =
            id.parse().map_err(|_| WebError::not_found(format!("there is no token `{id}`")))?;
        state.app.revoke_token(id).await?;
        Ok((format!("Revoked token {id}; it no longer works."), None))
    }
    .await;
    after(&state, outcome).await
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AuditQuery {
    pub person: Option<String>,
    pub since: Option<String>,
    /// Text, so that any value out of `1..=AUDIT_MAX` is refused by name (see `filter`).
    pub limit: Option<String>,
}

impl AuditQuery {
    /// The store's filter; the message names the field that is wrong.
    pub fn filter(&self) -> Result<AuditFilter, WebError> {
        let person = match self.person.as_deref().map(str::trim).filter(|text| !text.is_empty()) {
            Some(text) => Some(
                PersonId::parse(text)
                    .map_err(|error| WebError::invalid("person", error.to_string()))?,
            ),
            None => None,
        };
        let since = match self.since.as_deref().map(str::trim).filter(|text| !text.is_empty()) {
            Some(text) => {
                let date: jiff::civil::Date = text.parse().map_err(|_| {
                    WebError::invalid("since", format!("`{text}` is not a date such as 2026-09-14"))
                })?;
                // A date past the last instant a timestamp holds (9999-12-30 22:00 UTC) is
                // after every entry; one before the first, before every entry.
                let start = match date.to_zoned(jiff::tz::TimeZone::UTC) {
                    Ok(start) => start.timestamp(),
                    Err(_) if date.year() > 0 => jiff::Timestamp::MAX,
                    Err(_) => jiff::Timestamp::MIN,
                };
                Some(start)
            }
            None => None,
        };
        let limit = match self.limit.as_deref().map(str::trim).filter(|text| !text.is_empty()) {
            None => AUDIT_PAGE,
            Some(text) => text
                .parse::<u32>()
                .ok()
                .filter(|limit| (1..=AUDIT_MAX).contains(limit))
                .ok_or_else(|| {
                    let message = format!("`{text}` is not a whole number from 1 to {AUDIT_MAX}");
                    WebError::bad_request("limit", message)
                })?,
        };
        Ok(AuditFilter { person, since, limit: Some(limit) })
    }
}

pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    /// The person's id, and their name (the id again for someone who left).
    pub person: String,
    pub person_name: String,
    pub before: String,
    pub after: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
pub struct AuditPage {
    pub layout: Layout,
    pub person: String,
    pub since: String,
    pub limit: usize,
    pub entries: Vec<AuditRow>,
    pub error: Option<String>,
}

pub async fn audit(
    Acting(state): Acting,
    Query(query): Query<AuditQuery>,
) -> Result<Response, PageError> {
    // The person filter takes a name, an email or an id; an id that names nobody in the org
    // now (someone who left) is still looked for as an id.
    let typed_person = query.person.clone().unwrap_or_default();
    let mut resolved = AuditQuery { person: None, ..query.clone() };
    let mut refused = None;
    if !typed_person.trim().is_empty() {
        let principal = &state.signed_in()?.principal;
        match state
            .app
            .resolve_person(principal, "person", &typed_person, rungs_app::SearchScope::Everyone)
            .await
        {
            Ok(id) => resolved.person = Some(id.to_string()),
            Err(_) if PersonId::parse(typed_person.trim()).is_ok() => {
                resolved.person = Some(typed_person.trim().to_owned());
            }
            Err(error) => refused = Some(WebError::from(error)),
        }
    }
    let (filter, error) = match (refused, resolved.filter()) {
        (None, Ok(filter)) => (filter, None),
        (Some(error), _) | (None, Err(error)) => {
            (AuditFilter { limit: Some(AUDIT_PAGE), ..AuditFilter::default() }, Some(error))
        }
    };
    let entries = state.app.audit(&filter).await?;
    let names =
        state.app.names(entries.iter().filter_map(|record| record.entry.person.as_ref())).await?;
    let page = AuditPage {
        layout: Layout::of(&state),
        person: typed_person,
        since: query.since.clone().unwrap_or_default(),
        limit: filter.limit.unwrap_or(AUDIT_PAGE) as usize,
        entries: entries
            .into_iter()
            .map(|record| AuditRow {
                at: record.entry.at.strftime("%Y-%m-%d %H:%M:%S").to_string(),
                actor: record.entry.actor,
                action: record.entry.action,
                target: record.entry.target,
                person_name: record
                    .entry
                    .person
                    .as_ref()
                    .map(|person| names.of(person).to_owned())
                    .unwrap_or_default(),
                person: record.entry.person.map(|person| person.to_string()).unwrap_or_default(),
                before: record.entry.before.unwrap_or_default(),
                after: record.entry.after.unwrap_or_default(),
            })
            .collect(),
        error: error
            .as_ref()
            .map(|error| format!("{}: {}", error.field.as_deref().unwrap_or(""), error.message)),
    };
    let status = error.map_or(axum::http::StatusCode::OK, |error| error.status);
    Ok((status, page).into_response())
}
