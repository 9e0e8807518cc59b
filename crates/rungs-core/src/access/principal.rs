//! Who is asking: an account (or an API token) with its role and, when its email matches
//! someone in the org chart, that person.

use crate::org::PersonId;

use super::Role;

/// The signed-in account or token a request acts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// How the audit log names them: an email, or `token:NAME`.
    pub name: String,
    pub role: Role,
    /// The person in the org chart with the account's email, if any.
    pub person: Option<PersonId>,
}

impl Principal {
    /// The operator at the command line: an admin who is nobody in the org chart, named `cli`
    /// as the audit log names the command line's writes.
    pub fn operator() -> Principal {
        Principal { name: "cli".to_owned(), role: Role::Admin, person: None }
    }
}

/// How the principal stands to a person a route names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Relation {
    /// The principal is that person.
    pub is_self: bool,
    /// The principal is in that person's management chain (direct or skip-level manager).
    pub manages: bool,
}

impl Relation {
    /// From the person's management chain, nearest manager first.
    pub fn of(principal: &Principal, person: &PersonId, managers: &[PersonId]) -> Relation {
        match &principal.person {
            Some(me) => Relation { is_self: me == person, manages: managers.contains(me) },
            None => Relation::default(),
        }
    }
}
