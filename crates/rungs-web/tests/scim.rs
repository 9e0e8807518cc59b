//! Directory sync over SCIM, as Okta and Microsoft Entra ID drive it: the request sequences
//! their provisioning documentation gives for create, update, manager change and deactivate,
//! replayed over HTTP against a served demo org; what each change does to the org chart and
//! the audit log; what is refused (with SCIM's error shape) and that nothing is written then;
//! the stored mapping `scim`; and who may reach the endpoints at all.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use rungs_core::access::Role;
use rungs_core::org::Status;
use rungs_store::AuditFilter;
use serde_json::{Value, json};
use support::{TestApp, spawn_app};

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const RUNGS: &str = "urn:ietf:params:scim:schemas:extension:rungs:2.0:User";
const PATCH: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// The demo server, and a client with a directory's token.
async fn directory(name: &str) -> (TestApp, TestApp) {
    let app = spawn_app(name).await;
    let token = app.app.create_token("okta", Role::Scim).await.unwrap();
    let scim = app.with_token(&token.secret);
    (app, scim)
}

/// Sends `body` as SCIM does (`application/scim+json`); the status and the answer.
async fn send(
    scim: &TestApp,
    method: reqwest::Method,
    path: &str,
    body: Option<&Value>,
) -> (u16, Value) {
    let mut request = scim.client.request(method, scim.url(&format!("/scim/v2{path}")));
    if let Some(body) = body {
        request = request.header("content-type", "application/scim+json").body(body.to_string());
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    if status == 204 {
        return (status, Value::Null);
    }
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    assert_eq!(content_type, "application/scim+json", "{path}");
    (status, response.json().await.unwrap())
}

async fn get(scim: &TestApp, path: &str) -> (u16, Value) {
    send(scim, reqwest::Method::GET, path, None).await
}

fn patch(operations: Value) -> Value {
    let mut body = json!({ "schemas": [PATCH] });
    body["Operations"] = operations;
    body
}

/// How many people the store has, active and left: a refused change adds none.
async fn head_count(app: &TestApp) -> (u64, u64) {
    app.app.head_counts().await.unwrap()
}

/// Okta's user as its SCIM 2.0 reference shows it (`POST /Users`), with the Enterprise and
/// Rungs extensions an admin maps in the app's profile.
fn okta_user(user_name: &str, manager: &str) -> Value {
    json!({
        "schemas": [USER, ENTERPRISE, RUNGS],
        "userName": user_name,
        "name": { "givenName": "Grace", "familyName": "Hopper" },
        "emails": [{ "primary": true, "value": user_name, "type": "work" }],
        "displayName": "Grace Hopper",
        "locale": "en-US",
        "externalId": "00ujl29u0le5T6Aj10h7",
        "groups": [],
        "password": "1mH*********",
        "active": true,
        ENTERPRISE: { "manager": { "value": manager }, "department": "Compilers" },
        RUNGS: { "level": "em" },
    })
}

#[tokio::test]
async fn okta_creates_updates_moves_and_deactivates_a_person() {
    let (app, scim) = directory("scim-okta").await;
    let before = head_count(&app).await;
    // Okta first looks the user up by userName.
    let (status, found) = get(
        &scim,
        "/Users?filter=userName%20eq%20%22grace%40example.com%22&startIndex=1&count=100",
    )
    .await;
    assert_eq!((status, found["totalResults"].as_u64()), (200, Some(0)), "{found}");

    let (status, created) = send(
        &scim,
        reqwest::Method::POST,
        "/Users",
        Some(&okta_user("grace@example.com", "E00002")),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["userName"], "grace@example.com");
    assert_eq!(created["active"], true);
    assert_eq!(created[RUNGS]["level"], "em");
    assert_eq!(created[ENTERPRISE]["manager"]["value"], "E00002");
    assert!(created.get("password").is_none(), "a password is never kept or shown");
    let person = app.app.person(&id).await.unwrap();
    assert_eq!(
        (person.name.as_str(), person.email.as_str(), person.team.as_str()),
        ("Grace Hopper", "grace@example.com", "Compilers")
    );
    assert_eq!(person.manager_id.unwrap().as_str(), "E00002");
    assert_eq!(head_count(&app).await, (before.0 + 1, before.1));
    // Found by userName (ignoring case) and by externalId now.
    let (_, found) = get(&scim, "/Users?filter=userName%20eq%20%22GRACE%40example.com%22").await;
    assert_eq!(
        (found["totalResults"].as_u64(), found["Resources"][0]["id"].as_str()),
        (Some(1), Some(id.as_str()))
    );
    let (_, found) = get(&scim, "/Users?filter=externalId%20eq%20%2200ujl29u0le5T6Aj10h7%22").await;
    assert_eq!(found["totalResults"], 1);

    // A profile push: Okta replaces the user with PUT. A new title and a new manager.
    let mut changed = okta_user("grace@example.com", "E00003");
    changed["title"] = json!("Compiler Lead");
    let (status, replaced) =
        send(&scim, reqwest::Method::PUT, &format!("/Users/{id}"), Some(&changed)).await;
    assert_eq!(status, 200, "{replaced}");
    assert_eq!(replaced["title"], "Compiler Lead");
    let person = app.app.person(&id).await.unwrap();
    assert_eq!(
        (person.title.as_str(), person.manager_id.unwrap().as_str()),
        ("Compiler Lead", "E00003")
    );

    // Someone reports to her; then Okta deactivates her with a value object and no path.
    let mut report = okta_user("ada@example.com", &id);
    report["externalId"] = json!("00ujl29u0le5T6Aj10h8");
    report["displayName"] = json!("Ada Lovelace");
    let (status, report) = send(&scim, reqwest::Method::POST, "/Users", Some(&report)).await;
    assert_eq!(status, 201, "{report}");
    let report_id = report["id"].as_str().unwrap().to_owned();
    let deactivate = patch(json!([{ "op": "replace", "value": { "active": false } }]));
    let (status, deactivated) =
        send(&scim, reqwest::Method::PATCH, &format!("/Users/{id}"), Some(&deactivate)).await;
    assert_eq!((status, &deactivated["active"]), (200, &json!(false)), "{deactivated}");
    assert_eq!(app.app.person(&id).await.unwrap().status, Status::Left);
    // Her report moved up to her manager rather than staying under a leaver.
    let moved = app.app.person(&report_id).await.unwrap();
    assert_eq!(moved.manager_id.unwrap().as_str(), "E00003");
    // Reactivated, she is active again (her report stays where it moved).
    let reactivate = patch(json!([{ "op": "replace", "value": { "active": true } }]));
    let (status, _) =
        send(&scim, reqwest::Method::PATCH, &format!("/Users/{id}"), Some(&reactivate)).await;
    assert_eq!(status, 200);
    assert_eq!(app.app.person(&id).await.unwrap().status, Status::Active);

    // Every change is in the audit log, in the token's name.
    let audit = app.app.audit(&AuditFilter::default()).await.unwrap();
    let actions: Vec<&str> = audit
        .iter()
        .filter(|record| record.entry.actor == "token:okta")
        .map(|record| record.entry.action.as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "org.directory.update",
            "org.directory.update",
            "org.directory.create",
            "org.directory.update",
            "org.directory.create"
        ]
    );
}

