//! Peer nominations over the API and the pages: the person proposes, their manager approves
//! or turns down, approved peers get a task, a peer declines with a reason; refusals that say
//! why and change nothing; the audit of each step; and anonymous peer feedback, which its
//! subject sees without names and only once three peers have submitted.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use jiff::ToSpan;
use serde_json::{Value, json};
use support::{TestApp, spawn_app};

const CYCLE: &str = "2027-H1";

fn day(offset: i32) -> String {
    let today = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date();
    today.checked_add(offset.days()).unwrap().to_string()
}

/// A manager of the demo with at least five direct reports on the ladder and no reports of
/// their own: (manager, reports).
async fn a_team(hr: &TestApp) -> (String, Vec<String>) {
    let org = hr.app.current_org().await.unwrap();
    let chart = &org.chart;
    (0..chart.len())
        .find_map(|position| {
            let reports: Vec<usize> = chart.direct_reports(position).collect();
            let leaves = reports.iter().all(|&report| {
                chart.member(report).level.is_some() && chart.direct_reports(report).len() == 0
            });
            (reports.len() >= 5 && leaves).then(|| {
                (
                    chart.member(position).id.to_string(),
                    reports.iter().map(|&report| chart.member(report).id.to_string()).collect(),
                )
            })
        })
        .unwrap()
}

/// Opens 2027-H1 beside the demo's cycle, in its peer feedback stage, for everyone.
async fn open_cycle(hr: &TestApp) {
    let body = json!({
        "name": CYCLE, "alongside": true,
        "plan": { "opens": day(-3), "self_due": day(1), "peer_due": day(8), "time_zone": "UTC" }
    });
    let (status, created) = hr.post_json("/api/v1/cycles", &body).await;
    assert_eq!(status, 201, "{created}");
}

async fn name_of(app: &TestApp, id: &str) -> String {
    app.app.person(id).await.unwrap().name
}

async fn nominations(app: &TestApp, subject: &str) -> Vec<Value> {
    nominations_in(app, CYCLE, subject).await
}

async fn nominations_in(app: &TestApp, cycle: &str, subject: &str) -> Vec<Value> {
    let (status, lists) =
        app.get_json(&format!("/api/v1/people/{subject}/nominations?cycle={cycle}")).await;
    assert_eq!(status, 200, "{lists}");
    lists[0]["nominations"].as_array().unwrap().clone()
}

async fn tasks(app: &TestApp) -> Vec<Value> {
    let (status, tasks) = app.get_json("/api/v1/me/tasks").await;
    assert_eq!(status, 200, "{tasks}");
    tasks["tasks"].as_array().unwrap().clone()
}

fn has_task(tasks: &[Value], kind: &str, subject: &str) -> bool {
    tasks.iter().any(|task| task["kind"] == kind && task["subject"]["id"] == subject)
}

async fn audited(app: &TestApp, action: &str) -> usize {
    let entries = app.app.audit(&rungs_store::AuditFilter::default()).await.unwrap();
    entries.iter().filter(|record| record.entry.action == action).count()
}

/// The peer draft `peer` has of `subject` in 2027-H1, as HR finds it.
async fn peer_draft(hr: &TestApp, subject: &str, peer: &str) -> Option<i64> {
    peer_draft_in(hr, CYCLE, subject, peer).await
}

async fn peer_draft_in(hr: &TestApp, cycle: &str, subject: &str, peer: &str) -> Option<i64> {
    let (_, found) = hr
        .get_json(&format!("/api/v1/assessments?cycle={cycle}&subject={subject}&assessor={peer}"))
        .await;
    found
        .as_array()
        .unwrap()
        .iter()
        .find(|one| one["kind"] == "peer")
        .map(|one| one["id"].as_i64().unwrap())
}

