//! What every handler can reach: the application, how the instance presents itself, how it
//! signs people in, and (once the guard let a request through) who is asking.

use std::sync::Arc;

use rungs_app::App;

use crate::oidc_config::OidcConfig;
use crate::viewer::Viewer;

#[derive(Debug, Clone)]
pub struct WebState {
    pub app: App,
    /// Shown in every page header: this instance holds demo data.
    pub demo: bool,
    /// Session cookies are `Secure` even without a TLS proxy saying so.
    pub secure_cookies: bool,
    /// The one-time code the first-run set-up asks for, printed at start-up.
    pub setup_code: Option<Arc<str>>,
    /// Requests come through a reverse proxy whose `X-Forwarded-For` can be believed.
    pub trust_proxy: bool,
    /// Single sign-on through an OpenID Connect provider, when configured.
    pub oidc: Option<Arc<OidcConfig>>,
    /// The share of active people, in percent, an org import may mark as left without the
    /// number being confirmed.
    pub leaver_share: u8,
    /// The server sends mail (it was given an SMTP server); otherwise notices only queue.
    pub mail_sending: bool,
    /// Who is asking; set for handlers by `auth::Acting`.
    pub viewer: Option<Arc<Viewer>>,
}

impl WebState {
    pub fn new(app: App, demo: bool) -> WebState {
        WebState {
            app,
            demo,
            secure_cookies: false,
            trust_proxy: false,
            setup_code: None,
            oidc: None,
            leaver_share: rungs_core::org::DEFAULT_LEAVER_SHARE,
            mail_sending: false,
            viewer: None,
        }
    }

    pub fn with_leaver_share(self, leaver_share: u8) -> WebState {
        WebState { leaver_share, ..self }
    }

    pub fn with_mail_sending(self, mail_sending: bool) -> WebState {
        WebState { mail_sending, ..self }
    }

    pub fn with_secure_cookies(self, secure_cookies: bool) -> WebState {
        WebState { secure_cookies, ..self }
    }

    pub fn with_trusted_proxy(self, trust_proxy: bool) -> WebState {
        WebState { trust_proxy, ..self }
    }

    pub fn with_setup_code(self, code: &str) -> WebState {
        WebState { setup_code: Some(Arc::from(code)), ..self }
    }

    pub fn with_oidc(self, oidc: OidcConfig) -> WebState {
        WebState { oidc: Some(Arc::new(oidc)), ..self }
    }

    /// Who is signed in, for a handler the guard lets through only when someone is.
    pub fn signed_in(&self) -> Result<&Viewer, crate::error::WebError> {
        self.viewer.as_deref().ok_or_else(|| {
            crate::error::WebError::new(
                axum::http::StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "not signed in",
            )
        })
    }
}
