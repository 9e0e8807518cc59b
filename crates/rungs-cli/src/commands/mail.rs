//! `rungs mail`: the notice queue as an operator sees it, and a person's mail settings.

use rungs_core::notify::MailPreferences;

use crate::Outcome;
use crate::cli::MailCommand;
use crate::output::{print, print_json};
use crate::render;

pub async fn run(database_url: &str, command: MailCommand) -> anyhow::Result<Outcome> {
    let app = super::assess::app(database_url).await?;
    match command {
        MailCommand::Queue { json } => {
            let queue = app.mail_queue().await?;
            if json {
                print_json(&render::mail_queue_json(&queue))?;
            } else {
                print(&render::mail_queue(&queue))?;
            }
        }
        MailCommand::Retry { json } => {
            let queued = app.retry_failed_mails().await?;
            if json {
                print_json(&serde_json::json!({ "queued": queued }))?;
            } else {
                print(&format!(
                    "{queued} failed mails queued again; a server with --smtp sends them.\n"
                ))?;
            }
        }
        MailCommand::Sweep { remind_days, json } => {
            let swept = app.sweep_notices(remind_days).await?;
            if json {
                print_json(&swept)?;
            } else {
                let cycles = if swept.cycles == 1 {
                    "1 open cycle".to_owned()
                } else {
                    format!("{} open cycles", swept.cycles)
                };
                let raced = if swept.raced {
                    " (another sweep was queueing too; run it again to finish)"
                } else {
                    ""
                };
                print(&format!("Swept {cycles}: {} notices queued{raced}.\n", swept.queued))?;
            }
        }
        MailCommand::Settings { person, reminders, digest, json } => {
            let person = app.anyone_named("person", &person).await?;
            let mut preferences = app.mail_preferences(&person).await?;
            if reminders.is_some() || digest.is_some() {
                preferences = MailPreferences {
                    reminders: reminders.map_or(preferences.reminders, |switch| switch.is_on()),
                    digest: digest.map_or(preferences.digest, |switch| switch.is_on()),
                };
                app.set_mail_preferences(&person, preferences).await?;
            }
            if json {
                print_json(&preferences)?;
            } else {
                let name = app.names([&person]).await?.of(&person).to_owned();
                print(&render::mail_settings(&name, preferences))?;
            }
        }
    }
    Ok(Outcome::Clean)
}