#[tokio::test]
async fn entra_id_creates_patches_a_manager_and_email_and_deletes() {
    let (app, scim) = directory("scim-entra").await;
    // Entra ID's test sequence: look up by userName, then create.
    let (status, found) = get(&scim, "/Users?filter=userName+eq+%22alan%40example.com%22").await;
    assert_eq!((status, found["totalResults"].as_u64()), (200, Some(0)));
    let user = json!({
        "schemas": [USER, ENTERPRISE, RUNGS],
        "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
        "userName": "alan@example.com",
        "active": true,
        "displayName": "Alan Turing",
        "emails": [{ "primary": true, "type": "work", "value": "alan@example.com" }],
        "name": { "formatted": "Alan Turing", "familyName": "Turing", "givenName": "Alan" },
        "title": "Staff Engineer",
        ENTERPRISE: { "employeeNumber": "A-1912", "department": "Research" },
        RUNGS: { "level": "ic5" },
    });
    let (status, created) = send(&scim, reqwest::Method::POST, "/Users", Some(&user)).await;
    assert_eq!(status, 201, "{created}");
    // The employeeNumber is the person's id, so HR exports and the directory agree.
    assert_eq!(created["id"], "A-1912");
    assert_eq!(created[ENTERPRISE]["employeeNumber"], "A-1912");
    // Entra ID patches with capitalised ops, a bare manager id, a filtered email path and a
    // boolean as text.
    let update = patch(json!([
        { "op": "Replace", "path": "displayName", "value": "Alan M. Turing" },
        { "op": "Add", "path": format!("{ENTERPRISE}:manager"), "value": "E00004" },
        { "op": "Replace", "path": "emails[type eq \"work\"].value", "value": "turing@example.com" },
    ]));
    let (status, patched) =
        send(&scim, reqwest::Method::PATCH, "/Users/A-1912", Some(&update)).await;
    assert_eq!(status, 200, "{patched}");
    assert_eq!(patched[ENTERPRISE]["manager"]["value"], "E00004");
    assert_eq!(patched["emails"][0]["value"], "turing@example.com");
    let person = app.app.person("A-1912").await.unwrap();
    assert_eq!(
        (person.name.as_str(), person.email.as_str(), person.manager_id.unwrap().as_str()),
        ("Alan M. Turing", "turing@example.com", "E00004")
    );
    // Removing the manager.
    let unmanaged = patch(json!([{ "op": "Remove", "path": format!("{ENTERPRISE}:manager") }]));
    let (status, _) = send(&scim, reqwest::Method::PATCH, "/Users/A-1912", Some(&unmanaged)).await;
    assert_eq!(status, 200);
    assert_eq!(app.app.person("A-1912").await.unwrap().manager_id, None);
    // Soft delete: `active` replaced with the text "False".
    let disable = patch(json!([{ "op": "Replace", "path": "active", "value": "False" }]));
    let (status, disabled) =
        send(&scim, reqwest::Method::PATCH, "/Users/A-1912", Some(&disable)).await;
    assert_eq!((status, &disabled["active"]), (200, &json!(false)));
    // Hard delete: the person stays, as left, and is no longer a directory user.
    let (status, _) = send(&scim, reqwest::Method::DELETE, "/Users/A-1912", None).await;
    assert_eq!(status, 204);
    let (status, gone) = get(&scim, "/Users/A-1912").await;
    assert_eq!(status, 404, "{gone}");
    assert_eq!(gone["schemas"][0], "urn:ietf:params:scim:api:messages:2.0:Error");
    assert_eq!(gone["status"], "404");
    assert_eq!(app.app.person("A-1912").await.unwrap().status, Status::Left);
}

