//! Signing in and out, the first-run set-up of the first admin, and the signed-in account's
//! own page (its password).

use std::net::SocketAddr;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, Query};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rungs_app::MIN_PASSWORD_LENGTH;
use rungs_core::notify::MailPreferences;

use super::{Layout, encode, see_other};
use crate::auth::cookies::{SESSION_COOKIE, secure, set_cookie};
use crate::auth::{Acting, Via, client_address, safe_next, signed_in};
use crate::error::{PageError, WebError};
use crate::state::WebState;

#[derive(Template, WebTemplate)]
#[template(path = "sign_in.html")]
pub struct SignInPage {
    pub layout: Layout,
    pub next: String,
    pub next_encoded: String,
    pub email: String,
    pub error: Option<String>,
    pub notice: Option<String>,
    pub sso: bool,
}

#[derive(Debug, serde::Deserialize)]
pub struct NextQuery {
    pub next: Option<String>,
    pub error: Option<String>,
}

fn sign_in_page(state: &WebState, next: &str, email: &str, error: Option<String>) -> SignInPage {
    SignInPage {
        layout: Layout::of(state),
        next: next.to_owned(),
        next_encoded: encode(next),
        email: email.to_owned(),
        error,
        notice: None,
        sso: state.oidc.is_some(),
    }
}

pub async fn sign_in_form(
    Acting(state): Acting,
    Query(query): Query<NextQuery>,
) -> Result<Response, PageError> {
    if state.app.needs_first_admin().await? && state.setup_code.is_some() {
        return Ok(see_other("/setup"));
    }
    let next = safe_next(query.next.as_deref());
    Ok(sign_in_page(&state, &next, "", query.error).into_response())
}

#[derive(Debug, serde::Deserialize)]
pub struct SignInForm {
    pub email: String,
    pub password: String,
    pub next: Option<String>,
}

pub async fn sign_in(
    Acting(state): Acting,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Result<Response, PageError> {
    let next = safe_next(form.next.as_deref());
    let address = client_address(&state, address, &headers);
    match state.app.sign_in(&form.email, &form.password, &address).await {
        Ok(session) => Ok(signed_in(&state, &headers, &session, &next)),
        Err(error) => {
            let error = WebError::from(error);
            if error.status.is_server_error() {
                return Err(PageError(error));
            }
            let page = sign_in_page(&state, &next, form.email.trim(), Some(error.message));
            Ok((error.status, page).into_response())
        }
    }
}

pub async fn sign_out(Acting(state): Acting, headers: HeaderMap) -> Result<Response, PageError> {
    if let Some(Via::Session { token }) = state.viewer.as_deref().map(|viewer| &viewer.via) {
        state.app.sign_out(token).await?;
    }
    let mut response = see_other("/sign-in");
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", "/", 0, secure(state.secure_cookies, &headers)),
    );
    Ok(response)
}

