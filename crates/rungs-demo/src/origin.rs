//! Whether a database may be served as the demo: `serve --demo` gives the accounts it creates
//! one printed password, so it fills only an empty database and serves only one that the
//! demo's own load filled.

use rungs_app::{App, AppError};

/// The name the demo's org is imported under.
pub const DEMO_ORG_SOURCE: &str = "<demo org>.csv";

/// Who the demo's load writes as: no account, token or the CLI can act under this name, so an
/// org imported by anyone else, under whatever file name, is someone's own, not the demo's.
pub const DEMO_ACTOR: &str = "demo";

/// What a database holds, as `serve --demo` sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DemoDatabase {
    /// No people and no accounts: the demo may be loaded into it.
    Empty,
    /// Its current org is the one the demo's load imported: the latest `org.import` entry of
    /// the audit log is the demo's own.
    FilledByDemo,
    /// Anything else; the text says what it holds.
    NotTheDemo(String),
}

/// Tells what `app`'s database holds.
pub async fn demo_database(app: &App) -> Result<DemoDatabase, AppError> {
    let (active, left) = app.head_counts().await?;
    let no_accounts = app.needs_first_admin().await?;
    if active + left == 0 {
        return Ok(if no_accounts {
            DemoDatabase::Empty
        } else {
            DemoDatabase::NotTheDemo("accounts but no org".to_owned())
        });
    }
    Ok(match app.latest_org_import().await? {
        Some((actor, source)) if actor == DEMO_ACTOR && source == DEMO_ORG_SOURCE => {
            DemoDatabase::FilledByDemo
        }
        Some((_, source)) => DemoDatabase::NotTheDemo(format!(
            "an org of {active} people imported from `{}`",
            rungs_core::text::visible(&source, false)
        )),
        None => DemoDatabase::NotTheDemo(format!("an org of {active} people")),
    })
}