#[tokio::test]
async fn a_person_an_import_made_is_taken_over_once() {
    let (app, scim) = directory("scim-adopt").await;
    let existing = app.app.person("E00010").await.unwrap();
    let mut user = okta_user(existing.email.as_str(), "E00002");
    user[ENTERPRISE]["employeeNumber"] = json!("E00010");
    user["displayName"] = json!(existing.name.clone());
    let before = head_count(&app).await;
    let (status, linked) = send(&scim, reqwest::Method::POST, "/Users", Some(&user)).await;
    assert_eq!((status, linked["id"].as_str()), (201, Some("E00010")), "{linked}");
    assert_eq!(head_count(&app).await, before, "the person was taken over, not added");
    // A second create of the same person is a uniqueness conflict.
    let (status, again) = send(&scim, reqwest::Method::POST, "/Users", Some(&user)).await;
    assert_eq!((status, again["scimType"].as_str()), (409, Some("uniqueness")), "{again}");
    // Without an employeeNumber, a person is taken over by their email.
    let other = app.app.person("E00011").await.unwrap();
    let mut user = okta_user(other.email.as_str(), "E00002");
    user["externalId"] = json!("other");
    let (status, linked) = send(&scim, reqwest::Method::POST, "/Users", Some(&user)).await;
    assert_eq!((status, linked["id"].as_str()), (201, Some("E00011")), "{linked}");
    let audit = app.app.audit(&AuditFilter::default()).await.unwrap();
    assert_eq!(audit[0].entry.action, "org.directory.link");
}

