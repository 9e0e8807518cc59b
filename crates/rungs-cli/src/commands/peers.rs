//! `rungs peers`: nominating, approving, rejecting and declining the colleagues asked for
//! feedback on a person. The command line acts as an admin: its nominations are approved at
//! once.

use std::io::IsTerminal;

use rungs_app::App;
use rungs_core::access::{Principal, Relation};
use rungs_core::org::PersonId;

use crate::Outcome;
use crate::cli::PeersCommand;
use crate::output::{print, print_json};
use crate::render;

async fn list(app: &App, cycle: &str, subject: &PersonId, json: bool) -> anyhow::Result<Outcome> {
    let nominations = app.peer_nominations(cycle, subject).await?;
    if json {
        print_json(&nominations)?;
    } else {
        let name = app.names([subject]).await?.of(subject).to_owned();
        print(&render::peers(&name, &nominations))?;
    }
    Ok(Outcome::Clean)
}

/// Asks `question` on a terminal; refuses with `no_terminal` without one, and with
/// `not_confirmed` unless the answer is yes.
fn ask(question: &str, no_terminal: &str, not_confirmed: &str) -> anyhow::Result<()> {
    anyhow::ensure!(std::io::stdin().is_terminal(), "{no_terminal}");
    anyhow::ensure!(super::org_mapping::confirmed(question)?, "{not_confirmed}");
    Ok(())
}

/// `rungs peers approve|reject PERSON PEER`.
async fn decide(
    app: &App,
    operator: &Principal,
    (person, peer): (&str, &str),
    cycle: Option<&str>,
    approve: bool,
    json: bool,
) -> anyhow::Result<Outcome> {
    let subject = app.anyone_named("person", person).await?;
    let cycle = app.cycle_or_the_open_one(cycle).await?;
    app.decide_nomination(operator, Relation::default(), cycle.as_str(), &subject, peer, approve)
        .await?;
    list(app, cycle.as_str(), &subject, json).await
}

pub async fn run(database_url: &str, command: PeersCommand) -> anyhow::Result<Outcome> {
    let app = super::assess::app(database_url).await?;
    let operator = Principal::operator();
    // The operator is nobody in the org chart: no relation, the rights of an admin.
    let relation = Relation::default();
    match command {
        PeersCommand::List { person, cycle, json } => {
            let subject = app.anyone_named("person", &person).await?;
            let cycle = app.cycle_or_the_open_one(cycle.as_deref()).await?;
            list(&app, cycle.as_str(), &subject, json).await
        }
        PeersCommand::Nominate { person, peers, cycle, json } => {
            let subject = app.anyone_named("person", &person).await?;
            let cycle = app.cycle_or_the_open_one(cycle.as_deref()).await?;
            app.nominate_all(&operator, relation, cycle.as_str(), &subject, &peers).await?;
            list(&app, cycle.as_str(), &subject, json).await
        }
        PeersCommand::Approve { person, peer, cycle, json } => {
            decide(&app, &operator, (&person, &peer), cycle.as_deref(), true, json).await
        }
        PeersCommand::Reject { person, peer, cycle, json } => {
            decide(&app, &operator, (&person, &peer), cycle.as_deref(), false, json).await
        }
        PeersCommand::Withdraw { person, peer, cycle, yes, json } => {
            let subject = app.anyone_named("person", &person).await?;
            let peer_id = app.anyone_named("peer", &peer).await?;
            let cycle = app.cycle_or_the_open_one(cycle.as_deref()).await?;
            let names = app.names([&subject, &peer_id]).await?;
            if !yes {
                let what = format!(
                    "withdrawing the nomination of {} for {} removes their draft, if any",
                    names.of(&peer_id),
                    names.of(&subject)
                );
                ask(
                    &format!("{what}. Go on?"),
                    &format!(
                        "{what}: pass --yes to confirm (standard input is not a terminal); nothing was withdrawn"
                    ),
                    "not confirmed; nothing was withdrawn",
                )?;
            }
            app.withdraw_nomination(
                &operator,
                relation,
                cycle.as_str(),
                &subject,
                peer_id.as_str(),
            )
            .await?;
            list(&app, cycle.as_str(), &subject, json).await
        }
        PeersCommand::Decline { person, peer, reason, cycle, yes, json } => {
            let subject = app.anyone_named("person", &person).await?;
            let peer = app.anyone_named("peer", &peer).await?;
            let cycle = app.cycle_or_the_open_one(cycle.as_deref()).await?;
            rungs_core::assess::check_decline_reason(&reason)?;
            let names = app.names([&subject, &peer]).await?;
            if !yes {
                let question = format!(
                    "Decline the peer feedback of {} on {} in {cycle}, removing their draft? This cannot be undone.",
                    names.of(&peer),
                    names.of(&subject)
                );
                let refusal = format!(
                    "declining removes {}'s draft on {}: pass --yes to confirm (standard input is not a terminal); nothing was declined",
                    names.of(&peer),
                    names.of(&subject)
                );
                ask(&question, &refusal, "not confirmed; nothing was declined")?;
            }
            // Recorded for the peer, as the peer would: the audit log names the command line.
            let as_peer = Principal { person: Some(peer), ..operator };
            app.decline_nomination(&as_peer, cycle.as_str(), &subject, &reason).await?;
            list(&app, cycle.as_str(), &subject, json).await
        }
    }
}
