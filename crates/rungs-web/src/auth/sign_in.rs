//! Signing a new session in: its cookie, and the page on this site the browser goes to next.

use axum::http::{HeaderMap, header};
use axum::response::Response;
use rungs_app::{NewSession, SESSION_LIFETIME};

use super::cookies::{SESSION_COOKIE, secure, set_cookie};
use crate::respond::see_other;
use crate::state::WebState;

/// Where to go after signing in: a path on this site, never another site. Browsers drop tabs
/// and newlines from a `Location` (so `/\t/evil.example` would become `//evil.example`) and
/// read `\` as `/`: any control character or backslash, or a second leading `/`, falls back
/// to the ladder.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(next)
            if next.starts_with('/')
                && !next.starts_with("//")
                && !next.chars().any(|c| c.is_control() || c == '\\') =>
        {
            next.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// The answer that signs a new session in: its cookie, and a redirect to `next`.
pub fn signed_in(
    state: &WebState,
    headers: &HeaderMap,
    session: &NewSession,
    next: &str,
) -> Response {
    let cookie = set_cookie(
        SESSION_COOKIE,
        &session.token,
        "/",
        SESSION_LIFETIME.as_secs(),
        secure(state.secure_cookies, headers),
    );
    let mut response = see_other(next);
    response.headers_mut().append(header::SET_COOKIE, cookie);
    response
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn after_signing_in_only_paths_on_this_site() {
        assert_eq!(safe_next(Some("/people/E1?target=sem")), "/people/E1?target=sem");
        for elsewhere in [
            "//evil.example",
            "/\t/evil.example",
            "/\\evil.example",
            "https://evil.example",
            "/\n/x",
            "",
        ] {
            assert_eq!(safe_next(Some(elsewhere)), "/", "{elsewhere:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
