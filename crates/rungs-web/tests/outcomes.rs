//! The outcome agreed for a person, on their page and in the API: the person acknowledges it
//! (with an optional comment), nobody else can, a refused acknowledgement keeps what was
//! typed, and an agreement changed afterwards shows that the acknowledgement was of an
//! earlier outcome.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use serde_json::json;
use support::spawn_app;

async fn audited(app: &support::TestApp, action: &str) -> usize {
    let entries = app.app.audit(&rungs_store::AuditFilter::default()).await.unwrap();
    entries.iter().filter(|record| record.entry.action == action).count()
}

#[tokio::test]
async fn the_person_acknowledges_their_outcome_and_sees_when_it_changed() {
    let hr = spawn_app("acknowledge").await;
    let (person, manager_id) = hr.assessed_person().await;
    let (id, rated) = hr.manager_assessment_of(&person).await;
    let (expectation, manager_rating) = rated[0].clone();
    let manager = hr.as_person(&manager_id).await;
    let subject = hr.as_person(&person).await;
    let agree = format!("/api/v1/assessments/{id}/agree");
    assert_eq!(manager.post_json(&agree, &json!({"replace": true})).await.0, 200);

    // The person's page offers the acknowledgement; the manager's view of it does not.
    let page = subject.get(&format!("/people/{person}")).await.text().await.unwrap();
    assert!(page.contains("<h2 id=\"outcomes\">Agreed outcomes</h2>"), "{page}");
    assert!(page.contains("has not acknowledged it yet."), "{page}");
    assert!(page.contains("Acknowledge the outcome of 2026-H2"), "{page}");
    let managers_view = manager.get(&format!("/people/{person}")).await.text().await.unwrap();
    assert!(managers_view.contains("has not acknowledged it yet."));
    assert!(!managers_view.contains("Acknowledge the outcome of"), "only the person acknowledges");

    // Nobody else may acknowledge for them, on the page or in the API.
    let form = format!("/people/{person}/acknowledge");
    let api = format!("/api/v1/people/{person}/acknowledgements");
    let body = json!({"cycle": "2026-H2"});
    assert_eq!(manager.post_form(&form, &[("cycle", "2026-H2")]).await.status(), 403);
    assert_eq!(manager.post_json(&api, &body).await.0, 403);
    assert_eq!(hr.post_json(&api, &body).await.0, 403);

    // A refused comment comes back as typed, and nothing is written.
    let long = "Seen. ".repeat(400);
    let refused = subject.post_form(&form, &[("cycle", "2026-H2"), ("comment", &long)]).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("comment is at most 2000 characters; this one has 2399"), "{html}");
    assert!(html.contains("Nothing was recorded."), "{html}");
    assert!(html.contains(long.trim_end()), "the comment is typed back");
    let (status, error) =
        subject.post_json(&api, &json!({"cycle": "2026-H2", "comment": "a\u{7}"})).await;
    assert_eq!(status, 422, "{error}");
    assert_eq!(
        error["error"]["message"],
        "comment contains the control character U+0007 at character 2; comment is plain text"
    );
    let (status, error) = subject.post_json(&api, &json!({"cycle": "1999-H1"})).await;
    assert_eq!(status, 404, "{error}");
    assert_eq!(audited(&hr, "outcome.acknowledge").await, 0, "nothing was written");

    // A cycle with nothing agreed for them has no outcome to acknowledge.
    let (status, _) =
        hr.post_json("/api/v1/cycles", &json!({"name": "2027-H1", "alongside": true})).await;
    assert_eq!(status, 201);
    let (status, error) = subject.post_json(&api, &json!({"cycle": "2027-H1"})).await;
    assert_eq!(status, 422, "{error}");
    assert!(error["error"]["message"].as_str().unwrap().contains("nothing has been agreed for"));

    let done = subject
        .post_form(
            &form,
            &[("cycle", "2026-H2"), ("comment", "Seen, thanks. More scope next half.")],
        )
        .await;
    assert_eq!(done.status(), 303);
    let location = done.headers()["location"].to_str().unwrap().to_owned();
    let page = subject.get(&location).await.text().await.unwrap();
    assert!(page.contains("Recorded that you acknowledged the outcome of 2026-H2."), "{page}");
    assert!(page.contains("acknowledged it on "), "{page}");
    assert!(page.contains("Seen, thanks. More scope next half."), "{page}");
    assert!(!page.contains("Acknowledge the outcome of 2026-H2"), "nothing left to acknowledge");
    assert_eq!(audited(&hr, "outcome.acknowledge").await, 1);
    let (status, outcomes) = manager.get_json(&format!("/api/v1/people/{person}/outcomes")).await;
    assert_eq!(status, 200);
    let of_h2 = |outcomes: &serde_json::Value| {
        outcomes.as_array().unwrap().iter().find(|one| one["cycle"] == "2026-H2").unwrap().clone()
    };
    let outcome = of_h2(&outcomes);
    assert_eq!(outcome["acknowledgement"]["comment"], "Seen, thanks. More scope next half.");
    assert_eq!(outcome["changed_since_acknowledged"], false);

    // The manager changes an agreed rating afterwards: the acknowledgement was of an earlier
    // outcome, and the page asks again.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let other = if manager_rating == "exceeds" { "developing" } else { "exceeds" };
    let changed = json!({
        "ratings": {expectation.clone(): other},
        "rationales": {expectation.clone(): "Ran the platform migration"},
        "replace": true
    });
    assert_eq!(manager.post_json(&agree, &changed).await.0, 200);
    let page = subject.get(&format!("/people/{person}")).await.text().await.unwrap();
    assert!(page.contains("but the agreement changed after that."), "{page}");
    assert!(page.contains("Acknowledge the outcome of 2026-H2"), "{page}");
    let (_, outcomes) = subject.get_json(&format!("/api/v1/people/{person}/outcomes")).await;
    assert_eq!(of_h2(&outcomes)["changed_since_acknowledged"], true);
    // Acknowledging again, through the API, replaces the earlier acknowledgement.
    let (status, acknowledged) = subject.post_json(&api, &json!({"cycle": "2026-H2"})).await;
    assert_eq!(status, 201, "{acknowledged}");
    assert!(acknowledged["comment"].is_null());
    let (_, outcomes) = subject.get_json(&format!("/api/v1/people/{person}/outcomes")).await;
    assert_eq!(of_h2(&outcomes)["changed_since_acknowledged"], false);
}
