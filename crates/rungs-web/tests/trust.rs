//! Assessments people can trust, at the edge where they meet them: an agreement that would
//! change agreed ratings asks first (page and API), a growth-plan action shows its status, and
//! pages name people the viewer may not open without linking to a page that is not there.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use serde_json::json;
use support::spawn_app;

/// The submitted manager assessment of `person` in 2026-H2, and its first two rated
/// expectations.
async fn manager_assessment(app: &support::TestApp, person: &str) -> (i64, String, String) {
    let (id, rated) = app.manager_assessment_of(person).await;
    (id, rated[0].0.clone(), rated[1].0.clone())
}

/// The rating agreed for `expectation` in the cycle of assessment `id`.
async fn agreed(app: &support::TestApp, id: i64, expectation: &str) -> Option<String> {
    let stored = app.app.stored_assessment(rungs_core::assess::AssessmentId::new(id)).await;
    let agreed = app.app.agreed_in_cycle(&stored.unwrap().assessment).await.unwrap();
    agreed
        .into_iter()
        .find(|agreed| agreed.expectation.as_str() == expectation)
        .map(|agreed| agreed.rating)
}

/// The person's next level and its first expectation: what a growth plan can focus on.
async fn next_level_expectation(app: &support::TestApp, person: &str) -> (String, String) {
    let (_, standing) = app.get_json(&format!("/api/v1/people/{person}/readiness")).await;
    let readiness = &standing["readiness"];
    let expectation = &readiness["dimensions"][0]["expectations"][0]["expectation"];
    (readiness["target"].as_str().unwrap().to_owned(), expectation.as_str().unwrap().to_owned())
}