#[tokio::test]
async fn bad_users_are_refused_with_what_is_wrong_and_nothing_is_written() {
    let (app, scim) = directory("scim-refused").await;
    let before = head_count(&app).await;
    let version = rungs_store::Records::org_version(app.app.store()).await.unwrap();
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "no level",
            {
                let mut u = okta_user("a@example.com", "E00002");
                u[RUNGS] = json!({});
                u
            },
            "`urn:ietf:params:scim:schemas:extension:rungs:2.0:User:level`: is required",
        ),
        (
            "an unknown level",
            {
                let mut u = okta_user("a@example.com", "E00002");
                u[RUNGS]["level"] = json!("M7");
                u
            },
            "`level`: unknown level `M7`",
        ),
        (
            "a control character",
            {
                let mut u = okta_user("a@example.com", "E00002");
                u["displayName"] = json!("Grace\u{7}");
                u
            },
            "`displayName`: holds a control character",
        ),
        (
            "no email",
            {
                let mut u = okta_user("grace", "E00002");
                u["emails"] = json!([]);
                u
            },
            "`emails`: a person needs an email address",
        ),
        (
            "an unknown manager",
            okta_user("a@example.com", "E99999"),
            "manager `E99999` is not a person Rungs knows",
        ),
        (
            "a wrong type",
            {
                let mut u = okta_user("a@example.com", "E00002");
                u["active"] = json!(3);
                u
            },
            "`active`: must be true or false",
        ),
        (
            "a long title",
            {
                let mut u = okta_user("a@example.com", "E00002");
                u["title"] = json!("x".repeat(1001));
                u
            },
            "`title`: is longer than 1000 characters",
        ),
        (
            "an email someone active has",
            {
                // A new person (their own employeeNumber) with someone else's address.
                let taken = app.app.person("E00005").await.unwrap();
                let mut u = okta_user(taken.email.as_str(), "E00002");
                u[ENTERPRISE]["employeeNumber"] = json!("N-1");
                u
            },
            "is the email of",
        ),
    ];
    for (what, user, message) in cases {
        let (status, refused) = send(&scim, reqwest::Method::POST, "/Users", Some(&user)).await;
        assert!(status == 400 || status == 409, "{what}: {status} {refused}");
        let detail = refused["detail"].as_str().unwrap();
        assert!(detail.contains(message), "{what}: {detail}");
        assert_eq!(refused["schemas"][0], "urn:ietf:params:scim:api:messages:2.0:Error");
    }
    let (status, refused) =
        send(&scim, reqwest::Method::POST, "/Users", Some(&json!("not a user"))).await;
    assert_eq!((status, refused["scimType"].as_str()), (400, Some("invalidSyntax")));
    let (status, refused) = get(&scim, "/Users?filter=displayName%20eq%20%22Grace%22").await;
    assert_eq!((status, refused["scimType"].as_str()), (400, Some("invalidFilter")));
    assert_eq!(head_count(&app).await, before);
    assert_eq!(
        rungs_store::Records::org_version(app.app.store()).await.unwrap(),
        version,
        "nothing was written"
    );

    // A manager below the person is a cycle, named in full; the chart stays as it was.
    let (_, top) =
        send(&scim, reqwest::Method::POST, "/Users", Some(&okta_user("top@example.com", "E00002")))
            .await;
    let top_id = top["id"].as_str().unwrap().to_owned();
    let mut below = okta_user("below@example.com", &top_id);
    below["externalId"] = json!("below");
    let (_, below) = send(&scim, reqwest::Method::POST, "/Users", Some(&below)).await;
    let below_id = below["id"].as_str().unwrap().to_owned();
    let cycle = patch(
        json!([{ "op": "replace", "path": format!("{ENTERPRISE}:manager.value"), "value": below_id }]),
    );
    let (status, refused) =
        send(&scim, reqwest::Method::PATCH, &format!("/Users/{top_id}"), Some(&cycle)).await;
    assert_eq!(status, 400, "{refused}");
    let detail = refused["detail"].as_str().unwrap();
    assert!(detail.contains(&format!("({top_id} -> {below_id} -> {top_id})")), "{detail}");
    assert_eq!(app.app.person(&top_id).await.unwrap().manager_id.unwrap().as_str(), "E00002");
    // A userName another user has is refused, ignoring case.
    let mut clash = okta_user("TOP@example.com", "E00002");
    clash["emails"] = json!([{ "value": "clash@example.com" }]);
    let (status, refused) = send(&scim, reqwest::Method::POST, "/Users", Some(&clash)).await;
    assert_eq!((status, refused["scimType"].as_str()), (409, Some("uniqueness")), "{refused}");
}

