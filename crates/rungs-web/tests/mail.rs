//! Mail notices as the web app sees them: a mail's links open the task they name for the
//! person they were sent to (and only for them), each person's mail settings on their account
//! page, and the admin page of the queue. Delivery over a real SMTP server is tested through
//! `rungs serve` (`crates/rungs-cli/tests/mail.rs`).

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use rungs_app::MailLinks;
use rungs_store::MailQueue;
use support::{TestApp, spawn_app};

/// The links in `body`, in order.
fn links(body: &str) -> Vec<&str> {
    body.lines().filter(|line| line.starts_with("http")).collect()
}

/// The mails composed for the demo's open cycle, keyed by recipient id, after one sweep.
async fn mails(hr: &TestApp) -> Vec<rungs_store::StoredMail> {
    let swept = hr.app.sweep_notices(3).await.unwrap();
    assert!(swept.queued > 0, "{swept:?}");
    let links = MailLinks::new(&hr.address);
    while hr.app.compose_mails(&links).await.unwrap() > 0 {}
    hr.app.store().recent_mails(10_000).await.unwrap()
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_mails_links_open_the_task_it_names_for_its_recipient_only() {
    let hr = spawn_app("mail-links").await;
    let mails = mails(&hr).await;
    // Someone whose tasks include their self-assessment: its link leads where the task
    // page's own link does.
    let mut checked = 0;
    let opening = "Review cycle 2026-H2 is open";
    for mail in mails.iter().filter(|mail| mail.body.contains(opening)).take(3) {
        let person = hr.as_person(mail.recipient.as_str()).await;
        let link = mail.body.lines().skip_while(|line| !line.starts_with(opening)).nth(1).unwrap();
        assert!(link.contains("task=self-assessment"), "{}", mail.body);
        let path = link.strip_prefix(&hr.address).unwrap();
        let response = person.get(path).await;
        assert_eq!(response.status(), 303, "{path}");
        let target = location(&response);
        let home = person.get("/").await.text().await.unwrap();
        assert!(home.contains(&format!("href=\"{target}\"")), "{target} is not on the task page");
        let page = person.get(&target).await;
        assert_eq!(page.status(), 200, "{target}");
        checked += 1;
    }
    assert!(checked > 0, "no opening mail was composed");

    // A manager's mail lists the assessments asked of them, each with its link.
    let manager = mails.iter().find(|mail| mail.body.contains("task=manager-assessment")).unwrap();
    let link = links(&manager.body)
        .into_iter()
        .find(|link| link.contains("task=manager-assessment"))
        .unwrap()
        .strip_prefix(&hr.address)
        .unwrap()
        .to_owned();
    let as_manager = hr.as_person(manager.recipient.as_str()).await;
    let response = as_manager.get(&link).await;
    assert_eq!(response.status(), 303);
    let target = location(&response);
    assert!(target.starts_with("/people/") || target.starts_with("/assessments/"), "{target}");
    assert_eq!(as_manager.get(&target).await.status(), 200, "{target}");

    // Someone else following it lands on their own task list, told the task is not theirs.
    let other = mails.iter().find(|mail| mail.recipient != manager.recipient).unwrap();
    let stranger = hr.as_person(other.recipient.as_str()).await;
    let response = stranger.get(&link).await;
    assert_eq!(location(&response), "/?gone=task");
    let home = stranger.get("/?gone=task").await.text().await.unwrap();
    assert!(home.contains("done, or no longer asked of you"), "{home}");
    // Signed out, it asks to sign in first and comes back.
    let response = hr.anonymous().get(&link).await;
    assert!(location(&response).starts_with("/sign-in?next="), "{}", location(&response));
}

#[tokio::test]
async fn each_person_sets_their_mail_on_their_account_page_and_it_is_audited() {
    let hr = spawn_app("mail-settings").await;
    let (person, _) = hr.assessed_person().await;
    let own = hr.as_person(&person).await;
    let page = own.get("/account").await.text().await.unwrap();
    assert!(page.contains("id=\"mail\""), "{page}");
    assert!(page.contains("name=\"reminders\" checked"), "reminders are on by default");
    let response = own.post_form("/account/mail", &[("digest", "on")]).await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("Saved: no reminders; new work reaches you in one mail a day at most."),
        "{page}"
    );
    assert!(page.contains("name=\"digest\" checked"), "{page}");
    assert!(!page.contains("name=\"reminders\" checked"), "{page}");
    let id = rungs_core::org::PersonId::parse(&person).unwrap();
    let saved = hr.app.mail_preferences(&id).await.unwrap();
    assert_eq!(saved, rungs_core::notify::MailPreferences { reminders: false, digest: true });
    let entries = hr.app.audit(&rungs_store::AuditFilter::default()).await.unwrap();
    assert!(entries.iter().any(|record| record.entry.action == "mail.preferences"));

    // The demo admin is nobody in the org: no mail settings, and a clear refusal.
    let page = hr.get("/account").await.text().await.unwrap();
    assert!(!page.contains("id=\"mail\""));
    let response = hr.post_form("/account/mail", &[("digest", "on")]).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("nobody in the org chart"));
}

