//! An account's role. Managers and peer assessors are not roles: the org chart makes them.

use std::fmt;

/// What an account may do beyond what the org chart gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Sees the ladder and their own data; as a manager, their reporting line's.
    Employee,
    /// Sees everything; runs assessment cycles.
    Hr,
    /// Everything `hr` may, and manages accounts, frameworks and imports.
    Admin,
    /// A directory (an identity provider) keeping the org chart current over SCIM: only the
    /// SCIM endpoints, and nothing else. A role for API tokens, never for accounts.
    Scim,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Employee, Role::Hr, Role::Admin, Role::Scim];
    /// The roles an account may have: people sign in; a directory does not.
    pub const OF_ACCOUNTS: [Role; 3] = [Role::Employee, Role::Hr, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Employee => "employee",
            Role::Hr => "hr",
            Role::Admin => "admin",
            Role::Scim => "scim",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == text.trim().to_ascii_lowercase())
    }

    /// `hr` and `admin` see every person's data.
    pub fn sees_everyone(self) -> bool {
        matches!(self, Role::Hr | Role::Admin)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}
