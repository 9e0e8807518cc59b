//! The web app and the JSON API over a real socket, on a fresh SQLite database per test:
//! every page serves demo data, every API route is in the OpenAPI document, bad requests get
//! 4xx with one error shape, and a refused form or upload writes nothing.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use serde_json::{Value, json};
use support::spawn_app;

#[tokio::test]
async fn every_page_serves_the_demo() {
    let app = spawn_app("pages").await;
    let (person, manager) = app.assessed_person().await;
    let (_, assessments) = app.get_json(&format!("/api/v1/assessments?subject={person}")).await;
    let assessment = assessments[0]["id"].as_i64().unwrap();
    let pages = [
        ("/".to_owned(), "What to do"),
        ("/ladder".to_owned(), "Engineering Manager"),
        ("/levels/sem".to_owned(), "Senior Engineering Manager"),
        (
            "/compare?from=em&to=sem".to_owned(),
            "From Engineering Manager (em) to Senior Engineering Manager (sem)",
        ),
        ("/compare?from=ic5&to=sem".to_owned(), "A move across tracks in the same band."),
        ("/compare?from=em&to=sem".to_owned(), "1 band up."),
        ("/compare?from=director&to=em".to_owned(), "2 bands down."),
        ("/growth-areas/people-development".to_owned(), "People Development"),
        (format!("/people/{person}"), "Readiness"),
        (format!("/people/{person}?target=em"), "Engineering Manager"),
        (format!("/people/{person}/compare?cycle=2026-H2"), "rated differently"),
        (format!("/assessments/{assessment}"), "assessment of"),
        ("/org".to_owned(), "Level distribution"),
        (format!("/org?root={manager}"), "Direct reports"),
        (format!("/team/{manager}"), "Weakest expectations"),
        ("/admin".to_owned(), "2026-H2"),
    ];
    for (path, text) in pages {
        let response = app.get(&path).await;
        assert_eq!(response.status(), 200, "{path}");
        let html = response.text().await.unwrap();
        assert!(html.contains(text), "{path} lacks {text:?}");
        assert!(html.contains("This is a demo instance"), "{path} says it is a demo");
    }
    let person_page = app.get(&format!("/people/{person}")).await.text().await.unwrap();
    assert!(person_page.contains("<svg") && person_page.contains("radar-title"), "the radar chart");
    assert!(person_page.contains("lines-title"), "the history chart");
    assert_eq!(app.get("/healthz").await.text().await.unwrap(), "ok");
    let head = app.client.head(app.url("/healthz")).send().await.unwrap();
    assert_eq!(head.status(), 200, "HEAD is served as GET");
    let page = app.get(&format!("/people/{person}")).await;
    assert_eq!(page.headers()["cache-control"], "no-store", "personal data is not cached");
    assert_eq!(page.headers()["x-frame-options"], "DENY");
    assert_eq!(page.headers()["content-security-policy"], "frame-ancestors 'none'");
    assert_eq!(app.get("/static/style.css").await.status(), 200);
    let missing = app.get("/people/NOBODY").await;
    assert_eq!(missing.status(), 404);
    assert!(missing.text().await.unwrap().contains("there is no person `NOBODY`"));
    assert_eq!(app.get("/levels/nope").await.status(), 404);
    let search = app.get("/people?id=E00002").await;
    assert_eq!(
        (search.status().as_u16(), search.headers()["location"].to_str().unwrap()),
        (303, "/people/E00002")
    );
    let empty = app.get("/people?id=").await;
    assert_eq!(empty.headers()["location"], "/org", "hr and admin go to the org");
    let own = app.as_person(&person).await.get("/people?id=").await;
    assert_eq!(own.headers()["location"].to_str().unwrap(), format!("/people/{person}"));
}

#[tokio::test]
async fn the_openapi_document_lists_every_api_route_the_router_serves() {
    let app = spawn_app("openapi").await;
    let (status, document) = app.get_json("/api/openapi.json").await;
    assert_eq!(status, 200);
    assert_eq!(document["openapi"].as_str().unwrap().chars().next(), Some('3'));
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push((method.clone(), path.clone()));
        }
    }
    documented.sort();
    let mut served: Vec<(String, String)> = rungs_web::ROUTES
        .iter()
        .filter(|route| route.path.starts_with("/api/v1/"))
        .map(|route| (route.method.to_owned(), route.path.to_owned()))
        .collect();
    served.sort();
    assert_eq!(served, documented);
    assert!(document["components"]["schemas"]["ErrorBody"].is_object());
}