/// Rates every expectation of `draft` "meets" and submits it, as its author.
async fn write_and_submit(author: &TestApp, draft: i64) {
    let (_, view) = author.get_json(&format!("/api/v1/assessments/{draft}")).await;
    let first = view["rows"][0]["expectation"].as_str().unwrap().to_owned();
    let (status, rated) = author
        .post_json(
            &format!("/api/v1/assessments/{draft}/ratings"),
            &json!({"ratings": {first: "meets"}}),
        )
        .await;
    assert_eq!(status, 200, "{rated}");
    let (status, submitted) = author
        .post_json(
            &format!("/api/v1/assessments/{draft}/submit"),
            &json!({"unrated": "not-observed"}),
        )
        .await;
    assert_eq!(status, 200, "{submitted}");
}

#[tokio::test]
async fn the_person_proposes_the_manager_approves_and_the_peer_may_decline() {
    let hr = spawn_app("nominations-flow").await;
    let (manager_id, reports) = a_team(&hr).await;
    open_cycle(&hr).await;
    let subject_id = reports[0].clone();
    let (first, second) = (reports[1].clone(), reports[2].clone());
    let subject = hr.as_person(&subject_id).await;
    let manager = hr.as_person(&manager_id).await;
    let first_peer = hr.as_person(&first).await;
    let first_name = name_of(&hr, &first).await;

    // The person proposes a colleague by name: it waits for the manager.
    let (status, proposed) = subject
        .post_json(
            &format!("/api/v1/people/{subject_id}/nominations"),
            &json!({"cycle": CYCLE, "peer": first_name}),
        )
        .await;
    assert_eq!(status, 201, "{proposed}");
    assert_eq!(proposed["state"], "proposed");
    assert!(peer_draft(&hr, &subject_id, &first).await.is_none());
    assert!(!has_task(&tasks(&first_peer).await, "peer-feedback", &subject_id));
    assert!(has_task(&tasks(&manager).await, "approve-peers", &subject_id));

    // The person may not approve their own proposal: refused, nothing changed.
    let (status, refused) = subject
        .post_json(
            &format!("/api/v1/people/{subject_id}/nominations/decision"),
            &json!({"cycle": CYCLE, "peer": first, "approve": true}),
        )
        .await;
    assert_eq!(status, 403, "{refused}");
    assert!(refused["error"]["message"].as_str().unwrap().contains("approved by a manager"));
    assert_eq!(nominations(&hr, &subject_id).await[0]["state"], "proposed");

    // Someone outside the line finds no such person.
    let outsider = reports.iter().find(|id| **id != subject_id).unwrap();
    let outsider = hr.as_person(outsider).await;
    let (status, _) = outsider.get_json(&format!("/api/v1/people/{subject_id}/nominations")).await;
    assert_eq!(status, 404);

    // The manager approves on the peers page: the peer gets the task, in one audited write.
    let page = manager.get(&format!("/people/{subject_id}/peers")).await.text().await.unwrap();
    assert!(page.contains(&first_name) && page.contains("waiting for the manager"), "{page}");
    assert!(page.contains("Approve"), "{page}");
    let before = audited(&hr, "nomination.approve").await;
    let response = manager
        .post_form(
            &format!("/people/{subject_id}/peers/decision"),
            &[("cycle", CYCLE), ("peer", &first), ("decision", "approve")],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(audited(&hr, "nomination.approve").await, before + 1);
    assert!(has_task(&tasks(&first_peer).await, "peer-feedback", &subject_id));
    assert!(!has_task(&tasks(&manager).await, "approve-peers", &subject_id));
    let draft = peer_draft(&hr, &subject_id, &first).await.unwrap();

    // The manager's own nomination asks at once.
    let second_name = name_of(&hr, &second).await;
    let response = manager
        .post_form(
            &format!("/people/{subject_id}/peers"),
            &[("cycle", CYCLE), ("peer", &second_name)],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert!(peer_draft(&hr, &subject_id, &second).await.is_some());

    // Refused nominations say why, keep what was typed, and nominate nobody.
    let manager_name = name_of(&hr, &manager_id).await;
    for (typed, says) in [
        (manager_name.as_str(), "management chain"),
        (first_name.as_str(), "already nominated"),
        ("", "name the colleague"),
        ("Nobody Called This", "there is no person"),
    ] {
        let response = manager
            .post_form(&format!("/people/{subject_id}/peers"), &[("cycle", CYCLE), ("peer", typed)])
            .await;
        assert!(response.status().is_client_error(), "{typed}: {}", response.status());
        let page = response.text().await.unwrap();
        assert!(page.contains(says), "{typed}: {page}");
        assert!(page.contains("Nobody was nominated."), "{page}");
        if !typed.is_empty() {
            assert!(page.contains(&format!("value=\"{typed}\"")), "the form keeps {typed}");
        }
    }
    assert_eq!(nominations(&hr, &subject_id).await.len(), 2);

    // The peer's draft links to what they may open, and offers to decline.
    let page = first_peer.get(&format!("/assessments/{draft}")).await.text().await.unwrap();
    assert!(
        !page.contains(&format!("href=\"/people/{subject_id}\"")),
        "a peer cannot open the subject's page"
    );
    assert!(page.contains("Decline it"), "{page}");

    // A decline needs a reason, plain text of at most 500 characters; refused, it changes nothing.
    let decline = format!("/api/v1/assessments/{draft}/decline");
    for (reason, says) in [
        ("  ", "say why you decline"),
        ("On leave\u{1b}[31m", "U+001B"),
        (&"x".repeat(501) as &str, "at most 500"),
    ] {
        let (status, refused) = first_peer.post_json(&decline, &json!({"reason": reason})).await;
        assert_eq!(status, 422, "{refused}");
        assert_eq!(refused["error"]["field"], "reason");
        assert!(refused["error"]["message"].as_str().unwrap().contains(says), "{refused}");
    }
    assert_eq!(peer_draft(&hr, &subject_id, &first).await, Some(draft));
    // Nobody else declines for them.
    let (status, _) = manager.post_json(&decline, &json!({"reason": "Busy"})).await;
    assert_eq!(status, 404);

    // The page asks first, then declines: the draft goes, the manager reads the reason.
    let response = first_peer
        .post_form(
            &format!("/assessments/{draft}/decline"),
            &[("reason", "On leave until February")],
        )
        .await;
    assert_eq!(response.status(), 200);
    let confirm = response.text().await.unwrap();
    assert!(
        confirm.contains("cannot be undone") && confirm.contains("On leave until February"),
        "{confirm}"
    );
    assert_eq!(peer_draft(&hr, &subject_id, &first).await, Some(draft));
    let response = first_peer
        .post_form(
            &format!("/assessments/{draft}/decline"),
            &[("reason", "On leave until February"), ("confirmed", "yes")],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(peer_draft(&hr, &subject_id, &first).await, None);
    assert!(!has_task(&tasks(&first_peer).await, "peer-feedback", &subject_id));
    let listed = nominations(&hr, &subject_id).await;
    let declined = listed.iter().find(|one| one["peer"] == first).unwrap();
    assert_eq!(declined["state"], "declined");
    assert_eq!(declined["reason"], "On leave until February");
    assert_eq!(audited(&hr, "nomination.decline").await, 1);
    let page = manager.get(&format!("/people/{subject_id}/peers")).await.text().await.unwrap();
    assert!(page.contains("On leave until February"), "{page}");
    // Declined is final in this cycle.
    let (status, again) = manager
        .post_json(
            &format!("/api/v1/people/{subject_id}/nominations"),
            &json!({"cycle": CYCLE, "peer": first}),
        )
        .await;
    assert_eq!(status, 409, "{again}");
    assert!(again["error"]["message"].as_str().unwrap().contains("declined"));
    // The person sees that a peer declined, not why: the reason is for the manager.
    let (_, theirs) =
        subject.get_json(&format!("/api/v1/people/{subject_id}/nominations?cycle={CYCLE}")).await;
    assert!(!theirs.to_string().contains("On leave"), "{theirs}");
    let page = subject.get(&format!("/people/{subject_id}/peers")).await.text().await.unwrap();
    assert!(page.contains("declined") && !page.contains("On leave"), "{page}");

    // Withdrawing: the person may not withdraw an approved peer; the manager may, and the
    // page asks first. The draft goes, and the colleague may be asked again.
    let withdrawal = format!("/api/v1/people/{subject_id}/nominations/withdrawal");
    let (status, refused) =
        subject.post_json(&withdrawal, &json!({"cycle": CYCLE, "peer": second})).await;
    assert_eq!(status, 403, "{refused}");
    assert!(peer_draft(&hr, &subject_id, &second).await.is_some());
    let response = manager
        .post_form(
            &format!("/people/{subject_id}/peers/withdraw"),
            &[("cycle", CYCLE), ("peer", &second)],
        )
        .await;
    assert_eq!(response.status(), 200);
    let confirm = response.text().await.unwrap();
    assert!(
        confirm.contains("Their draft, and any ratings and evidence in it, are removed"),
        "{confirm}"
    );
    assert!(peer_draft(&hr, &subject_id, &second).await.is_some(), "asking changes nothing");
    let response = manager
        .post_form(
            &format!("/people/{subject_id}/peers/withdraw"),
            &[("cycle", CYCLE), ("peer", &second), ("confirmed", "yes")],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert!(peer_draft(&hr, &subject_id, &second).await.is_none());
    assert!(!nominations(&hr, &subject_id).await.iter().any(|one| one["peer"] == second));
    assert_eq!(audited(&hr, "nomination.withdraw").await, 1);
    // Their own proposal the person withdraws themselves.
    let (status, _) = subject
        .post_json(
            &format!("/api/v1/people/{subject_id}/nominations"),
            &json!({"cycle": CYCLE, "peer": second}),
        )
        .await;
    assert_eq!(status, 201);
    let (status, withdrawn) =
        subject.post_json(&withdrawal, &json!({"cycle": CYCLE, "peer": second})).await;
    assert_eq!(status, 200, "{withdrawn}");
    assert_eq!(withdrawn["state"], "proposed");
}

#[tokio::test]
async fn anonymous_feedback_waits_for_three_peers_and_never_names_them_to_the_subject() {
    // The demo's own cycle, in its peer feedback stage: readiness traces its ratings.
    let cycle = "2026-H2";
    let hr = spawn_app("nominations-anonymous").await;
    let (manager_id, reports) = a_team(&hr).await;
    let mut subject_id = None;
    for report in &reports {
        if nominations_in(&hr, cycle, report).await.is_empty() {
            subject_id = Some(report.clone());
            break;
        }
    }
    let subject_id = subject_id.expect("a report nobody gives peer feedback on yet");
    let subject = hr.as_person(&subject_id).await;
    let manager = hr.as_person(&manager_id).await;
    let peers: Vec<String> =
        reports.iter().filter(|report| **report != subject_id).take(3).cloned().collect();
    // One asked by the manager, two by hr.
    for (asker, peer) in [(&manager, &peers[0]), (&hr, &peers[1]), (&hr, &peers[2])] {
        let (status, asked) = asker
            .post_json(
                &format!("/api/v1/people/{subject_id}/nominations"),
                &json!({"cycle": cycle, "peer": peer}),
            )
            .await;
        assert_eq!(status, 201, "{asked}");
    }
    let mut peer_names = Vec::new();
    let mut drafts = Vec::new();
    for peer in &peers {
        peer_names.push(name_of(&hr, peer).await);
        drafts.push(peer_draft_in(&hr, cycle, &subject_id, peer).await.unwrap());
    }
    let withheld = format!("Peer feedback in {cycle} is shown once 3 peers have submitted");

    // Two of three submitted: the subject sees that feedback is coming, and nothing of it.
    for (peer, draft) in peers[0..2].iter().zip(&drafts) {
        write_and_submit(&hr.as_person(peer).await, *draft).await;
    }
    let page = subject.get(&format!("/people/{subject_id}")).await.text().await.unwrap();
    assert!(page.contains(&format!("{withheld}.")), "{page}");
    for name in &peer_names {
        assert!(!page.contains(name.as_str()), "the subject's page names {name}");
    }
    let (_, readiness) = subject.get_json(&format!("/api/v1/people/{subject_id}/readiness")).await;
    for peer in &peers {
        assert!(!readiness.to_string().contains(peer.as_str()), "{readiness}");
    }
    let (status, _) = subject.get_json(&format!("/api/v1/assessments/{}", drafts[0])).await;
    assert_eq!(status, 404, "anonymous peer feedback is not the subject's to open");

    // The third makes it anonymous: shown without names, never with an id.
    write_and_submit(&hr.as_person(&peers[2]).await, drafts[2]).await;
    let (_, readiness) = subject.get_json(&format!("/api/v1/people/{subject_id}/readiness")).await;
    let text = readiness.to_string();
    for peer in &peers {
        assert!(!text.contains(peer.as_str()), "the subject's readiness names {peer}");
    }
    assert!(text.contains(r#"{"assessor":null,"kind":"peer""#), "shown, without names: {text}");
    let page_before = subject.get(&format!("/people/{subject_id}")).await.text().await.unwrap();
    assert!(page_before.contains("A peer: "), "{page_before}");
    let page = subject.get(&format!("/people/{subject_id}")).await.text().await.unwrap();
    assert!(!page.contains(&withheld), "{page}");
    for name in &peer_names {
        assert!(!page.contains(name.as_str()), "the subject's page names {name}");
    }
    let (status, _) = subject.get_json(&format!("/api/v1/assessments/{}", drafts[0])).await;
    assert_eq!(status, 404);

    // Their manager sees who wrote what.
    let (status, view) = manager.get_json(&format!("/api/v1/assessments/{}", drafts[0])).await;
    assert_eq!(status, 200, "{view}");
    let page = manager.get(&format!("/people/{subject_id}")).await.text().await.unwrap();
    assert!(!page.contains(&withheld), "{page}");

    // The framework switches to named feedback: what was asked anonymously stays so; a peer
    // asked from now on is named.
    let named =
        rungs_format::BUILTIN_SOURCE.replacen("version = \"1.0.0\"", "version = \"1.1.0\"", 1)
            + "\n[feedback]\npeers = \"named\"\n";
    hr.app.use_framework("named.toml", &named).await.unwrap();
    let fourth = reports.iter().filter(|report| **report != subject_id).nth(3).unwrap().clone();
    let (status, asked) = hr
        .post_json(
            &format!("/api/v1/people/{subject_id}/nominations"),
            &json!({"cycle": cycle, "peer": fourth}),
        )
        .await;
    assert_eq!(status, 201, "{asked}");
    assert_eq!(asked["anonymous"], false);
    let draft = peer_draft_in(&hr, cycle, &subject_id, &fourth).await.unwrap();
    write_and_submit(&hr.as_person(&fourth).await, draft).await;
    let (_, readiness) = subject.get_json(&format!("/api/v1/people/{subject_id}/readiness")).await;
    let text = readiness.to_string();
    assert!(text.contains(fourth.as_str()), "a peer asked under named feedback is named: {text}");
    for peer in &peers {
        assert!(!text.contains(peer.as_str()), "asked anonymously, {peer} stays anonymous: {text}");
    }
    let (status, _) = subject.get_json(&format!("/api/v1/assessments/{}", drafts[0])).await;
    assert_eq!(status, 404);
    let (status, _) = subject.get_json(&format!("/api/v1/assessments/{draft}")).await;
    assert_eq!(status, 200, "a named peer's feedback is the subject's to open");
}
