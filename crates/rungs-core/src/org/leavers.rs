//! The mass-leave guard: an import that would mark more than a set share of the active people
//! as left is refused unless its caller said, with the number, that so many may leave. A file
//! that is a partial export (one department, a test file of three rows) would otherwise end
//! the employment of everyone else in the org chart, and unlink their accounts.

/// The share of active people an import may mark as left without being told to, in percent.
pub const DEFAULT_LEAVER_SHARE: u8 = 10;

/// How many leavers an import may make without a confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeaverPolicy {
    /// In percent of the active people before the import, from 0 to 100.
    pub share: u8,
    /// The number of leavers the caller confirmed, if any: up to that many are accepted.
    pub allowed: Option<u64>,
}

impl Default for LeaverPolicy {
    fn default() -> LeaverPolicy {
        LeaverPolicy { share: DEFAULT_LEAVER_SHARE, allowed: None }
    }
}

/// An import refused for the people it would mark as left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct TooManyLeavers {
    pub left: u64,
    pub active: u64,
    /// The share the policy allows, in percent.
    pub share: u8,
    /// What the caller confirmed, when it was fewer than `left`.
    pub allowed: Option<u64>,
}

impl std::fmt::Display for TooManyLeavers {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let percent = self.left.saturating_mul(100).checked_div(self.active).unwrap_or(100);
        write!(
            formatter,
            "this import would mark {} of the {} active people as left ({percent}%, more than the {}% an import may without confirmation)",
            self.left, self.active, self.share
        )?;
        if let Some(allowed) = self.allowed {
            write!(formatter, "; {allowed} were confirmed")?;
        }
        write!(formatter, "; nothing was imported")
    }
}

impl std::error::Error for TooManyLeavers {}

impl LeaverPolicy {
    /// Whether `left` leavers among `active` active people pass: within the share, or no more
    /// than the caller confirmed.
    pub fn check(&self, left: u64, active: u64) -> Result<(), TooManyLeavers> {
        let within_share = left.saturating_mul(100) <= active.saturating_mul(u64::from(self.share));
        let confirmed = self.allowed.is_some_and(|allowed| left <= allowed);
        if left == 0 || within_share || confirmed {
            Ok(())
        } else {
            Err(TooManyLeavers { left, active, share: self.share, allowed: self.allowed })
        }
    }

    /// Whether `left` leavers would need a confirmation under the share alone.
    pub fn needs_confirmation(&self, left: u64, active: u64) -> bool {
        LeaverPolicy { allowed: None, ..*self }.check(left, active).is_err()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_to_the_share_passes_and_more_needs_the_number_confirmed() {
        let policy = LeaverPolicy::default();
        assert_eq!(policy.check(0, 0), Ok(()));
        assert_eq!(policy.check(10, 100), Ok(()), "exactly 10% passes");
        let refused = policy.check(11, 100).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "this import would mark 11 of the 100 active people as left (11%, more than the 10% an import may without confirmation); nothing was imported"
        );
        assert!(policy.needs_confirmation(11, 100));
        let confirmed = LeaverPolicy { allowed: Some(11), ..policy };
        assert_eq!(confirmed.check(11, 100), Ok(()));
        assert_eq!(confirmed.check(3, 100), Ok(()));
        let short = LeaverPolicy { allowed: Some(5), ..policy }.check(247, 250).unwrap_err();
        assert!(short.to_string().contains("(98%, more than"), "{short}");
        assert!(short.to_string().ends_with("; 5 were confirmed; nothing was imported"), "{short}");
    }

    #[test]
    fn the_share_can_be_set() {
        let strict = LeaverPolicy { share: 0, allowed: None };
        assert!(strict.check(1, 1000).is_err());
        let loose = LeaverPolicy { share: 100, allowed: None };
        assert_eq!(loose.check(250, 250), Ok(()));
    }
}