#[tokio::test]
async fn bad_api_requests_get_4xx_and_one_error_shape() {
    let app = spawn_app("api-errors").await;
    let post_raw = |path: &str, body: &'static str, content_type: &'static str| {
        app.client
            .post(app.url(path))
            .header("content-type", content_type)
            .header("x-csrf-token", &app.csrf)
            .body(body)
            .send()
    };
    let malformed = post_raw("/api/v1/cycles", "{\"name\": ", "application/json").await.unwrap();
    assert_eq!(malformed.status(), 400);
    let body: Value = malformed.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_request");
    assert!(body["error"]["message"].as_str().unwrap().contains("EOF"), "{body}");

    let (status, body) = app.post_json("/api/v1/cycles", &json!({"name": 2026})).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("bad_request")),
        "wrong type: {body}"
    );
    let (status, body) =
        app.post_json("/api/v1/cycles", &json!({"name": "2027-H1", "extra": true})).await;
    assert_eq!(status, 422, "unknown field: {body}");
    let (status, body) = app.post_json("/api/v1/cycles", &json!({"name": "2027 H1"})).await;
    assert_eq!((status, body["error"]["field"].as_str()), (422, Some("cycle")));
    let not_json =
        post_raw("/api/v1/cycles", "name=x", "application/x-www-form-urlencoded").await.unwrap();
    assert_eq!(not_json.status(), 415);

    let (status, body) = app.get_json("/api/v1/people/NOBODY").await;
    assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")));
    assert_eq!(body["error"]["message"], "there is no person `NOBODY`");
    assert_eq!(app.get_json("/api/v1/assessments/abc").await.0, 404);
    assert_eq!(app.get_json("/api/v1/assessments/99999").await.0, 404);
    assert_eq!(app.get_json("/api/v1/levels/nope").await.0, 404);
    assert_eq!(app.get_json("/api/v1/compare?from=em").await.0, 400);
    // The default target is the next level; the top of a track has none, as a level that does
    // not exist (E00001 is the demo's CTO).
    let (status, body) = app.get_json("/api/v1/people/E00001/readiness").await;
    assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")), "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("name a `target`"), "{body}");
    assert_eq!(app.get_json("/api/v1/nowhere").await.0, 404);

    // An `Authorization` header that is not `Bearer TOKEN` is malformed (RFC 6750); another
    // scheme is no token.
    let anonymous = app.anonymous();
    for (header, status) in [("Bearer ", 400), ("Bearer", 400), ("Basic YTpi", 401)] {
        let response = anonymous
            .client
            .get(app.url("/api/v1/me"))
            .header("authorization", header)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{header:?}");
        let body: Value = response.json().await.unwrap();
        if status == 400 {
            assert_eq!(body["error"]["field"], "Authorization", "{body}");
        }
    }

    let huge = "x".repeat(rungs_web::BODY_LIMIT + 1);
    let oversized = app
        .client
        .post(app.url("/api/v1/org/import"))
        .header("x-csrf-token", &app.csrf)
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(oversized.status(), 413);
    let body: Value = oversized.json().await.unwrap();
    assert_eq!(body["error"]["code"], "too_large");
}

