//! The frame of every page: who is signed in, and what the navigation offers them.

use rungs_core::access::Role;

use crate::viewer::Viewer;

/// What every page's frame needs: whether this is a demo, who is signed in (and what the
/// navigation may offer them), and the CSRF token every form carries.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub demo: bool,
    /// The signed-in account's email.
    pub user: Option<String>,
    /// Their own person page, when their email matches someone in the org.
    pub me: Option<String>,
    pub csrf: String,
    /// `hr` and `admin` see the org and the admin pages.
    pub sees_org: bool,
    pub admin: bool,
    /// The viewer has direct reports: the navigation links to their team.
    pub manages: bool,
}

impl Layout {
    /// The frame for `viewer` (nobody signed in, when `None`) on an instance that may hold
    /// demo data.
    pub fn for_viewer(demo: bool, viewer: Option<&Viewer>) -> Layout {
        let role = viewer.map(|viewer| viewer.principal.role);
        Layout {
            demo,
            user: viewer.map(|viewer| viewer.principal.name.clone()),
            me: viewer.and_then(|viewer| viewer.principal.person.as_ref().map(ToString::to_string)),
            csrf: viewer.and_then(|viewer| viewer.csrf_token.clone()).unwrap_or_default(),
            sees_org: role.is_some_and(Role::sees_everyone),
            admin: role == Some(Role::Admin),
            manages: viewer.is_some_and(|viewer| viewer.manages),
        }
    }
}