#[derive(Template, WebTemplate)]
#[template(path = "setup.html")]
pub struct SetupPage {
    pub layout: Layout,
    pub code: String,
    pub email: String,
    pub min_length: usize,
    pub error: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
pub struct SetupQuery {
    pub code: Option<String>,
}

/// The set-up is open only while no account exists, and only with the printed code.
async fn setup_open(state: &WebState) -> Result<bool, WebError> {
    Ok(state.setup_code.is_some() && state.app.needs_first_admin().await?)
}

pub async fn setup_form(
    Acting(state): Acting,
    Query(query): Query<SetupQuery>,
) -> Result<SetupPage, PageError> {
    if !setup_open(&state).await? {
        return Err(PageError(WebError::not_found("there is no page /setup")));
    }
    Ok(SetupPage {
        layout: Layout::of(&state),
        code: query.code.unwrap_or_default(),
        email: String::new(),
        min_length: MIN_PASSWORD_LENGTH,
        error: None,
    })
}

#[derive(Debug, serde::Deserialize)]
pub struct SetupForm {
    pub code: String,
    pub email: String,
    pub password: String,
}

pub async fn setup(
    Acting(state): Acting,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    form: Result<Form<SetupForm>, FormRejection>,
) -> Result<Response, PageError> {
    // Closed is closed, whatever was posted.
    if !setup_open(&state).await? {
        return Err(PageError(WebError::not_found("there is no page /setup")));
    }
    let Form(form) = form?;
    let expected = state.setup_code.as_deref().unwrap_or_default();
    let refuse = |status: StatusCode, message: String| {
        let page = SetupPage {
            layout: Layout::of(&state),
            code: form.code.clone(),
            email: form.email.clone(),
            min_length: MIN_PASSWORD_LENGTH,
            error: Some(message),
        };
        (status, page).into_response()
    };
    if form.code.trim() != expected {
        let wrong = WebError {
            status: StatusCode::FORBIDDEN,
            code: "forbidden",
            message: "this is not the set-up code the server printed".to_owned(),
            field: Some("code".to_owned()),
        };
        return Ok(refuse(wrong.status, wrong.refusal("No account was created.")));
    }
    let app = state.app.acting_as("setup");
    if let Err(error) = app.create_first_admin(&form.email, &form.password).await {
        let error = WebError::from(error);
        if error.status.is_server_error() {
            return Err(PageError(error));
        }
        return Ok(refuse(error.status, error.refusal("No account was created.")));
    }
    let address = client_address(&state, address, &headers);
    let session = state.app.sign_in(&form.email, &form.password, &address).await?;
    Ok(signed_in(&state, &headers, &session, "/admin/accounts"))
}

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
pub struct AccountPage {
    pub layout: Layout,
    pub email: String,
    pub role: String,
    pub min_length: usize,
    /// The name of the account's person, for the link to their page.
    pub me_name: String,
    /// What the account's person wants by mail; none for an account that is nobody in the org.
    pub mail: Option<MailPreferences>,
    pub error: Option<String>,
    pub notice: Option<String>,
}

async fn account_page(
    state: &WebState,
    error: Option<String>,
    notice: Option<String>,
) -> Result<AccountPage, PageError> {
    let viewer = state.viewer.as_deref();
    let (mail, me_name) = match viewer.and_then(|viewer| viewer.principal.person.as_ref()) {
        Some(person) => {
            let preferences = state.app.mail_preferences(person).await.map_err(WebError::from)?;
            let names = state.app.names([person]).await.map_err(WebError::from)?;
            (Some(preferences), names.of(person).to_owned())
        }
        None => (None, String::new()),
    };
    Ok(AccountPage {
        layout: Layout::of(state),
        email: viewer.map(|viewer| viewer.principal.name.clone()).unwrap_or_default(),
        role: viewer.map(|viewer| viewer.principal.role.to_string()).unwrap_or_default(),
        min_length: MIN_PASSWORD_LENGTH,
        me_name,
        mail,
        error,
        notice,
    })
}

pub async fn show(Acting(state): Acting) -> Result<AccountPage, PageError> {
    account_page(&state, None, None).await
}

/// The mail preferences form: a box unticked is absent from the form.
#[derive(Debug, serde::Deserialize)]
pub struct MailForm {
    pub reminders: Option<String>,
    pub digest: Option<String>,
}

pub async fn set_mail(
    Acting(state): Acting,
    form: Result<Form<MailForm>, FormRejection>,
) -> Result<Response, PageError> {
    let viewer = state.signed_in()?;
    let Some(person) = viewer.principal.person.clone() else {
        let message = "This account is nobody in the org chart, so it gets no mail.".to_owned();
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            account_page(&state, Some(message), None).await?,
        )
            .into_response());
    };
    let Form(form) = form.map_err(|rejection| WebError::invalid("form", rejection.body_text()))?;
    let preferences = MailPreferences {
        reminders: is_ticked(form.reminders.as_deref()),
        digest: is_ticked(form.digest.as_deref()),
    };
    state.app.set_mail_preferences(&person, preferences).await.map_err(WebError::from)?;
    let notice = match (preferences.reminders, preferences.digest) {
        (true, false) => "Saved: you get reminders, as things happen.",
        (true, true) => "Saved: you get reminders, in one mail a day at most.",
        (false, false) => "Saved: no reminders; new work still reaches you as it is asked.",
        (false, true) => "Saved: no reminders; new work reaches you in one mail a day at most.",
    };
    Ok(account_page(&state, None, Some(notice.to_owned())).await?.into_response())
}

/// A checkbox's value: browsers send `on`; an API client may send `true` or `1`.
fn is_ticked(value: Option<&str>) -> bool {
    matches!(value, Some("on" | "true" | "1" | "yes"))
}

#[derive(Debug, serde::Deserialize)]
pub struct PasswordForm {
    pub current: String,
    pub new: String,
    pub confirm: String,
}

pub async fn change_password(
    Acting(state): Acting,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PageError> {
    let Some(viewer) = state.viewer.clone() else {
        return Ok(see_other("/sign-in"));
    };
    let Via::Session { token } = &viewer.via else {
        return Err(PageError(WebError::invalid("session", "API tokens have no password")));
    };
    let outcome = if form.new != form.confirm {
        Err(WebError::invalid("confirm", "the two new passwords differ"))
    } else {
        state
            .app
            .change_password(&viewer.principal.name, &form.current, &form.new, token)
            .await
            .map_err(WebError::from)
    };
    match outcome {
        Ok(()) => Ok(account_page(&state, None, Some("Your password was changed.".to_owned()))
            .await?
            .into_response()),
        Err(error) if error.status.is_client_error() => {
            let message = error.refusal("The password was not changed.");
            Ok((error.status, account_page(&state, Some(message), None).await?).into_response())
        }
        Err(error) => Err(PageError(error)),
    }
}
