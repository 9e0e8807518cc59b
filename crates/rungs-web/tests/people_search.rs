//! Finding people by name, email or id: the header search and its results page, the search
//! API, and the fields that name a person (a peer assessor, an action's owner). Nobody finds
//! someone they may not open, except a colleague to ask for a peer assessment.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use serde_json::{Value, json};
use support::spawn_app;

/// Everyone the search API finds for `typed`, as (id, name).
async fn found(app: &support::TestApp, typed: &str) -> (Vec<(String, String)>, u64) {
    let (status, body) = app.get_json(&format!("/api/v1/people?q={typed}")).await;
    assert_eq!(status, 200, "{body}");
    let people = body["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|person| {
            (person["id"].as_str().unwrap().to_owned(), person["name"].as_str().unwrap().to_owned())
        })
        .collect();
    (people, body["total"].as_u64().unwrap())
}

async fn person(app: &support::TestApp, id: &str) -> Value {
    app.get_json(&format!("/api/v1/people/{id}")).await.1["person"].clone()
}

#[tokio::test]
async fn the_header_search_finds_people_by_name_email_or_id() {
    let app = spawn_app("people-search").await;
    let (subject, manager) = app.assessed_person().await;
    let someone = person(&app, &subject).await;
    let (name, email) = (
        someone["name"].as_str().unwrap().to_owned(),
        someone["email"].as_str().unwrap().to_owned(),
    );
    let whole = format!("/people/{subject}");

    // A whole name, an email (in any case) or an id opens the page.
    for typed in [name.clone(), email.to_uppercase(), subject.clone()] {
        let response = app.get(&format!("/people?q={}", urlencode(&typed))).await;
        assert_eq!(response.status(), 303, "{typed}");
        assert_eq!(response.headers()["location"], whole.as_str(), "{typed}");
    }
    // The old parameter still works for bookmarks.
    assert_eq!(
        app.get(&format!("/people?id={subject}")).await.headers()["location"],
        whole.as_str()
    );

    // A part that matches several lists them, best first, with level and team.
    let (many, total) = found(&app, "a").await;
    assert!(total > 1 && !many.is_empty(), "{many:?}");
    let page = app.get("/people?q=a").await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("<h1>People matching “a”</h1>"), "{page}");
    assert!(page.contains("people match"), "{page}");
    assert!(
        page.contains(&format!("<a href=\"/people/{}\">{}</a>", many[0].0, many[0].1)),
        "{page}"
    );
    assert!(page.contains("<nav aria-label=\"Main\">"), "the results page keeps the navigation");

    // Nothing found says what to try, and keeps what was typed.
    let none = app.get("/people?q=Zebediah%20Quux").await.text().await.unwrap();
    assert!(none.contains("No one you can open matches “Zebediah Quux”"), "{none}");
    assert!(none.contains("value=\"Zebediah Quux\""), "{none}");

    // An employee finds themselves and the people below them, nobody else: not their
    // manager, however exactly they type them.
    let employee = app.as_person(&subject).await;
    let boss = person(&app, &manager).await;
    let boss_name = boss["name"].as_str().unwrap();
    let (visible, _) = found(&employee, boss_name).await;
    assert!(visible.iter().all(|(id, _)| id != &manager), "{visible:?}");
    let (visible, _) = found(&employee, boss["email"].as_str().unwrap()).await;
    assert!(visible.is_empty(), "an email of someone they may not open finds nobody");
    let refused = employee.get(&format!("/people?q={}", urlencode(boss_name))).await;
    assert_eq!(refused.status(), 200);
    assert!(refused.text().await.unwrap().contains("No one you can open matches"));
    let (own, _) = found(&employee, &name).await;
    assert_eq!(own[0].0, subject, "they find themselves");

    // Only someone who may ask for a peer assessment searches the whole org through the
    // assessor field: an employee's text lists nobody.
    for kind in ["self", "peer"] {
        let ask = json!({"cycle": "2026-H2", "kind": kind, "assessor": "a"});
        let (status, body) =
            employee.post_json(&format!("/api/v1/people/{subject}/assessments"), &ask).await;
        assert!((400..500).contains(&status), "{kind}: {body}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(!message.contains("matches") && !message.contains('@'), "{kind}: {message}");
    }

    // The API asks for `q`.
    let (status, body) = app.get_json("/api/v1/people").await;
    assert_eq!((status, body["error"]["code"].as_str()), (400, Some("bad_request")), "{body}");
}

