//! `rungs user`, `rungs token` and `rungs audit`: accounts, API tokens and the audit log.

use std::io::{BufRead, IsTerminal};

use anyhow::Context;
use rungs_app::App;
use rungs_core::access::Role;
use rungs_core::org::PersonId;
use rungs_store::AuditFilter;

use crate::Outcome;
use crate::cli::{TokenCommand, UserCommand};
use crate::input;
use crate::output::{print, print_json};

async fn app(database_url: &str) -> anyhow::Result<App> {
    Ok(App::new(input::open_store(database_url).await?))
}

fn role(text: &str) -> anyhow::Result<Role> {
    Role::parse(text).with_context(|| {
        format!("`{text}` is not a role; use employee, hr, admin or (for a token) scim")
    })
}

/// A password from a prompt without echo, or the first line of standard input.
fn read_password(email: &str) -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("New password for {email}: "))?;
        let again = rpassword::prompt_password("The same again: ")?;
        anyhow::ensure!(first == again, "the two passwords differ; nothing was changed");
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

pub async fn user(database_url: &str, command: UserCommand) -> anyhow::Result<Outcome> {
    let app = app(database_url).await?;
    match command {
        UserCommand::Add { email, role: role_text } => {
            let account = app.add_account(&email, role(&role_text)?).await?;
            let person = match &account.person {
                Some(person) => format!(", linked to person {person}"),
                None => ", not linked to anyone in the org (no person has this email)".to_owned(),
            };
            print(&format!(
                "Added {} as {}{person}. Set a password with `rungs user set-password {}`, or sign in through single sign-on.",
                account.email, account.role, account.email
            ))?;
        }
        UserCommand::SetPassword { email } => {
            let password = read_password(&email)?;
            app.set_password(&email, &password).await?;
            print(&format!("Set the password of {}.", email.trim().to_lowercase()))?;
        }
        UserCommand::SetRole { email, role: role_text } => {
            let role = role(&role_text)?;
            app.set_role(&email, role).await?;
            print(&format!("{} is now {role}.", email.trim().to_lowercase()))?;
        }
        UserCommand::Remove { email } => {
            app.remove_account(&email).await?;
            print(&format!(
                "Removed {}; its sessions ended. The audit log keeps what it did.",
                email.trim().to_lowercase()
            ))?;
        }
        UserCommand::List { json } => {
            let accounts = app.accounts().await?;
            if json {
                let rows: Vec<serde_json::Value> = accounts
                    .iter()
                    .map(|account| {
                        serde_json::json!({
                            "email": account.email.as_str(),
                            "role": account.role.as_str(),
                            "person": account.person.as_ref().map(PersonId::as_str),
                            "password": account.password_hash.is_some(),
                            "created_at": account.created_at.to_string(),
                        })
                    })
                    .collect();
                print_json(&rows)?;
            } else {
                let lines: Vec<String> = accounts
                    .iter()
                    .map(|account| {
                        format!(
                            "{}\t{}\t{}",
                            account.email,
                            account.role,
                            account.person.as_ref().map_or("-", PersonId::as_str)
                        )
                    })
                    .collect();
                print(&format!("{} accounts\n{}", accounts.len(), lines.join("\n")))?;
            }
        }
    }
    Ok(Outcome::Clean)
}

pub async fn token(database_url: &str, command: TokenCommand) -> anyhow::Result<Outcome> {
    let app = app(database_url).await?;
    match command {
        TokenCommand::Create { name, role: role_text } => {
            let role = role(&role_text)?;
            let token = app.create_token(&name, role).await?;
            crate::output::eprint_line(&format!(
                "Created token {} ({role}). It is shown only now; send it as `Authorization: Bearer TOKEN`.",
                token.id
            ));
            print(&token.secret)?;
        }
        TokenCommand::List { json } => {
            let tokens = app.tokens().await?;
            if json {
                let rows: Vec<serde_json::Value> = tokens
                    .iter()
                    .map(|token| {
                        serde_json::json!({
                            "id": token.id,
                            "name": token.name,
                            "role": token.role.as_str(),
                            "created_at": token.created_at.to_string(),
                            "revoked_at": token.revoked_at.map(|at| at.to_string()),
                        })
                    })
                    .collect();
                print_json(&rows)?;
            } else {
                let lines: Vec<String> = tokens
                    .iter()
                    .map(|token| {
                        format!(
                            "{}\t{}\t{}\t{}",
                            token.id,
                            token.name,
                            token.role,
                            token
                                .revoked_at
                                .map_or("active".to_owned(), |at| format!("revoked {at}"))
                        )
                    })
                    .collect();
                print(&format!("{} tokens\n{}", tokens.len(), lines.join("\n")))?;
            }
        }
        TokenCommand::Revoke { id } => {
            app.revoke_token(id).await?;
            print(&format!("Revoked token {id}; it no longer works."))?;
        }
    }
    Ok(Outcome::Clean)
}

pub async fn audit(
    database_url: &str,
    person: Option<&str>,
    since: Option<&str>,
    limit: u32,
    json: bool,
) -> anyhow::Result<Outcome> {
    let app = app(database_url).await?;
    let person = person
        .map(|text| PersonId::parse(text).with_context(|| format!("`{text}` is not a person id")))
        .transpose()?;
    let since = since
        .map(|text| -> anyhow::Result<jiff::Timestamp> {
            let date: jiff::civil::Date = text
                .parse()
                .with_context(|| format!("--since `{text}` is not a date such as 2026-09-14"))?;
            Ok(date.to_zoned(jiff::tz::TimeZone::UTC)?.timestamp())
        })
        .transpose()?;
    let records = app.audit(&AuditFilter { person, since, limit: Some(limit) }).await?;
    if json {
        let rows: Vec<serde_json::Value> = records.iter().map(rungs_app::audit_json).collect();
        print_json(&rows)?;
    } else {
        let lines: Vec<String> = records
            .iter()
            .map(|record| {
                let entry = &record.entry;
                let mut line = format!(
                    "{}  {}  {}  {}",
                    entry.at.strftime("%Y-%m-%d %H:%M:%S"),
                    entry.actor,
                    entry.action,
                    entry.target
                );
                if let Some(before) = &entry.before {
                    line.push_str(&format!("\n    before: {before}"));
                }
                if let Some(after) = &entry.after {
                    line.push_str(&format!("\n    after:  {after}"));
                }
                line
            })
            .collect();
        print(&if lines.is_empty() { "No audit entries.".to_owned() } else { lines.join("\n") })?;
    }
    Ok(Outcome::Clean)
}
