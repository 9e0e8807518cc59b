//! Single sign-on through an OpenID Connect provider: the authorization code flow with PKCE.
//! `start` sends the browser to the provider with a fresh state, nonce and code challenge
//! (kept in a short-lived cookie); `callback` checks the state, exchanges the code with the
//! verifier, verifies the ID token (signature, issuer, audience, expiry, nonce) and signs in
//! the account whose email the provider verified.

use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use openidconnect::core::CoreResponseType;
use openidconnect::{
    AuthenticationFlow, AuthorizationCode, CsrfToken, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    Scope, TokenResponse,
};

use super::Acting;
use super::cookies::{cookie, secure, set_cookie};
use super::sign_in::{safe_next, signed_in};
use crate::error::{PageError, WebError};
use crate::oidc_config::OidcConfig;
use crate::respond::see_other;
use crate::state::WebState;

const FLOW_COOKIE: &str = "rungs_oidc";
const FLOW_PATH: &str = "/auth/oidc";
/// How long a sign-in at the provider may take.
const FLOW_SECONDS: i64 = 600;

fn configured(state: &WebState) -> Result<&OidcConfig, WebError> {
    state.oidc.as_deref().ok_or_else(|| WebError::not_found("single sign-on is not configured"))
}

#[derive(Debug, serde::Deserialize)]
pub struct StartQuery {
    pub next: Option<String>,
}

/// Sends the browser to the provider.
pub async fn start(
    Acting(state): Acting,
    headers: HeaderMap,
    Query(query): Query<StartQuery>,
) -> Result<Response, PageError> {
    let config = configured(&state)?;
    let client = config.client().await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf_state, nonce) = client
        .authorize_url(
            AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".to_owned()))
        .add_scope(Scope::new("profile".to_owned()))
        .set_pkce_challenge(challenge)
        .url();
    let next = safe_next(query.next.as_deref());
    let flow = format!(
        "{}.{}.{}.{}",
        csrf_state.secret(),
        nonce.secret(),
        verifier.secret(),
        crate::respond::encode(&next)
    );
    let mut response = see_other(url.as_str());
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            FLOW_COOKIE,
            &flow,
            FLOW_PATH,
            FLOW_SECONDS,
            secure(state.secure_cookies, &headers),
        ),
    );
    Ok(response)
}

#[derive(Debug, serde::Deserialize)]
pub struct CallbackQuery {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

fn refused(message: impl Into<String>) -> WebError {
    WebError::new(StatusCode::UNAUTHORIZED, "sign_in_refused", message)
}

/// The provider sends the browser back here with a code.
pub async fn callback(
    Acting(state): Acting,
    headers: HeaderMap,
    Query(query): Query<CallbackQuery>,
) -> Result<Response, PageError> {
    let config = configured(&state)?;
    if let Some(error) = &query.error {
        let detail = query.error_description.as_deref().unwrap_or(error);
        return Err(PageError(refused(format!("the sign-on provider refused: {detail}"))));
    }
    let flow = cookie(&headers, FLOW_COOKIE).unwrap_or_default();
    let mut parts = flow.splitn(4, '.');
    let (Some(expected_state), Some(nonce), Some(verifier), Some(next)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(PageError(refused(
            "the sign-on took too long or was started elsewhere; start again",
        )));
    };
    let sent_state = query.state.as_deref().unwrap_or_default();
    if sent_state.is_empty() || !super::same_token(sent_state, expected_state) {
        return Err(PageError(refused(
            "the sign-on answer does not belong to this browser's sign-in; start again",
        )));
    }
    let code = query.code.clone().ok_or_else(|| refused("the sign-on provider sent no code"))?;
    let client = config.client().await?;
    let exchange = client.exchange_code(AuthorizationCode::new(code)).map_err(|error| {
        tracing::error!(error = %error, "the provider has no token endpoint");
        refused("the sign-on provider is misconfigured")
    })?;
    let tokens = exchange
        .set_pkce_verifier(PkceCodeVerifier::new(verifier.to_owned()))
        .request_async(config.http())
        .await
        .map_err(|error| {
            tracing::warn!(error = %error, "the code exchange failed");
            refused("the sign-on provider did not accept the code; start again")
        })?;
    let id_token =
        tokens.id_token().ok_or_else(|| refused("the sign-on provider sent no ID token"))?;
    let claims = id_token
        .claims(&client.id_token_verifier(), &Nonce::new(nonce.to_owned()))
        .map_err(|error| {
            tracing::warn!(error = %error, "the ID token did not verify");
            // The provider may have rotated its keys: fetch them again next time.
            config.forget_discovery();
            refused("the sign-on provider's ID token did not verify; try again")
        })?;
    let email = match (claims.email(), claims.email_verified()) {
        (Some(email), Some(true)) => email.as_str().to_owned(),
        (Some(_), _) => {
            return Err(PageError(refused("the sign-on provider has not verified your email")));
        }
        (None, _) => {
            return Err(PageError(refused(
                "the sign-on provider sent no email; ask for the `email` scope",
            )));
        }
    };
    let session = state.app.sign_in_verified(&email, "oidc").await?;
    let next = safe_next(Some(&percent_decode(next)));
    let mut response = signed_in(&state, &headers, &session, &next);
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(FLOW_COOKIE, "", FLOW_PATH, 0, secure(state.secure_cookies, &headers)),
    );
    Ok(response.into_response())
}

/// Reverses [`crate::respond::encode`].
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        let hex = bytes
            .get(index + 1..index + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (byte, hex) {
            (b'%', Some(value)) => {
                decoded.push(value);
                index += 3;
            }
            _ => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}