#[tokio::test]
async fn an_assessment_through_the_api_changes_readiness() {
    let app = spawn_app("api-flow").await;
    let (person, manager) = app.assessed_person().await;
    let (status, _) =
        app.post_json("/api/v1/cycles", &json!({"name": "2027-H1", "alongside": true})).await;
    assert_eq!(status, 201);
    let admin = app;
    // The manager writes the assessment: the author is whoever is signed in.
    let app = admin.as_person(&manager).await;
    let (status, created) = app
        .post_json(
            &format!("/api/v1/people/{person}/assessments"),
            &json!({"cycle": "2027-H1", "kind": "manager"}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().unwrap();
    let target = created["target_level"].as_str().unwrap().to_owned();
    let (_, level) = app.get_json(&format!("/api/v1/levels/{target}")).await;
    let expectations: Vec<String> = level["level"]["expectations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect();

    // All or nothing: one bad label refuses the whole request.
    let mut ratings = serde_json::Map::new();
    for expectation in &expectations {
        ratings.insert(expectation.clone(), json!("exceeds"));
    }
    ratings.insert(expectations[0].clone(), json!("superb"));
    let (status, body) = app
        .post_json(&format!("/api/v1/assessments/{id}/ratings"), &json!({"ratings": ratings}))
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        body["error"]["message"],
        "`superb` is not on the rating scale; use one of: not-yet, developing, meets, exceeds, or not-observed"
    );
    let (_, view) = app.get_json(&format!("/api/v1/assessments/{id}")).await;
    assert_eq!(view["rated"], 0, "nothing was written");

    ratings.insert(expectations[0].clone(), json!("exceeds"));
    assert_eq!(
        app.post_json(&format!("/api/v1/assessments/{id}/ratings"), &json!({"ratings": ratings}))
            .await
            .0,
        200
    );
    for expectation in &expectations {
        let (status, body) = app
            .post_json(
                &format!("/api/v1/assessments/{id}/evidence"),
                &json!({"expectation": expectation, "text": "Shipped it", "date": "2027-03-01"}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, body) = app
        .post_json(
            &format!("/api/v1/assessments/{id}/evidence"),
            &json!({"expectation": expectations[0], "text": "x", "link": "nope"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some(format!("evidence.{}", expectations[0]).as_str()))
    );
    // Expectations left unrated are named, and the submission waits for a choice.
    let submit = format!("/api/v1/assessments/{id}/submit");
    let (status, body) = app.post_json(&submit, &json!({})).await;
    assert_eq!(status, 422, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with(&format!("assessment {id} leaves "))
            && message.ends_with("; rate each, or mark it not observed"),
        "{message}"
    );
    // No body at all reads as `{}`: the same answer.
    let bare =
        app.client.post(app.url(&submit)).header("x-csrf-token", &app.csrf).send().await.unwrap();
    assert_eq!(bare.status(), 422);
    let bare: Value = bare.json().await.unwrap();
    assert_eq!(bare["error"]["message"].as_str(), Some(message));
    let (status, body) = app.post_json(&submit, &json!({"unrated": "skip"})).await;
    assert_eq!(
        (status, body["error"]["field"].as_str(), body["error"]["message"].as_str()),
        (
            422,
            Some("unrated"),
            Some(
                "`skip` is not what to do with unrated expectations; the one choice is \"not-observed\""
            )
        )
    );
    let (_, view) = app.get_json(&format!("/api/v1/assessments/{id}")).await;
    assert_eq!(view["assessment"]["status"], "draft", "a refused submission changes nothing");
    let (status, submitted) = app.post_json(&submit, &json!({"unrated": "not-observed"})).await;
    assert_eq!((status, submitted["status"].as_str()), (200, Some("submitted")));
    let (status, body) = app
        .post_json(
            &format!("/api/v1/assessments/{id}/ratings"),
            &json!({"ratings": {expectations[0].clone(): "meets"}}),
        )
        .await;
    assert_eq!((status, body["error"]["code"].as_str()), (409, Some("conflict")));
    let rows = view["rows"].as_array().unwrap().len() as u64;
    let (status, agreed) =
        app.post_json(&format!("/api/v1/assessments/{id}/agree"), &json!({})).await;
    assert_eq!(
        (status, agreed["agreed"].as_u64()),
        (200, Some(rows)),
        "the rated ones and those marked not observed are agreed as they are"
    );

    let (_, readiness) = app.get_json(&format!("/api/v1/people/{person}/readiness")).await;
    assert_eq!(readiness["readiness"]["verdict"], "ready");
    assert_eq!(readiness["readiness"]["window"], json!(["2027-H1"]));
    let (status, body) =
        app.post_json(&format!("/api/v1/assessments/{id}/revise"), &json!({})).await;
    assert_eq!((status, body["revision"].as_u64()), (201, Some(2)));
    let (_, plan) = app
        .post_json(
            &format!("/api/v1/people/{person}/plan"),
            &json!({"target": target, "focus": [expectations[1]]}),
        )
        .await;
    assert_eq!(plan["focus"], json!([expectations[1]]));
    assert_eq!(created["assessor"], json!(manager));
    assert_eq!(
        admin.post_json("/api/v1/cycles/2027-H1/close", &json!({"abandon_drafts": true})).await.0,
        200
    );
    assert_eq!(admin.post_json("/api/v1/cycles/2027-H1/close", &json!({})).await.0, 409);
}

#[tokio::test]
async fn a_refused_assessment_form_keeps_what_was_typed_and_saves_nothing() {
    let app = spawn_app("form").await;
    let (person, manager) = app.assessed_person().await;
    app.post_json("/api/v1/cycles", &json!({"name": "2027-H1", "alongside": true})).await;
    let app = app.as_person(&manager).await;
    let created = app
        .post_form(
            &format!("/people/{person}/assessments"),
            &[("cycle", "2027-H1"), ("kind", "manager"), ("target", "")],
        )
        .await;
    assert_eq!(created.status(), 303);
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    let id = location.trim_start_matches("/assessments/").to_owned();
    let (_, view) = app.get_json(&format!("/api/v1/assessments/{id}")).await;
    let expectation = view["rows"][0]["expectation"].as_str().unwrap().to_owned();

    let rating = format!("rating:{expectation}");
    let evidence = format!("evidence:{expectation}");
    let link = format!("link:{expectation}");
    let refused = app
        .post_form(
            &location,
            &[
                (&rating, "meets"),
                (&evidence, "Led the review"),
                (&link, "wiki/page"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains(&format!("evidence.{expectation}: `wiki/page` is not a link: it must start with https:// or http://. Nothing was saved.")), "{html}");
    assert!(
        html.contains("Led the review") && html.contains("value=\"wiki/page\""),
        "what was typed comes back"
    );
    let (_, view) = app.get_json(&format!("/api/v1/assessments/{id}")).await;
    assert_eq!(view["rated"], 0, "nothing was saved");

    // Submit saves the draft and asks first: nothing is submitted until it is confirmed.
    let asked = app
        .post_form(
            &location,
            &[(&rating, "meets"), (&evidence, "Led the review"), ("action", "submit")],
        )
        .await;
    assert_eq!(asked.status(), 200);
    let asked = asked.text().await.unwrap();
    assert!(asked.contains("Submit this assessment?"), "{asked}");
    assert!(asked.contains("expectations are rated; "), "says how many are not rated");
    let (_, view) = app.get_json(&format!("/api/v1/assessments/{id}")).await;
    assert_eq!(
        (view["rated"].as_u64(), view["assessment"]["status"].as_str()),
        (Some(1), Some("draft")),
        "saved, not submitted"
    );
    let total = view["rows"].as_array().unwrap().len() as u64;
    let first_unrated = view["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["rating"].is_null())
        .map(|row| row["text"].as_str().unwrap().to_owned())
        .unwrap();
    assert!(
        asked.contains(&format!("Mark {} not observed and submit", total - 1)),
        "the confirmation says what happens to the unrated ones: {asked}"
    );
    assert!(asked.contains(&first_unrated), "and lists them by their text");
    // A confirmation that does not mark them is refused, and nothing changes.
    let refused = app.post_form(&location, &[("action", "confirm-submit")]).await;
    assert_eq!(refused.status(), 422);
    let refused = refused.text().await.unwrap();
    assert!(refused.contains(&format!("leaves {} expectations unrated", total - 1)), "{refused}");
    let (_, view) = app.get_json(&format!("/api/v1/assessments/{id}")).await;
    assert_eq!(view["assessment"]["status"], "draft");
    let saved = app
        .post_form(&location, &[("action", "confirm-submit"), ("unrated", "not-observed")])
        .await;
    assert_eq!(saved.status(), 303);
    let (_, view) = app.get_json(&format!("/api/v1/assessments/{id}")).await;
    assert_eq!(
        (view["rated"].as_u64(), view["assessment"]["status"].as_str()),
        (Some(total), Some("submitted")),
        "the unrated ones are marked not observed on submission"
    );
    assert_eq!(
        view["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|row| row["rating"] == "not-observed")
            .count() as u64,
        total - 1
    );
    let again = app.post_form(&location, &[(&rating, "exceeds"), ("action", "save")]).await;
    assert_eq!(again.status(), 409);
    assert!(again.text().await.unwrap().contains("is submitted and cannot change"));

    // A submitted assessment offers "Revise" to its assessor: a new draft with the same
    // ratings, the submitted one kept.
    let submitted = app.get(&location).await.text().await.unwrap();
    assert!(submitted.contains(&format!("action=\"/assessments/{id}/revise\"")), "{submitted}");
    let revised = app.post_form(&format!("/assessments/{id}/revise"), &[]).await;
    assert_eq!(revised.status(), 303);
    let revision = revised.headers()["location"].to_str().unwrap().to_owned();
    assert_ne!(revision, location);
    let (_, view) =
        app.get_json(&format!("/api{}", revision.replace("/assessments", "/v1/assessments"))).await;
    assert_eq!(
        (
            view["rated"].as_u64(),
            view["assessment"]["status"].as_str(),
            view["assessment"]["revision"].as_u64()
        ),
        (Some(total), Some("draft"), Some(2))
    );
    let old = app.get(&location).await.text().await.unwrap();
    assert!(old.contains("Corrected by assessment"), "the submitted one is kept");
    assert!(!old.contains("/revise\""), "and offers no second revision");

    let bad_kind = app
        .post_form(
            &format!("/people/{person}/assessments"),
            &[("cycle", "2027-H1"), ("kind", "boss")],
        )
        .await;
    assert_eq!(bad_kind.status(), 422);
    assert!(bad_kind.text().await.unwrap().contains("`boss` is not self, manager or peer"));
}

#[tokio::test]
async fn uploads_show_every_problem_and_write_nothing() {
    let app = spawn_app("uploads").await;
    let upload = |path: &'static str, name: &'static str, bytes: Vec<u8>| {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name);
        app.client
            .post(app.url(&format!("{path}?csrf={}", app.csrf)))
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
    };
    let (_, before) = app.get_json("/api/v1/org/stats").await;
    let csv = "id,name,email,manager_id,title,track,level,team\nX1,Ann,ann@example.com,,CTO,management,cto,Top\nX2,Bob,bob@example.com,X9,,ic,ic2,Core\nX3,Cy,cy@example.com,X1,,ic,ic99,Core\n";
    let refused = upload("/admin/org", "people.csv", csv.as_bytes().to_vec()).await.unwrap();
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("2 error(s); nothing was imported"), "{html}");
    assert!(
        html.contains("people.csv: row 3, column `manager_id`: manager `X9` is not in this file"),
        "{html}"
    );
    assert!(
        html.contains(
            "people.csv: row 4, column `level`: unknown level `ic99` (did you mean `ic1`?)"
        ),
        "{html}"
    );
    assert!(html.contains("people.csv: row 4, column `level`"), "{html}");
    let (_, after) = app.get_json("/api/v1/org/stats").await;
    assert_eq!(before["people"], after["people"], "nothing was written");

    let bad_framework = "[meta]\nid = \"x\"\nname = \"X\"\nversion = \"1\"\n\n[rating_scale]\nlabels = [\"no\", \"yes\"]\nmeets = \"maybe\"\n";
    let refused =
        upload("/admin/framework", "ladder.toml", bad_framework.as_bytes().to_vec()).await.unwrap();
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("The framework has errors; the active framework is unchanged"), "{html}");
    assert!(html.contains("ladder.toml:1:2: error: unknown field `meta`"), "line numbers: {html}");
    let (_, framework) = app.get_json("/api/v1/framework").await;
    assert_eq!(framework["meta"]["id"], "rungs-engineering");

    // A valid framework asks first, saying what it replaces and changes; nothing is written
    // until the confirmation sends it again.
    let next = rungs_format::BUILTIN_SOURCE
        .replacen("version = \"1.0.0\"", "version = \"1.1.0\"", 1)
        .replacen(
            "Ability to lead an entire engineering organization (50-200+ engineers)",
            "Leads an entire engineering organization (50-200+ engineers)",
            1,
        );
    let asked = upload("/admin/framework", "next.toml", next.clone().into_bytes()).await.unwrap();
    assert_eq!(asked.status(), 200);
    let html = asked.text().await.unwrap();
    assert!(html.contains("Activate rungs-engineering 1.1.0?"), "{html}");
    assert!(html.contains("replaces rungs-engineering 1.0.0 as the active framework"), "{html}");
    assert!(html.contains("Against the active one: 1 expectation reworded."), "{html}");
    assert!(html.contains("enctype=\"multipart/form-data\""), "{html}");
    let (_, unchanged) = app.get_json("/api/v1/framework").await;
    assert_eq!(unchanged["meta"]["version"], "1.0.0", "not yet");
    // Making peer feedback named is said before it is done: people would see who wrote what.
    let named = format!("{next}\n[feedback]\npeers = \"named\"\n");
    let asked = upload("/admin/framework", "named.toml", named.into_bytes()).await.unwrap();
    let html = asked.text().await.unwrap();
    assert!(
        html.contains(
            "peer feedback becomes named: people see who wrote the peer feedback asked of colleagues from now on"
        ),
        "{html}"
    );
    let confirmed = app
        .client
        .post(app.url(&format!("/admin/framework?csrf={}", app.csrf)))
        .multipart(
            reqwest::multipart::Form::new()
                .text("name", "next.toml")
                .text("source", next)
                .text("confirmed", "yes"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), 200);
    assert!(
        confirmed
            .text()
            .await
            .unwrap()
            .contains("rungs-engineering 1.1.0 is now the active framework")
    );
    let (_, activated) = app.get_json("/api/v1/framework").await;
    assert_eq!(activated["meta"]["version"], "1.1.0");

    let good = "id,name,email,manager_id,title,track,level,team\n".to_owned()
        + &rungs_demo::generate(rungs_format::builtin(), 10, 1)
            .iter()
            .map(|p| {
                format!(
                    "{},{},{},{},{},{},{},{}\n",
                    p.id,
                    p.name,
                    p.email,
                    p.manager_id.clone().unwrap_or_default(),
                    p.title,
                    p.track,
                    p.level,
                    p.team
                )
            })
            .collect::<String>();
    // A valid file is previewed first: nothing changes until the preview is confirmed, and a
    // file that would mark most of the org as left needs that number confirmed with a box.
    let (_, people_before) = app.get_json("/api/v1/org/stats").await;
    let preview = upload("/admin/org", "next.csv", good.into_bytes()).await.unwrap();
    assert_eq!(preview.status(), 200);
    let html = preview.text().await.unwrap();
    assert!(html.contains("Import next.csv?"), "{html}");
    assert!(html.contains("next.csv holds 10 people."), "{html}");
    let active = people_before["people"].as_u64().unwrap();
    let leaving = format!(
        "of the {active} active people are not in the file, or are in it as leavers, and will be marked as left"
    );
    assert!(html.contains(&leaving), "{html}");
    assert!(
        html.contains("more than the 10% an import may mark as left without confirmation"),
        "{html}"
    );
    assert!(html.contains("type=\"checkbox\" name=\"allow_leavers\""), "{html}");
    assert!(html.contains("Level changes: "), "the preview names whose level changes: {html}");
    assert!(html.contains("Manager changes: "), "and whose manager: {html}");
    assert!(html.contains("Marked as left: "), "and who leaves: {html}");
    assert!(html.contains(" more."), "the first of them, with how many more: {html}");
    assert_eq!(
        app.get_json("/api/v1/org/stats").await.1,
        people_before,
        "a preview writes nothing"
    );
    let token =
        html.split("name=\"token\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let left = html
        .split("name=\"allow_leavers\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let unticked =
        app.post_form("/admin/org/confirm", &[("token", &token), ("confirmed", "yes")]).await;
    assert_eq!(unticked.status(), 409);
    let html = unticked.text().await.unwrap();
    assert!(
        html.contains(&format!(
            "this import would mark {left} of the {active} active people as left"
        )),
        "{html}"
    );
    assert!(html.contains("Tick the box if these"), "{html}");
    assert_eq!(app.get_json("/api/v1/org/stats").await.1, people_before, "nothing was imported");
    let imported = app
        .post_form(
            "/admin/org/confirm",
            &[("token", &token), ("allow_leavers", &left), ("confirmed", "yes")],
        )
        .await;
    assert_eq!(imported.status(), 200);
    assert!(imported.text().await.unwrap().contains("next.csv: imported 10 people"));
    let again = app
        .post_form(
            "/admin/org/confirm",
            &[("token", &token), ("allow_leavers", &left), ("confirmed", "yes")],
        )
        .await;
    assert_eq!(again.status(), 409, "a preview imports once");
    assert!(again.text().await.unwrap().contains("upload the file again"));

    let as_json = app
        .client
        .post(app.url("/admin/cycles"))
        .header("x-csrf-token", &app.csrf)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(as_json.status(), 415, "a form post expects a form");
    let opened = app.post_form("/admin/cycles", &[("name", "2027-H1"), ("alongside", "yes")]).await;
    assert_eq!(opened.status(), 303);
    let twice = app.post_form("/admin/cycles", &[("name", "2027-H1"), ("alongside", "yes")]).await;
    assert_eq!(twice.status(), 409);
    assert!(twice.text().await.unwrap().contains("cycle `2027-H1` already exists"));
}

#[tokio::test]
async fn a_wrong_method_on_an_api_path_answers_405_with_allow_and_the_error_shape() {
    let app = spawn_app("methods").await;
    let anonymous = app.anonymous();
    for (method, path, allow) in [
        ("DELETE", "/api/v1/cycles", "GET, HEAD, POST"),
        ("PUT", "/api/v1/people/E00002", "GET, HEAD"),
        ("GET", "/api/v1/assessments/1/submit", "POST"),
        ("PATCH", "/api/v1/org/import", "POST"),
        ("POST", "/api/openapi.json", "GET, HEAD"),
        ("OPTIONS", "/api/v1/me", "GET, HEAD"),
    ] {
        for (who, client) in [("admin", &app), ("anonymous", &anonymous)] {
            let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
            let response = client
                .client
                .request(method.clone(), client.url(path))
                .header("x-csrf-token", &client.csrf)
                .send()
                .await
                .unwrap();
            let what = format!("{who}: {method} {path}");
            assert_eq!(response.status(), 405, "{what}");
            assert_eq!(response.headers()["allow"], allow, "{what}");
            assert_eq!(response.headers()["content-type"], "application/json", "{what}");
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["error"]["code"], "method_not_allowed", "{what}: {body}");
        }
    }
    // An unknown API path is still a JSON 404, whatever the method.
    let unknown = app.client.delete(app.url("/api/v1/nowhere")).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
    assert_eq!(unknown.headers()["content-type"], "application/json");
}

#[tokio::test]
async fn the_org_check_lists_its_findings_a_page_at_a_time() {
    let app = spawn_app("org-check-pages").await;
    let (status, whole) = app.get_json("/api/v1/org/check?limit=1000").await;
    assert_eq!(status, 200, "{whole}");
    let total = whole["total"].as_u64().unwrap();
    let counts = &whole["counts"];
    assert_eq!(
        counts["errors"].as_u64().unwrap()
            + counts["warnings"].as_u64().unwrap()
            + counts["infos"].as_u64().unwrap(),
        total
    );
    assert_eq!(whole["findings"].as_array().unwrap().len() as u64, total);
    assert_eq!(whole["next_offset"], Value::Null);
    assert!(total > 4, "the demo has findings to page through: {whole}");
    // Pages of 3, followed by `next_offset`, give the same list in the same order.
    let mut paged = Vec::new();
    let mut next = Some(0);
    while let Some(offset) = next {
        let (status, page) =
            app.get_json(&format!("/api/v1/org/check?limit=3&offset={offset}")).await;
        assert_eq!(status, 200, "{page}");
        assert!(page["findings"].as_array().unwrap().len() <= 3);
        assert_eq!(page["counts"], *counts);
        paged.extend(page["findings"].as_array().unwrap().iter().cloned());
        next = page["next_offset"].as_u64();
    }
    assert_eq!(Value::Array(paged), whole["findings"]);
    // The default page is the first 200.
    let (_, first) = app.get_json("/api/v1/org/check").await;
    assert_eq!(first["findings"].as_array().unwrap().len() as u64, total.min(200));
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
        ("offset=1000000001", "offset"),
    ] {
        let (status, body) = app.get_json(&format!("/api/v1/org/check?{query}")).await;
        assert_eq!(
            (status, body["error"]["field"].as_str()),
            (400, Some(field)),
            "{query}: {body}"
        );
        assert!(
            body["error"]["message"].as_str().unwrap().contains("is not a whole number"),
            "{body}"
        );
    }
    // The org page counts the whole org's findings, as the API does.
    let page = app.get("/org").await.text().await.unwrap();
    let words = |count: u64, one: &str| {
        if count == 1 { format!("1 {one}") } else { format!("{count} {one}s") }
    };
    let expected = format!(
        "Org check: <a href=\"#findings\">{}, {}</a>.",
        words(counts["errors"].as_u64().unwrap(), "error"),
        words(counts["warnings"].as_u64().unwrap(), "warning")
    );
    assert!(page.contains(&expected), "{expected} on the org page");
}
