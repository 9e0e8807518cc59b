//! What a person wants by mail: reminders or not (work newly asked of them always reaches
//! them), and everything at once or in one mail a day.

/// A person's mail preferences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MailPreferences {
    /// Reminders before due dates and notices of late steps.
    pub reminders: bool,
    /// At most one mail a day, carrying everything since the last.
    pub digest: bool,
}

impl Default for MailPreferences {
    fn default() -> MailPreferences {
        MailPreferences { reminders: true, digest: false }
    }
}