#[tokio::test]
async fn fields_that_name_a_person_take_a_name_or_an_email() {
    let app = spawn_app("people-fields").await;
    let (subject, manager) = app.assessed_person().await;
    let owner = person(&app, &subject).await;
    let manager_app = app.as_person(&manager).await;

    // A growth plan's action owned by someone named by email.
    let (_, standing) = app.get_json(&format!("/api/v1/people/{subject}/readiness")).await;
    let target = standing["readiness"]["target"].as_str().unwrap().to_owned();
    let expectation = standing["readiness"]["dimensions"][0]["expectations"][0]["expectation"]
        .as_str()
        .unwrap()
        .to_owned();
    let plan = json!({"target": target, "focus": [expectation]});
    assert_eq!(
        manager_app.post_json(&format!("/api/v1/people/{subject}/plan"), &plan).await.0,
        201
    );
    let email = owner["email"].as_str().unwrap();
    let added = manager_app
        .post_form(
            &format!("/people/{subject}/plan/actions"),
            &[
                ("expectation", &expectation),
                ("text", "Pair on a design"),
                ("owner", email),
                ("due", "2027-04-01"),
            ],
        )
        .await;
    assert_eq!(added.status(), 303);
    let (_, plan) = app.get_json(&format!("/api/v1/people/{subject}/plan")).await;
    let actions = plan["plan"]["actions"].as_array().unwrap();
    assert_eq!(actions.last().unwrap()["owner"], subject.as_str(), "{plan}");

    // A part of a name that fits several is refused, naming them; the form keeps what was typed.
    let refused = manager_app
        .post_form(
            &format!("/people/{subject}/plan/actions"),
            &[
                ("expectation", &expectation),
                ("text", "Write the doc"),
                ("owner", "e"),
                ("due", "2027-04-01"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(page.contains("owner: “e” matches "), "{page}");
    assert!(page.contains("type the email of the one you mean"), "{page}");
    assert!(page.contains("value=\"Write the doc\"") || page.contains(">Write the doc<"), "kept");
    let unknown = manager_app
        .post_json(
            &format!("/api/v1/people/{subject}/plan/actions"),
            &json!({"expectation": expectation, "text": "x", "owner": "Zebediah Quux", "due": "2027-04-01"}),
        )
        .await;
    assert_eq!(
        (unknown.0, unknown.1["error"]["field"].as_str(), unknown.1["error"]["message"].as_str()),
        (
            422,
            Some("owner"),
            Some(
                "there is no person “Zebediah Quux” you can name here; type a name, an email or an id"
            )
        )
    );
    // The audit page filters by a name too, and names the people of its entries.
    let name = owner["name"].as_str().unwrap();
    let audit = app.get(&format!("/admin/audit?person={}", urlencode(name))).await;
    assert_eq!(audit.status(), 200);
    let audit = audit.text().await.unwrap();
    assert!(audit.contains(&format!("<a href=\"/people/{subject}\">{name}</a>")), "{audit}");
    assert!(audit.contains(&format!("value=\"{name}\"")), "what was typed is kept");
    assert!(audit.contains("plan.action"), "{audit}");
    let unknown = app.get("/admin/audit?person=Zebediah%20Quux").await;
    assert_eq!(unknown.status(), 422);
    assert!(unknown.text().await.unwrap().contains("person: there is no person “Zebediah Quux”"));
    let (_, after) = app.get_json(&format!("/api/v1/people/{subject}/plan")).await;
    assert_eq!(
        after["plan"]["actions"].as_array().unwrap().len(),
        actions.len(),
        "nothing was added"
    );
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}