#[tokio::test]
async fn the_stored_mapping_named_scim_translates_what_the_directory_sends() {
    let (app, scim) = directory("scim-mapping").await;
    let mapping = "[levels]\nM1 = \"em\"\n\n[ids]\nleading_zeros = \"strip\"\n\n[off_ladder]\nteams = [\"Sales\"]\npeople = \"keep\"\n";
    let (status, saved) = app
        .send_text(reqwest::Method::PUT, "/api/v1/org/mappings/scim", "application/toml", mapping)
        .await;
    assert_eq!(status, 200, "{saved}");
    let mut user = okta_user("mapped@example.com", "E00002");
    user[RUNGS]["level"] = json!("M1");
    user[ENTERPRISE]["employeeNumber"] = json!("000123");
    let (status, created) = send(&scim, reqwest::Method::POST, "/Users", Some(&user)).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(
        (created["id"].as_str(), created[RUNGS]["level"].as_str()),
        (Some("123"), Some("em"))
    );
    assert_eq!(app.app.person("123").await.unwrap().level.unwrap().as_str(), "em");
    // Sales is kept off the ladder: in the chart, with no level.
    let mut seller = okta_user("seller@example.com", "E00002");
    seller["externalId"] = json!("seller");
    seller[RUNGS]["level"] = json!("S1");
    seller[ENTERPRISE]["department"] = json!("Sales");
    let (status, kept) = send(&scim, reqwest::Method::POST, "/Users", Some(&seller)).await;
    assert_eq!(status, 201, "{kept}");
    assert!(kept.get(RUNGS).is_none(), "no level to show: {kept}");
    let person = app.app.person(kept["id"].as_str().unwrap()).await.unwrap();
    assert_eq!((person.level, person.manager_id.unwrap().as_str()), (None, "E00002"));
}

#[tokio::test]
async fn only_a_directory_token_reaches_scim_and_it_reaches_nothing_else() {
    let (app, scim) = directory("scim-access").await;
    let (status, _) = get(&scim, "/Users").await;
    assert_eq!(status, 200);
    let (status, _) = get(&scim, "/ServiceProviderConfig").await;
    assert_eq!(status, 200);
    // The directory's token sees nothing of the app.
    for path in ["/api/v1/people/E00001", "/api/v1/org/stats", "/", "/admin"] {
        assert_eq!(scim.get(path).await.status(), 404, "{path}");
    }
    // An admin (session or token) finds no SCIM endpoint; without a token it is a 401.
    let admin_token = app.app.create_token("ops", Role::Admin).await.unwrap();
    for client in [&app, &app.with_token(&admin_token.secret)] {
        let (status, refused) = get(client, "/Users").await;
        assert_eq!(status, 404, "{refused}");
    }
    let response = app.anonymous().get("/scim/v2/Users").await;
    assert_eq!(response.status(), 401);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    let refused: Value = response.json().await.unwrap();
    assert_eq!(refused["status"], "401");
    // An account never has the role scim.
    let refused = app.app.add_account("sync@example.com", Role::Scim).await.unwrap_err();
    assert!(refused.to_string().contains("a role for API tokens only"), "{refused}");
    // Pages of users are bounded and numbered from 1.
    for n in 0..3 {
        let mut user = okta_user(&format!("u{n}@example.com"), "E00002");
        user["externalId"] = json!(format!("x{n}"));
        assert_eq!(send(&scim, reqwest::Method::POST, "/Users", Some(&user)).await.0, 201);
    }
    let (_, page) = get(&scim, "/Users?startIndex=2&count=1&attributes=userName").await;
    assert_eq!(
        (page["totalResults"].as_u64(), page["startIndex"].as_u64(), page["itemsPerPage"].as_u64()),
        (Some(3), Some(2), Some(1))
    );
    let listed = &page["Resources"][0];
    assert!(listed.get("userName").is_some() && listed.get("emails").is_none(), "{listed}");
}
