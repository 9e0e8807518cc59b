//! Who a request is from, once the guard let it through: their principal and how they proved it.

use rungs_core::access::Principal;

/// How the viewer proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A session cookie, whose value signing out ends.
    Session { token: String },
    /// An API token in a bearer header.
    Token,
}

/// The principal of a request that the guard let through.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub principal: Principal,
    /// The CSRF token forms must carry (sessions only).
    pub csrf_token: Option<String>,
    pub via: Via,
    /// The org version read with the session (sessions only): the guard decides by the org
    /// chart at least that new without reading the version again.
    pub org_version: Option<i64>,
    /// The viewer's person has active direct reports in that chart (sessions only): the
    /// navigation links to their team.
    pub manages: bool,
}