#[tokio::test]
async fn an_agreement_never_overwrites_agreed_ratings_silently() {
    let app = spawn_app("agree-replace").await;
    let (person, manager) = app.assessed_person().await;
    let (id, first, second) = manager_assessment(&app, &person).await;
    let manager = app.as_person(&manager).await;
    let path = format!("/api/v1/assessments/{id}/agree");
    let everything = json!({"replace": true});
    assert_eq!(manager.post_json(&path, &everything).await.0, 200, "agree with every rating");
    let before = agreed(&manager, id, &first).await;
    // Ratings other than the agreed ones.
    let other = |rating: Option<String>| {
        if rating.as_deref() == Some("exceeds") { "developing" } else { "exceeds" }
    };
    let new_first = other(before.clone());
    let new_second = other(agreed(&manager, id, &second).await);
    assert!(before.is_some());

    // The API refuses a change of an agreed rating without `replace`, and writes nothing.
    let changing = json!({"ratings": {first.clone(): new_first, second.clone(): new_second}});
    let (status, body) = manager.post_json(&path, &changing).await;
    assert_eq!((status, body["error"]["code"].as_str()), (409, Some("conflict")), "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("this would change 2 agreed ratings"), "{message}");
    assert!(message.contains(&format!("{first} from “")), "{message}");
    assert!(message.ends_with("Send \"replace\": true to change them"), "{message}");
    let audit_before = manager.app.audit(&rungs_store::AuditFilter::default()).await.unwrap().len();

    // The page asks too: the form comes back as typed, with a button to replace.
    let field = format!("agree:{first}");
    let refused =
        manager.post_form(&format!("/assessments/{id}/agree"), &[(&field, new_first)]).await;
    assert_eq!(refused.status(), 409);
    let html = refused.text().await.unwrap();
    assert!(html.contains("this would change 1 agreed rating"), "{html}");
    assert!(html.contains("Replace the agreed ratings"), "{html}");
    let typed = format!("<option value=\"{new_first}\" selected>");
    assert!(html.contains(&typed), "what was typed is kept");
    assert!(html.contains("agreed: "), "the page says what was agreed before");
    assert_eq!(
        manager.app.audit(&rungs_store::AuditFilter::default()).await.unwrap().len(),
        audit_before,
        "nothing was written"
    );
    assert_eq!(agreed(&manager, id, &first).await, before);

    // A rating agreed differently from the manager's says why: without a rationale the page
    // refuses, names the expectation and keeps what was typed.
    let why = format!("rationale:{first}");
    let unexplained = manager
        .post_form(&format!("/assessments/{id}/agree"), &[(&field, new_first), ("replace", "yes")])
        .await;
    assert_eq!(unexplained.status(), 422);
    let html = unexplained.text().await.unwrap();
    assert!(
        html.contains(&format!("{first} is agreed as “{new_first}” but the manager rated it")),
        "{html}"
    );
    assert!(html.contains("say why in a rationale. Nothing was saved."), "{html}");
    assert!(html.contains("Replace the agreed ratings"), "the replace asked for stays asked for");
    assert!(html.contains(&typed), "what was typed is kept");
    assert_eq!(agreed(&manager, id, &first).await, before, "nothing was written");
    let replaced = manager
        .post_form(
            &format!("/assessments/{id}/agree"),
            &[(&field, new_first), (&why, "Carried the Q3 launch"), ("replace", "yes")],
        )
        .await;
    assert_eq!(replaced.status(), 200);
    assert_eq!(agreed(&manager, id, &first).await.as_deref(), Some(new_first));
    assert!(replaced.text().await.unwrap().contains("Recorded 1 agreed ratings"));
    // The agreement select now shows the agreed rating, not the manager's: agreeing again
    // unchanged changes nothing and needs no confirmation.
    let page = manager.get(&format!("/assessments/{id}")).await.text().await.unwrap();
    let select = page.split(&format!("name=\"agree:{first}\"")).nth(1).unwrap();
    let select = &select[..select.find("</select>").unwrap()];
    assert!(select.contains(&typed), "{select}");
    assert!(page.contains(", because: Carried the Q3 launch"), "the page says why");
    let (_, trace) = manager.get_json(&format!("/api/v1/people/{person}/readiness")).await;
    let traced = trace["readiness"]["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|dimension| dimension["expectations"].as_array().unwrap())
        .find(|expectation| expectation["expectation"] == first.as_str());
    if let Some(traced) = traced {
        assert_eq!(traced["agreed"]["rationale"], "Carried the Q3 launch", "{traced}");
    }
    let (status, _) =
        manager.post_json(&path, &json!({"ratings": {first.clone(): new_first}})).await;
    assert_eq!(status, 200);
    let (status, body) = manager
        .post_json(&path, &json!({"ratings": {second.clone(): new_second}, "replace": true}))
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "invalid", "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("say why in a rationale"));
    let (status, body) = manager
        .post_json(
            &path,
            &json!({"ratings": {first.clone(): new_first}, "rationales": {"nowhere": "x"}}),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["error"]["message"],
        "there is a rationale for `nowhere`, which this agreement does not rate",
        "a rationale of nothing agreed is not lost silently"
    );
    let (status, _) = manager
        .post_json(
            &path,
            &json!({
                "ratings": {second.clone(): new_second},
                "rationales": {second.clone(): "Mentored two new hires"},
                "replace": true
            }),
        )
        .await;
    assert_eq!(status, 200, "replace on purpose through the API, saying why");
}

#[tokio::test]
async fn an_action_shows_its_status_and_people_are_named_where_they_cannot_be_opened() {
    let app = spawn_app("plan-status").await;
    let (person, manager) = app.assessed_person().await;
    let (target, expectation) = next_level_expectation(&app, &person).await;
    let (status, _) = app
        .post_json(
            &format!("/api/v1/people/{person}/plan"),
            &json!({"target": target, "focus": [expectation]}),
        )
        .await;
    assert_eq!(status, 201);
    let (_, action) = app
        .post_json(
            &format!("/api/v1/people/{person}/plan/actions"),
            &json!({"expectation": expectation, "text": "Pair on a design", "owner": person, "due": "2027-04-01"}),
        )
        .await;
    let action = action["id"].as_i64().unwrap();
    let (status, _) = app
        .post_json(&format!("/api/v1/actions/{action}/status"), &json!({"status": "done"}))
        .await;
    assert_eq!(status, 200);
    let page = app.get(&format!("/people/{person}")).await.text().await.unwrap();
    let select = page.split(&format!("id=\"status-{action}\"")).nth(1).unwrap();
    let select = &select[..select.find("</select>").unwrap()];
    assert!(select.contains("<option value=\"done\" selected>"), "{select}");
    assert_eq!(select.matches(" selected").count(), 1, "{select}");

    // The person's own page names their managers; they may not open their pages, so the
    // names are not links to a page that is not there for them.
    let own = app.as_person(&person).await;
    let html = own.get(&format!("/people/{person}")).await.text().await.unwrap();
    let (_, manager_page) = app.get_json(&format!("/api/v1/people/{manager}")).await;
    let manager_name = manager_page["person"]["name"].as_str().unwrap().to_owned();
    assert!(html.contains(&manager_name), "the manager is named");
    assert!(!html.contains(&format!("href=\"/people/{manager}\"")), "but not linked");
    assert_eq!(own.get(&format!("/people/{manager}")).await.status(), 404, "which is right");
    // Error pages keep the navigation: a 404 for a record, a missing page, a 403.
    for (path, status) in [
        (format!("/people/{manager}"), 404),
        ("/nowhere/at/all".to_owned(), 404),
        ("/admin/accounts".to_owned(), 404),
    ] {
        let response = own.get(&path).await;
        assert_eq!(response.status(), status, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-store", "{path} names the viewer");
        let page = response.text().await.unwrap();
        assert!(page.contains("<nav aria-label=\"Main\">"), "{path} keeps the navigation: {page}");
        assert!(page.contains(&format!("href=\"/people/{person}\">Your page</a>")), "{page}");
        assert!(page.contains("action=\"/sign-out\""), "{path} offers to sign out");
    }
    let page = app.anonymous().get("/nowhere").await.text().await.unwrap();
    assert!(page.contains("href=\"/sign-in\""), "without a session it offers to sign in: {page}");
    assert!(!html.contains(">My team</a>") || !html.contains("<p class=\"muted\">None.</p>"));

    // Pages speak of people: the assessment list, the trace, the assessment's headline and
    // the side-by-side name the people, not their ids.
    let (_, subject_page) = app.get_json(&format!("/api/v1/people/{person}")).await;
    let person_name = subject_page["person"]["name"].as_str().unwrap().to_owned();
    let html = app.get(&format!("/people/{person}")).await.text().await.unwrap();
    assert!(html.contains(&format!("manager by {manager_name}, submitted")), "the list");
    assert!(html.contains(&format!(", agreed by {manager_name}")), "the trace");
    assert!(html.contains(&format!("{manager_name} (manager): ")), "the trace");
    let (id, _, _) = manager_assessment(&app, &person).await;
    let html = app.get(&format!("/assessments/{id}")).await.text().await.unwrap();
    let headline = format!("Manager assessment of {person_name} by {manager_name} in 2026-H2");
    assert!(html.contains(&headline), "{headline}");
    assert!(html.contains(&format!("Back to {person_name}</a>")));
    let html = app.get(&format!("/people/{person}/compare?cycle=2026-H2")).await;
    let html = html.text().await.unwrap();
    assert!(html.contains(&format!("Self and manager assessments of {person_name} in 2026-H2")));

    // A level nobody rated the person against is "not assessed", not "not yet, 0 of 25".
    let current = subject_page["person"]["level"].as_str().unwrap().to_owned();
    let unrated =
        ["ic1", "ic2", "em"].into_iter().find(|level| *level != current && *level != target);
    let html = app.get(&format!("/people/{person}?target={}", unrated.unwrap())).await;
    let html = html.text().await.unwrap();
    assert!(html.contains("<span class=\"verdict not-assessed\">not assessed</span>"), "{html}");
    assert!(html.contains("expectations has an agreed rating in 2026-H2, so nothing says whether"));

    // The manager's navigation links to their team; HR, who sees everyone, links managers.
    let managing = app.as_person(&manager).await;
    let html = managing.get("/").await.text().await.unwrap();
    assert!(html.contains(&format!("<a href=\"/team/{manager}\">My team</a>")), "{html}");
    let html = managing.get(&format!("/people/{person}")).await.text().await.unwrap();
    assert!(
        html.contains(&format!("href=\"/people/{manager}\"")),
        "a manager opens their own page"
    );
}

#[tokio::test]
async fn a_peer_learns_what_is_asked_of_them_and_the_manager_sees_who_was_asked() {
    let app = spawn_app("peer-asked").await;
    let (person, manager) = app.assessed_person().await;
    assert_eq!(
        app.post_json("/api/v1/cycles", &json!({"name": "2027-H1", "alongside": true})).await.0,
        201
    );
    let (peer_id, peer_name) = app.colleague_of(&person, &manager).await;
    let (_, subject) = app.get_json(&format!("/api/v1/people/{person}")).await;
    let person_name = subject["person"]["name"].as_str().unwrap().to_owned();

    // The manager asks, naming the peer; the draft is the peer's to write, so the manager lands on the
    // person's page, which says who was asked, not on a page they may not open.
    let manager_app = app.as_person(&manager).await;
    let asked = manager_app
        .post_form(
            &format!("/people/{person}/assessments"),
            &[("cycle", "2027-H1"), ("kind", "peer"), ("assessor", &peer_name), ("target", "")],
        )
        .await;
    assert_eq!(asked.status(), 303);
    let location = asked.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(&format!("/people/{person}?asked=")), "{location}");
    let page = manager_app.get(&location).await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(
        page.contains(&format!("Asked {peer_name} to write a peer assessment in 2027-H1.")),
        "{page}"
    );

    // The peer's own page lists it, with a link that opens it.
    let peer_app = app.as_person(&peer_id).await;
    let own = peer_app.get(&format!("/people/{peer_id}")).await.text().await.unwrap();
    assert!(own.contains("Asked of you"), "{own}");
    let label = format!("Peer assessment of {person_name} in 2027-H1 (draft)");
    assert!(own.contains(&label), "{own}");
    let link = own.split(&label).next().unwrap();
    let href = &link[link.rfind("href=\"").unwrap() + 6..];
    let href = &href[..href.find('"').unwrap()];
    assert_eq!(peer_app.get(href).await.status(), 200, "{href} opens for the peer");
    // Nobody else's page lists it.
    let other = app.get(&format!("/people/{peer_id}")).await.text().await.unwrap();
    assert!(!other.contains("Asked of you"), "only on the peer's own page");
}

#[tokio::test]
async fn refused_forms_keep_what_was_typed() {
    let app = spawn_app("forms-kept").await;

    // A cycle that exists.
    let refused = app.post_form("/admin/cycles", &[("name", "2026-H2")]).await;
    assert!(refused.status().is_client_error(), "{}", refused.status());
    let html = refused.text().await.unwrap();
    assert!(html.contains("The cycle was not opened"), "{html}");
    assert!(
        html.contains(
            r#"id="cycle-name" name="name" type="text" placeholder="2027-H1" value="2026-H2""#
        ),
        "{html}"
    );

    // An account whose email is not one.
    let refused =
        app.post_form("/admin/accounts", &[("email", "not-an-email"), ("role", "hr")]).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains(r#"name="email" type="email" value="not-an-email""#), "{html}");
    let role = html.split(r#"id="account-role""#).nth(1).unwrap();
    assert!(role[..role.find("</select>").unwrap()].contains("<option selected>hr</option>"));

    // A growth-plan action with a date that is not one: the person's page comes back with
    // the error and the action as typed, and nothing is added.
    let (person, _) = app.assessed_person().await;
    let (target, expectation) = next_level_expectation(&app, &person).await;
    let plan = json!({"target": target, "focus": [expectation]});
    assert_eq!(app.post_json(&format!("/api/v1/people/{person}/plan"), &plan).await.0, 201);
    let refused = app
        .post_form(
            &format!("/people/{person}/plan/actions"),
            &[
                ("expectation", &expectation),
                ("text", "Pair on the design review"),
                ("owner", &person),
                ("due", "next Tuesday"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("`next Tuesday` is not a date such as 2026-12-31"), "{html}");
    assert!(html.contains(r#"value="Pair on the design review""#), "{html}");
    assert!(html.contains(r#"value="next Tuesday""#), "{html}");
    let (_, plan) = app.get_json(&format!("/api/v1/people/{person}/plan")).await;
    assert_eq!(plan["plan"]["actions"], json!([]), "nothing was added: {plan}");
}

#[tokio::test]
async fn closing_a_cycle_and_replacing_a_plan_ask_first() {
    let app = spawn_app("confirm").await;
    let (person, manager) = app.assessed_person().await;
    // A peer assessment asked of a colleague, still a draft.
    let (peer, _) = app.colleague_of(&person, &manager).await;
    let ask = json!({"cycle": "2026-H2", "kind": "peer", "assessor": peer});
    let (status, body) = app.post_json(&format!("/api/v1/people/{person}/assessments"), &ask).await;
    assert_eq!(status, 201, "{body}");
    let asked = app.post_form("/admin/cycles/2026-H2/close", &[]).await;
    assert_eq!(asked.status(), 200);
    let html = asked.text().await.unwrap();
    assert!(html.contains("Close cycle 2026-H2?"), "{html}");
    // The drafts left are counted and named (self-assessment drafts too, which only their
    // authors can open), and the button says they are abandoned.
    let name = |id: &str| {
        let app = &app;
        let id = id.to_owned();
        async move {
            let (_, person) = app.get_json(&format!("/api/v1/people/{id}")).await;
            person["person"]["name"].as_str().unwrap().to_owned()
        }
    };
    let (subject_name, peer_name) = (name(&person).await, name(&peer).await);
    assert!(html.contains("drafts not submitted are abandoned"), "{html}");
    assert!(
        html.contains(&format!("Abandoned: Peer assessment of {subject_name} by {peer_name}.")),
        "named: {html}"
    );
    assert!(html.contains("Abandoned: Self assessment of "), "{html}");
    assert!(html.contains(" drafts</button>") && html.contains("Close 2026-H2 and abandon "));
    let shown = html.split("name=\"abandon_drafts\" value=\"").nth(1).unwrap();
    let shown: String = shown.chars().take_while(char::is_ascii_digit).collect();
    assert!(html.contains(&format!("Close 2026-H2 and abandon {shown} drafts</button>")));
    let draft = body["id"].clone();
    let (_, cycles) = app.get_json("/api/v1/cycles").await;
    let open = |cycles: &serde_json::Value| {
        cycles.as_array().unwrap().iter().any(|c| c["name"] == "2026-H2" && c["state"] == "open")
    };
    assert!(open(&cycles), "still open until confirmed: {cycles}");
    // Confirmed without abandoning the drafts, it is refused and stays open.
    let refused = app.post_form("/admin/cycles/2026-H2/close", &[("confirmed", "yes")]).await;
    assert_eq!(refused.status(), 409);
    assert!(refused.text().await.unwrap().contains("not submitted"));
    assert!(open(&app.get_json("/api/v1/cycles").await.1));
    // Drafts started after the question was asked are shown before they are abandoned: a
    // confirmation that named fewer than there are asks again.
    let fewer = (shown.parse::<u64>().unwrap() - 1).to_string();
    let close = "/admin/cycles/2026-H2/close";
    let again = app.post_form(close, &[("confirmed", "yes"), ("abandon_drafts", &fewer)]).await;
    assert_eq!(again.status(), 200, "asks again");
    assert!(again.text().await.unwrap().contains(&format!("abandon {shown} drafts")));
    let closed = app.post_form(close, &[("confirmed", "yes"), ("abandon_drafts", &shown)]).await;
    assert_eq!(closed.status(), 303);
    assert!(!open(&app.get_json("/api/v1/cycles").await.1));
    // An abandoned draft stays readable, as it was.
    let (status, kept) = app.get_json(&format!("/api/v1/assessments/{draft}")).await;
    assert_eq!((status, kept["assessment"]["status"].as_str()), (200, Some("draft")));
    let listed = app.get(&format!("/people/{person}")).await.text().await.unwrap();
    assert!(listed.contains(&format!("2026-H2: peer by {peer_name}, abandoned")), "{listed}");
    let shown = app.get(&format!("/assessments/{draft}")).await.text().await.unwrap();
    assert!(shown.contains("Abandoned: the cycle closed before this draft was submitted"));
    // The admin page asks before opening a second cycle next to an open one.
    let reopened = app.post_form("/admin/cycles", &[("name", "2027-H1")]).await;
    assert_eq!(reopened.status(), 303, "none is open now");
    let refused = app.post_form("/admin/cycles", &[("name", "2027-H2")]).await;
    assert_eq!(refused.status(), 409);
    let page = refused.text().await.unwrap();
    assert!(page.contains("cycle `2027-H1` is still open"), "{page}");
    assert!(page.contains("value=\"2027-H2\""), "the name typed is kept");
    assert!(page.contains("name=\"alongside\" value=\"yes\""), "and the choice is offered");

    // A first plan starts at once; a second asks, and the first stays readable.
    let path = format!("/people/{person}/plan");
    assert_eq!(app.post_form(&path, &[("gaps", "2")]).await.status(), 303);
    let (_, first) = app.get_json(&format!("/api/v1/people/{person}/plan")).await;
    let asked = app.post_form(&path, &[("gaps", "3")]).await;
    assert_eq!(asked.status(), 200);
    let html = asked.text().await.unwrap();
    assert!(html.contains("Start a new growth plan for"), "{html}");
    assert!(html.contains("already has a plan towards"), "{html}");
    assert_eq!(app.get_json(&format!("/api/v1/people/{person}/plan")).await.1, first, "unchanged");
    let replaced = app.post_form(&path, &[("gaps", "3"), ("confirmed", "yes")]).await;
    assert_eq!(replaced.status(), 303);
    let (_, second) = app.get_json(&format!("/api/v1/people/{person}/plan")).await;
    assert_ne!(second["plan"]["id"], first["plan"]["id"]);
    assert_eq!(second["plan"]["focus"].as_array().unwrap().len(), 3);
    let html = app.get(&format!("/people/{person}")).await.text().await.unwrap();
    assert!(html.contains("Earlier plans (1)"), "the first plan stays readable");
    assert!(html.contains(": 2 focus expectations, 0 of 0 actions done"), "{html}");
}

/// Starts an assessment of `person` in 2027-H1 of `kind`, written by whoever `app` acts for:
/// its id.
async fn start_assessment(app: &support::TestApp, person: &str, kind: &str) -> i64 {
    let (status, created) = app
        .post_json(
            &format!("/api/v1/people/{person}/assessments"),
            &json!({"cycle": "2027-H1", "kind": kind}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_i64().unwrap()
}

/// The trace of `expectation` in the person's readiness, as the API gives it.
async fn trace(app: &support::TestApp, person: &str, expectation: &str) -> serde_json::Value {
    let (_, standing) = app.get_json(&format!("/api/v1/people/{person}/readiness")).await;
    standing["readiness"]["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|dimension| dimension["expectations"].as_array().unwrap().iter())
        .find(|trace| trace["expectation"] == expectation)
        .cloned()
        .unwrap()
}

#[tokio::test]
async fn each_expectation_counts_its_latest_agreement_and_shows_what_is_not_yet_agreed() {
    let app = spawn_app("latest-agreement").await;
    let (person, manager_id) = app.assessed_person().await;
    let (id, _, _) = manager_assessment(&app, &person).await;
    let manager = app.as_person(&manager_id).await;
    let everything = json!({"replace": true});
    let path = format!("/api/v1/assessments/{id}/agree");
    assert_eq!(manager.post_json(&path, &everything).await.0, 200);
    // Two expectations of the next level that were agreed in 2026-H2.
    let (_, standing) = app.get_json(&format!("/api/v1/people/{person}/readiness")).await;
    let agreed_in_h2: Vec<String> = standing["readiness"]["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|dimension| dimension["expectations"].as_array().unwrap().iter())
        .filter(|trace| trace["agreed"]["cycle"] == "2026-H2")
        .map(|trace| trace["expectation"].as_str().unwrap().to_owned())
        .collect();
    assert!(agreed_in_h2.len() >= 2, "{standing}");
    let (rerated, kept) = (agreed_in_h2[0].clone(), agreed_in_h2[1].clone());
    let kept_before = trace(&app, &person, &kept).await;

    // In 2027-H1 the manager rates one expectation only, and that one is agreed.
    app.post_json("/api/v1/cycles", &json!({"name": "2027-H1", "alongside": true})).await;
    let new = start_assessment(&manager, &person, "manager").await;
    let rated = json!({"ratings": {rerated.clone(): "exceeds"}});
    let (status, body) =
        manager.post_json(&format!("/api/v1/assessments/{new}/ratings"), &rated).await;
    assert_eq!(status, 200, "{body}");
    let submit = json!({"unrated": "not-observed"});
    let (status, body) =
        manager.post_json(&format!("/api/v1/assessments/{new}/submit"), &submit).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) =
        manager.post_json(&format!("/api/v1/assessments/{new}/agree"), &rated).await;
    assert_eq!((status, body["agreed"].as_u64()), (200, Some(1)), "{body}");

    // The re-rated one counts its 2027-H1 agreement; the other keeps its 2026-H2 one, and
    // shows the newer "not observed" that nobody agreed.
    let now = trace(&app, &person, &rerated).await;
    assert_eq!(now["agreed"]["cycle"], "2027-H1", "{now}");
    assert_eq!(now["agreed"]["rating"], "exceeds");
    let kept_now = trace(&app, &person, &kept).await;
    assert_eq!(kept_now["agreed"], kept_before["agreed"], "a partial cycle wipes nothing");
    assert_eq!(kept_now["status"], kept_before["status"]);
    let newer = kept_now["newer"].as_array().unwrap();
    assert_eq!(newer.len(), 1, "{kept_now}");
    assert_eq!(newer[0]["cycle"], "2027-H1");
    assert_eq!(newer[0]["given"][0]["rating"], "not-observed");
    assert_eq!(newer[0]["given"][0]["not_yet_agreed"], true);
    let reason = kept_now["reason"].as_str().unwrap();
    assert!(reason.contains("1 newer rating is not yet agreed"), "{reason}");

    // A self-assessment submitted after the agreement shows, flagged, and changes nothing.
    // Times are kept to the second, and one in the same second counts as seen: wait a second.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let subject = app.as_person(&person).await;
    let own = start_assessment(&subject, &person, "self").await;
    let late = json!({"ratings": {rerated.clone(): "meets"}});
    assert_eq!(
        subject.post_json(&format!("/api/v1/assessments/{own}/ratings"), &late).await.0,
        200
    );
    assert_eq!(
        subject.post_json(&format!("/api/v1/assessments/{own}/submit"), &submit).await.0,
        200
    );
    let after = trace(&app, &person, &rerated).await;
    assert_eq!(after["agreed"], now["agreed"], "a late self-assessment changes no agreement");
    let given = after["cycles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|cycle| cycle["cycle"] == "2027-H1")
        .unwrap()["given"]
        .as_array()
        .unwrap()
        .clone();
    let late_self = given.iter().find(|given| given["kind"] == "self").unwrap();
    assert_eq!(
        (late_self["rating"].as_str(), late_self["not_yet_agreed"].as_bool()),
        (Some("meets"), Some(true))
    );
    let page = subject.get(&format!("/people/{person}")).await.text().await.unwrap();
    assert!(page.contains("new, not yet agreed"), "the person page flags it");
    assert!(page.contains("2027-H1: Ratings: "), "and names the cycle of each rating");
}

#[tokio::test]
async fn the_org_page_lists_its_findings_with_the_people_named() {
    let app = spawn_app("org-findings").await;
    let (_, check) = app.get_json("/api/v1/org/check?limit=1000").await;
    let findings = check["findings"].as_array().unwrap();
    let page = app.get("/org").await.text().await.unwrap();
    let errors = check["counts"]["errors"].as_u64().unwrap();
    let warnings = check["counts"]["warnings"].as_u64().unwrap();
    assert!(page.contains("<a href=\"#findings\">"), "the counts link to the list: {page}");
    if findings.is_empty() {
        assert!(page.contains("No findings: every span, layer and level"), "{page}");
        return;
    }
    assert!(errors + warnings > 0);
    // Each listed finding names its person, linked, with the message; the first page of 50.
    let first = &findings[0];
    let id = first["person_id"].as_str().unwrap();
    let (_, person) = app.get_json(&format!("/api/v1/people/{id}")).await;
    let name = person["person"]["name"].as_str().unwrap();
    assert!(page.contains(&format!("\">{name}</a></td>")), "{name} is named: {page}");
    assert!(page.contains(first["message"].as_str().unwrap()), "with the message");
    let listed = findings.len().min(50);
    assert!(
        page.contains(&format!("Findings 1 to {listed} of {}", findings.len())),
        "says which are listed: {page}"
    );
    if findings.len() > 50 {
        assert!(page.contains("href=\"/org?findings=50#findings\">Next 50</a>"));
        let next = app.get("/org?findings=50").await.text().await.unwrap();
        assert!(next.contains("Findings 51 to"), "{next}");
        assert!(next.contains("href=\"/org?findings=0#findings\">Previous 50</a>"));
    }
}