#[tokio::test]
async fn the_admin_page_shows_what_waits_and_says_mail_is_not_sent_without_smtp() {
    let hr = spawn_app("mail-admin").await;
    let page = hr.get("/admin/mail").await.text().await.unwrap();
    assert!(page.contains("This server sends no mail"), "{page}");
    assert!(page.contains("Nothing is waiting."), "{page}");
    hr.app.sweep_notices(3).await.unwrap();
    let page = hr.get("/admin/mail").await.text().await.unwrap();
    assert!(page.contains("Review cycle 2026-H2 is open: write your self-assessment by"), "{page}");
    let links = MailLinks::new(&hr.address);
    hr.app.compose_mails(&links).await.unwrap();
    let page = hr.get("/admin/mail").await.text().await.unwrap();
    assert!(page.contains("<summary>"), "the mails are listed with their text: {page}");
}

#[tokio::test]
async fn a_notice_whose_task_was_done_before_its_mail_is_not_told() {
    let hr = spawn_app("mail-done").await;
    hr.app.sweep_notices(3).await.unwrap();
    // The demo's example employee proposed two peers: their manager is to approve them.
    let waiting = hr.app.store().recent_waiting_notices(10_000).await.unwrap();
    let approve = waiting
        .iter()
        .find(|queued| queued.notice.kind == rungs_core::notify::NoticeKind::ApprovePeers)
        .expect("the demo's proposals owe their approval");
    let (manager, subject) = (approve.recipient.clone(), approve.notice.subject.clone());
    // Approved before any mail went out.
    let list = hr.app.peer_nominations("2026-H2", &subject).await.unwrap();
    for entry in &list.nominations {
        if entry.nomination.state == rungs_core::assess::NominationState::Proposed {
            hr.app
                .decide_nomination(
                    &rungs_core::access::Principal::operator(),
                    rungs_core::access::Relation::default(),
                    "2026-H2",
                    &subject,
                    entry.nomination.peer.as_str(),
                    true,
                )
                .await
                .unwrap();
        }
    }
    let links = MailLinks::new(&hr.address);
    while hr.app.compose_mails(&links).await.unwrap() > 0 {}
    let mails = hr.app.store().recent_mails(10_000).await.unwrap();
    let to_manager: Vec<_> = mails.iter().filter(|mail| mail.recipient == manager).collect();
    assert_eq!(to_manager.len(), 1, "the rest of what they owe still reaches them");
    assert!(!to_manager[0].body.contains("Approve the peers"), "{}", to_manager[0].body);
    assert_eq!(hr.app.store().mail_counts().await.unwrap().waiting, 0, "nothing is left waiting");
}
