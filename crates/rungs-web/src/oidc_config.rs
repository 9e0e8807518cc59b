//! A configured OpenID Connect provider: its issuer, this client's credentials and redirect,
//! and the provider's discovery document, fetched when needed and kept for a while.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use openidconnect::core::{CoreClient, CoreProviderMetadata};
use openidconnect::{
    ClientId, ClientSecret, EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, RedirectUrl,
};

use crate::error::WebError;

/// A client built from discovery: an authorization endpoint, a token endpoint and user info
/// as the provider offers them.
pub(crate) type DiscoveredClient = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// A configured provider.
#[derive(Debug, Clone)]
pub struct OidcConfig {
    issuer: IssuerUrl,
    client_id: ClientId,
    client_secret: ClientSecret,
    redirect: RedirectUrl,
    http: reqwest::Client,
    /// The provider's discovery document, kept for [`DISCOVERY_LIFETIME`]: signing in must not
    /// let anyone make the server fetch it at will.
    discovered: Arc<Mutex<Option<(Instant, CoreProviderMetadata)>>>,
}

/// How long a discovery document (endpoints, signing keys) is used before it is fetched again.
const DISCOVERY_LIFETIME: Duration = Duration::from_secs(300);

#[derive(Debug, thiserror::Error)]
pub enum OidcConfigError {
    #[error("--oidc-issuer `{0}` is not a URL")]
    Issuer(String),
    #[error("--public-url `{0}` is not a URL")]
    PublicUrl(String),
    #[error("the HTTP client for single sign-on could not start: {0}")]
    Client(String),
}

impl OidcConfig {
    /// `public_url` is where browsers reach this server, such as `https://rungs.example.com`;
    /// the provider must allow `PUBLIC_URL/auth/oidc/callback` as a redirect URI.
    pub fn new(
        issuer: &str,
        client_id: &str,
        client_secret: &str,
        public_url: &str,
    ) -> Result<OidcConfig, OidcConfigError> {
        let issuer = IssuerUrl::new(issuer.trim_end_matches('/').to_owned())
            .map_err(|_| OidcConfigError::Issuer(issuer.to_owned()))?;
        let redirect =
            RedirectUrl::new(format!("{}/auth/oidc/callback", public_url.trim_end_matches('/')))
                .map_err(|_| OidcConfigError::PublicUrl(public_url.to_owned()))?;
        let http = reqwest::ClientBuilder::new()
            // The provider's redirects are never followed: SSRF protection, as its docs ask.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|error| OidcConfigError::Client(error.to_string()))?;
        Ok(OidcConfig {
            issuer,
            client_id: ClientId::new(client_id.to_owned()),
            client_secret: ClientSecret::new(client_secret.to_owned()),
            redirect,
            http,
            discovered: Arc::default(),
        })
    }

    /// The HTTP client that talks to the provider.
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// A client for the provider as its discovery document describes it now.
    pub(crate) async fn client(&self) -> Result<DiscoveredClient, WebError> {
        let metadata = self.metadata().await?;
        Ok(CoreClient::from_provider_metadata(
            metadata,
            self.client_id.clone(),
            Some(self.client_secret.clone()),
        )
        .set_redirect_uri(self.redirect.clone()))
    }

    async fn metadata(&self) -> Result<CoreProviderMetadata, WebError> {
        let cached = self.discovered.lock().unwrap_or_else(PoisonError::into_inner).clone();
        if let Some((at, metadata)) = cached
            && at.elapsed() < DISCOVERY_LIFETIME
        {
            return Ok(metadata);
        }
        let metadata = self.discover().await?;
        *self.discovered.lock().unwrap_or_else(PoisonError::into_inner) =
            Some((Instant::now(), metadata.clone()));
        Ok(metadata)
    }

    pub(crate) fn forget_discovery(&self) {
        *self.discovered.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }

    async fn discover(&self) -> Result<CoreProviderMetadata, WebError> {
        CoreProviderMetadata::discover_async(self.issuer.clone(), &self.http).await.map_err(|error| {
            tracing::error!(error = %error, issuer = %self.issuer.as_str(), "OpenID Connect discovery failed");
            WebError::new(StatusCode::BAD_GATEWAY, "sso_unavailable", "the sign-on provider cannot be reached; try again or sign in with a password")
        })
    }
}
