//! The authorization matrix: every route the router serves (taken from `rungs_web::ROUTES`, so
//! a new route cannot be forgotten) times every role, over a real socket, asserting the exact
//! set of roles let through. Runs on SQLite, and on PostgreSQL when `RUNGS_TEST_PG_URL` is set.
//!
//! A request counts as *denied* when the guard answers it: 404 (hidden like a missing
//! record), 403, 401, or a redirect to the sign-in page. Anything else (200, 303, 409, a 422
//! for the deliberately invalid bodies sent here) means the guard let it through to the
//! handler. Bodies are invalid on purpose so that allowed writes change as little as possible.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use std::collections::BTreeSet;
use std::fmt;

use rungs_app::{App, NewAssessmentInput};
use rungs_core::assess::AssessmentKind;
use rungs_core::org::OrgChart;
use rungs_store::Store;
use rungs_web::{ROUTES, Route, WebState};
use support::TestApp;

/// Who asks, relative to the subject `S` of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    /// `S` themselves, an `employee` account.
    Employee,
    /// A colleague asked to write a peer assessment of `S`; not in `S`'s chain.
    Peer,
    /// `S`'s direct manager.
    Manager,
    /// The manager of `S`'s manager.
    SkipLevel,
    /// A manager in another branch of the org.
    OtherManager,
    Hr,
    Admin,
    Anonymous,
    /// A directory's API token (role `scim`): the SCIM endpoints, nothing else.
    Directory,
}

use Role::*;

const ROLES: [Role; 9] =
    [Employee, Peer, Manager, SkipLevel, OtherManager, Hr, Admin, Anonymous, Directory];
const EVERYONE: &[Role] = &ROLES;
const SIGNED_IN: &[Role] = &[Employee, Peer, Manager, SkipLevel, OtherManager, Hr, Admin];
const NOBODY: &[Role] = &[];
/// `S`, their managers, `hr` and `admin`.
const PERSON: &[Role] = &[Employee, Manager, SkipLevel, Hr, Admin];
const ORG: &[Role] = &[Hr, Admin];
const ADMIN: &[Role] = &[Admin];

impl fmt::Display for Role {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, formatter)
    }
}

/// Which assessment an assessment route names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Variant {
    /// The route names no assessment.
    Only,
    /// `S`'s self-assessment, a draft.
    SelfDraft,
    /// `S`'s manager assessment by `M`, submitted.
    ManagerSubmitted,
    /// A peer assessment of `S` by `P`, a draft.
    PeerDraft,
}

/// The exact set of roles the guard lets through. A route without a line here fails the
/// test: add the rule for a new route, on purpose.
fn expected(route: &Route, variant: Variant) -> &'static [Role] {
    use Variant::*;
    match (route.method, route.path, variant) {
        (
            "get",
            "/healthz" | "/static/style.css" | "/static/app.js" | "/api/openapi.json",
            Only,
        ) => EVERYONE,
        ("get" | "post", "/sign-in", Only) => EVERYONE,
        // Closed for good once the first account exists.
        ("get" | "post", "/setup", Only) => NOBODY,
        // Single sign-on is not configured on this instance (its flow has its own test).
        ("get", "/auth/oidc/start" | "/auth/oidc/callback", Only) => NOBODY,
        ("post", "/sign-out", Only) => SIGNED_IN,
        ("get", "/account", Only) | ("post", "/account/password" | "/account/mail", Only) => {
            SIGNED_IN
        }
        ("get", "/api/v1/me", Only) => SIGNED_IN,
        // Everyone's own tasks: the list is of the account's own person.
        ("get", "/" | "/api/v1/me/tasks", Only) => SIGNED_IN,
        // A mail's link to a task: it leads to the viewer's own task, or to their task list.
        ("get", "/tasks/open", Only) => SIGNED_IN,

        // The ladder is everyone's.
        (
            "get",
            "/ladder" | "/levels/{id}" | "/compare" | "/growth-areas/{id}" | "/people",
            Only,
        ) => SIGNED_IN,
        (
            "get",
            "/api/v1/framework"
            | "/api/v1/levels/{id}"
            | "/api/v1/compare"
            | "/api/v1/growth-areas/{id}"
            | "/api/v1/cycles",
            Only,
        ) => SIGNED_IN,
        // The search answers everyone signed in, with only the people each may open (its
        // own test: `people_search.rs`).
        ("get", "/api/v1/people", Only) => SIGNED_IN,

        // A person's data: themselves, their managers, hr and admin.
        (
            "get",
            "/people/{id}"
            | "/people/{id}/compare"
            | "/team/{id}"
            | "/api/v1/people/{id}"
            | "/api/v1/people/{id}/readiness"
            | "/api/v1/people/{id}/history"
            | "/api/v1/people/{id}/team"
            | "/api/v1/people/{id}/compare"
            | "/api/v1/people/{id}/plan"
            | "/api/v1/people/{id}/outcomes"
            | "/people/{id}/peers"
            | "/api/v1/people/{id}/nominations",
            Only,
        ) => PERSON,
        // Only the person acknowledges the outcome agreed for them.
        ("post", "/people/{id}/acknowledge" | "/api/v1/people/{id}/acknowledgements", Only) => {
            &[Employee]
        }
        (
            "post",
            "/people/{id}/assessments"
            | "/people/{id}/plan"
            | "/people/{id}/plan/actions"
            | "/actions/{id}/status"
            | "/api/v1/people/{id}/plan"
            | "/api/v1/people/{id}/plan/focus"
            | "/api/v1/people/{id}/plan/actions"
            | "/api/v1/actions/{id}/status"
            | "/api/v1/people/{id}/assessments"
            // Nominating and deciding: the handler then tells the subject (who proposes) from
            // their managers and hr (who approve); `nominations.rs` tests who may do which.
            | "/people/{id}/peers"
            | "/people/{id}/peers/decision"
            | "/people/{id}/peers/withdraw"
            | "/api/v1/people/{id}/nominations"
            | "/api/v1/people/{id}/nominations/decision"
            | "/api/v1/people/{id}/nominations/withdrawal",
            Only,
        ) => PERSON,

        // Assessments: nobody but its author sees a self-assessment draft; a peer sees what
        // they wrote; once submitted, the subject and their managers see it too.
        ("get", "/assessments/{id}" | "/api/v1/assessments/{id}", SelfDraft) => &[Employee],
        ("get", "/assessments/{id}" | "/api/v1/assessments/{id}", ManagerSubmitted) => {
            &[Employee, Manager, SkipLevel, Hr, Admin]
        }
        ("get", "/assessments/{id}" | "/api/v1/assessments/{id}", PeerDraft) => &[Peer, Hr, Admin],
        (
            "post",
            "/assessments/{id}"
            | "/api/v1/assessments/{id}/ratings"
            | "/api/v1/assessments/{id}/evidence"
            | "/api/v1/assessments/{id}/submit"
            | "/assessments/{id}/revise"
            | "/api/v1/assessments/{id}/revise"
            // Declining is the author's; the handler refuses anything but peer feedback.
            | "/assessments/{id}/decline"
            | "/api/v1/assessments/{id}/decline",
            variant,
        ) => match variant {
            SelfDraft => &[Employee],
            ManagerSubmitted => &[Manager],
            PeerDraft => &[Peer],
            Only => NOBODY,
        },
        ("post", "/assessments/{id}/agree" | "/api/v1/assessments/{id}/agree", variant) => {
            match variant {
                ManagerSubmitted => &[Manager, SkipLevel],
                _ => NOBODY,
            }
        }

        // The whole org and its cycles: hr and admin.
        (
            "get",
            "/org"
            | "/admin"
            | "/admin/cycles/{name}"
            | "/admin/cycles/{name}/progress.csv"
            | "/api/v1/assessments"
            | "/api/v1/org/stats"
            | "/api/v1/org/check"
            | "/api/v1/cycles/{name}"
            | "/api/v1/cycles/{name}/participants"
            | "/api/v1/cycles/{name}/progress",
            Only,
        ) => ORG,
        ("patch", "/api/v1/cycles/{name}/plan", Only) => ORG,
        (
            "post",
            "/admin/cycles"
            | "/admin/cycles/{name}/close"
            | "/admin/cycles/{name}/plan"
            | "/admin/cycles/{name}/participants"
            | "/api/v1/cycles"
            | "/api/v1/cycles/{name}/close",
            Only,
        ) => ORG,

        // Accounts, tokens, frameworks, imports, the audit log: admin only.
        (
            "post",
            "/admin/org"
            | "/admin/org/confirm"
            | "/admin/org/cancel"
            | "/admin/mappings"
            | "/admin/mappings/remove"
            | "/admin/framework"
            | "/admin/accounts"
            | "/admin/accounts/remove"
            | "/admin/accounts/role"
            | "/admin/tokens"
            | "/admin/tokens/{id}/revoke"
            | "/api/v1/framework"
            | "/api/v1/org/import",
            Only,
        ) => ADMIN,
        ("get", "/admin/accounts" | "/admin/audit" | "/admin/mail" | "/api/v1/audit", Only) => {
            ADMIN
        }
        ("get", "/api/v1/org/mappings" | "/api/v1/org/mappings/{name}", Only) => ADMIN,
        ("put" | "delete", "/api/v1/org/mappings/{name}", Only) => ADMIN,

        // Directory sync: a `scim` token only.
        (_, path, Only) if path.starts_with("/scim/v2/") => &[Directory],

        (method, path, variant) => {
            panic!(
                "no expected roles for {method} {path} ({variant:?}): add its rule to the matrix"
            )
        }
    }
}

/// The records the matrix's routes name.
struct Fixture {
    subject: String,
    peer: String,
    manager: String,
    skip_level: String,
    other_manager: String,
    self_draft: i64,
    manager_submitted: i64,
    peer_draft: i64,
    action: i64,
    token: i64,
    growth_area: String,
    /// The `scim` token's secret.
    directory_token: String,
    /// A person the directory created.
    directory_user: String,
}

/// `S`: a manager with reports, a manager and a skip-level manager; `P`: a colleague outside
/// `S`'s chain; `O`: a manager in another branch.
fn pick_people(chart: &OrgChart) -> (String, String, String, String, String) {
    let id = |member: usize| chart.member(member).id.to_string();
    for subject in 0..chart.len() {
        let chain = chart.chain(subject);
        if chain.len() < 2 || chart.direct_report_count(subject) == 0 {
            continue;
        }
        let (manager, skip_level) = (chain[0], chain[1]);
        let peer = chart.direct_reports(manager).find(|&member| member != subject);
        let other = (0..chart.len()).find(|&member| {
            chart.direct_report_count(member) > 0
                && member != subject
                && !chain.contains(&member)
                && !chart.chain(member).contains(&subject)
                && !chart.chain(member).contains(&manager)
        });
        if let (Some(peer), Some(other)) = (peer, other) {
            return (id(subject), id(peer), id(manager), id(skip_level), id(other));
        }
    }
    panic!(
        "the demo org has no manager with a skip-level manager, a sibling and a manager elsewhere"
    );
}

async fn fixture(app: &App) -> Fixture {
    let chart = app.current_org().await.unwrap();
    let (subject, peer, manager, skip_level, other_manager) = pick_people(&chart.chart);
    let admin = app.acting_as("matrix");
    admin.open_cycle("2027-H1", true).await.unwrap();
    admin.open_cycle("2027-H2", true).await.unwrap();
    let new = |kind, assessor: &str| NewAssessmentInput {
        cycle: "2027-H1".to_owned(),
        subject: subject.clone(),
        assessor: assessor.to_owned(),
        kind,
        target: None,
    };
    let self_draft =
        admin.create_assessment(new(AssessmentKind::SelfReview, &subject)).await.unwrap();
    let peer_draft = admin.create_assessment(new(AssessmentKind::Peer, &peer)).await.unwrap();
    let by_manager = admin.create_assessment(new(AssessmentKind::Manager, &manager)).await.unwrap();
    let framework = app.current_framework().await.unwrap();
    let target_level = framework.level(by_manager.target_level.as_str()).unwrap();
    let expectation = target_level.expectations[0].id.to_string();
    admin.rate(by_manager.id, &[(expectation.clone(), "meets".to_owned())]).await.unwrap();
    admin.submit(by_manager.id, rungs_core::assess::Unrated::NotObserved).await.unwrap();
    let target = by_manager.target_level.to_string();
    admin
        .create_plan(&subject, Some(&target), std::slice::from_ref(&expectation), 1)
        .await
        .unwrap();
    let due = jiff::civil::date(2027, 3, 1);
    let action =
        admin.add_action(&subject, &expectation, "Run the review", &subject, due).await.unwrap();
    let token = admin.create_token("matrix", rungs_core::access::Role::Employee).await.unwrap();
    admin.save_import_mapping(MAPPING, "[levels]\nM1 = \"em\"\n").await.unwrap();
    let growth_area = framework.growth_areas()[0].id.to_string();
    let directory_token =
        admin.create_token("directory", rungs_core::access::Role::Scim).await.unwrap().secret;
    let entry = rungs_app::DirectoryEntry {
        row: rungs_core::org::RosterRow {
            row: 1,
            name: "Dana Directory".to_owned(),
            email: "dana.directory@example.com".to_owned(),
            level: "em".to_owned(),
            status: "active".to_owned(),
            ..Default::default()
        },
        link: rungs_store::DirectoryLink {
            user_name: "dana.directory@example.com".to_owned(),
            external_id: None,
            resource: "{}".to_owned(),
        },
    };
    let directory_user = admin.create_directory_user(entry).await.unwrap().person.id.to_string();
    Fixture {
        subject,
        peer,
        manager,
        skip_level,
        other_manager,
        self_draft: self_draft.id.get(),
        manager_submitted: by_manager.id.get(),
        peer_draft: peer_draft.id.get(),
        action: action.id.get(),
        token: token.id,
        growth_area,
        directory_token,
        directory_user,
    }
}

/// The variants an assessment route is checked with.
fn variants(route: &Route) -> Vec<Variant> {
    if route.path.contains("/assessments/{id}") {
        vec![Variant::SelfDraft, Variant::ManagerSubmitted, Variant::PeerDraft]
    } else {
        vec![Variant::Only]
    }
}

/// The concrete path (with a query where the page needs one) for a route.
fn concrete(route: &Route, variant: Variant, fixture: &Fixture) -> String {
    let id = match variant {
        Variant::SelfDraft => fixture.self_draft.to_string(),
        Variant::ManagerSubmitted => fixture.manager_submitted.to_string(),
        Variant::PeerDraft => fixture.peer_draft.to_string(),
        Variant::Only if route.path.contains("actions/{id}") => fixture.action.to_string(),
        Variant::Only if route.path.starts_with("/admin/tokens/") => fixture.token.to_string(),
        Variant::Only if route.path.contains("levels/{id}") => "em".to_owned(),
        Variant::Only if route.path.contains("growth-areas/{id}") => fixture.growth_area.clone(),
        Variant::Only if route.path.starts_with("/scim/v2/ResourceTypes/") => "User".to_owned(),
        Variant::Only if route.path.starts_with("/scim/v2/Schemas/") => {
            "urn:ietf:params:scim:schemas:core:2.0:User".to_owned()
        }
        Variant::Only if route.path.starts_with("/scim/v2/Users/") => {
            fixture.directory_user.clone()
        }
        Variant::Only => fixture.subject.clone(),
    };
    let name = if route.path.contains("/mappings/") { MAPPING } else { "2027-H2" };
    let path = route.path.replace("{id}", &id).replace("{name}", name);
    let query = match route.path {
        "/compare" | "/api/v1/compare" => "?from=em&to=sem",
        "/people/{id}/compare" | "/api/v1/people/{id}/compare" => "?cycle=2027-H1",
        _ => "",
    };
    format!("{path}{query}")
}

/// The import mapping the fixture saves, for the routes that name one.
const MAPPING: &str = "matrix";

/// Whether the guard refused the request.
fn denied(response: &reqwest::Response) -> bool {
    let to_sign_in = response.status() == 303
        && response
            .headers()
            .get("location")
            .and_then(|location| location.to_str().ok())
            .is_some_and(|location| location.starts_with("/sign-in?next="));
    matches!(response.status().as_u16(), 401 | 403 | 404) || to_sign_in
}

async fn send(client: &TestApp, route: &Route, path: &str) -> reqwest::Response {
    let url = client.url(path);
    let request = match route.method {
        "get" => client.client.get(url),
        "post" if route.is_api() || route.is_scim() => client
            .client
            .post(url)
            .header("x-csrf-token", &client.csrf)
            .header("content-type", "application/json")
            .body(r#"{"matrix": "a field no endpoint accepts"}"#),
        "post" => client
            .client
            .post(url)
            .header("x-csrf-token", &client.csrf)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(""),
        "put" => client
            .client
            .put(url)
            .header("x-csrf-token", &client.csrf)
            .header("content-type", "text/plain")
            .body(""),
        "patch" => client
            .client
            .patch(url)
            .header("x-csrf-token", &client.csrf)
            .header("content-type", "application/scim+json")
            .body("{}"),
        "delete" => client.client.delete(url).header("x-csrf-token", &client.csrf),
        other => panic!("the matrix does not know method {other}"),
    };
    request.send().await.unwrap()
}

async fn matrix(store: Store) {
    let app = App::new(store);
    support::load_demo(&app, support::PEOPLE).await;
    let fixture = fixture(&app).await;
    let server = support::spawn_anonymous(WebState::new(app.clone(), true)).await;
    let mut clients = Vec::new();
    for role in ROLES {
        let client = match role {
            Employee => server.as_person(&fixture.subject).await,
            Peer => server.as_person(&fixture.peer).await,
            Manager => server.as_person(&fixture.manager).await,
            SkipLevel => server.as_person(&fixture.skip_level).await,
            OtherManager => server.as_person(&fixture.other_manager).await,
            Hr => server.signed_in_as(rungs_demo::DEMO_HR).await,
            Admin => server.signed_in_as(rungs_demo::DEMO_ADMIN).await,
            Anonymous => server.anonymous(),
            Directory => server.with_token(&fixture.directory_token),
        };
        clients.push((role, client));
    }
    // Reads first, then writes; signing out last, since it ends the session.
    let mut routes: Vec<&Route> = ROUTES.iter().collect();
    routes.sort_by_key(|route| (route.method != "get", route.path == "/sign-out"));
    let mut wrong = Vec::new();
    let mut checked = 0;
    for route in routes {
        for variant in variants(route) {
            let path = concrete(route, variant, &fixture);
            let mut allowed = BTreeSet::new();
            let mut statuses = Vec::new();
            for (role, client) in &clients {
                let response = send(client, route, &path).await;
                statuses.push(format!("{role}: {}", response.status().as_u16()));
                if !denied(&response) {
                    allowed.insert(*role);
                }
            }
            let expected: BTreeSet<Role> = expected(route, variant).iter().copied().collect();
            if allowed != expected {
                wrong.push(format!(
                    "{} {} ({variant:?}): allowed {allowed:?}, expected {expected:?} [{}]",
                    route.method,
                    route.path,
                    statuses.join(", ")
                ));
            }
            checked += 1;
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {checked} route checks differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert!(checked >= ROUTES.len(), "every route was checked");
}

#[tokio::test]
async fn every_route_lets_exactly_its_roles_through_on_sqlite() {
    matrix(support::fresh_store("matrix").await).await;
}

#[tokio::test]
async fn every_route_lets_exactly_its_roles_through_on_postgres() {
    let Some(store) = support::fresh_postgres("matrix").await else { return };
    matrix(store).await;
}

/// The server keeps the org chart in memory. An import made elsewhere (another app over the
/// same database, as the CLI would be) reaches it at the next request: the person's page names
/// the new manager, and access moves with the reporting line.
async fn an_import_elsewhere_moves_access_at_once(store: Store) {
    let app = App::new(store.clone());
    support::load_demo(&app, support::PEOPLE).await;
    let server = support::spawn_with(app.clone()).await;
    let org = app.current_org().await.unwrap();
    let (subject, _, manager, _, other_manager) = pick_people(&org.chart);
    let page = format!("/people/{subject}");
    let as_manager = server.as_person(&manager).await;
    let as_other = server.as_person(&other_manager).await;
    assert_eq!(as_manager.get(&page).await.status(), 200);
    assert_eq!(as_other.get(&page).await.status(), 404);

    let elsewhere = App::new(store);
    let field = |text: &str| format!("\"{}\"", text.replace('"', "\"\""));
    let mut csv = String::from("id,name,email,manager_id,title,track,level,team\n");
    for member in org.chart.members() {
        let person = elsewhere.person(member.id.as_str()).await.unwrap();
        let manager_id = if person.id.as_str() == subject {
            other_manager.clone()
        } else {
            person.manager_id.as_ref().map(ToString::to_string).unwrap_or_default()
        };
        let row = [
            person.id.to_string(),
            person.name.clone(),
            person.email.to_string(),
            manager_id,
            person.title.clone(),
            person.track.as_ref().map(ToString::to_string).unwrap_or_default(),
            person.level.as_ref().map(ToString::to_string).unwrap_or_default(),
            person.team.clone(),
        ];
        csv.push_str(&row.iter().map(|text| field(text)).collect::<Vec<_>>().join(","));
        csv.push('\n');
    }
    let outcome = elsewhere
        .import_org(
            "moved.csv",
            csv.into_bytes(),
            Default::default(),
            rungs_app::ImportOptions::default(),
        )
        .await
        .unwrap();
    assert!(matches!(outcome, rungs_app::OrgImport::Imported { .. }), "{outcome:?}");

    let moved = as_other.get(&page).await;
    assert_eq!(moved.status(), 200, "the new manager sees their report at once");
    let body = moved.text().await.unwrap();
    let chain = &body[body.find("Reports to").unwrap()..body.find("Direct reports").unwrap()];
    assert!(chain.contains(&format!("/people/{other_manager}")), "{chain}");
    assert!(!chain.contains(&format!("/people/{manager}\"")), "{chain}");
    assert_eq!(as_manager.get(&page).await.status(), 404, "the old manager no longer does");
    let (status, json) = server.get_json(&format!("/api/v1/people/{subject}")).await;
    assert_eq!(status, 200);
    assert_eq!(json["managers"][0]["id"], other_manager.as_str());
}

#[tokio::test]
async fn an_import_elsewhere_moves_access_at_once_on_sqlite() {
    an_import_elsewhere_moves_access_at_once(support::fresh_store("moved").await).await;
}

#[tokio::test]
async fn an_import_elsewhere_moves_access_at_once_on_postgres() {
    let Some(store) = support::fresh_postgres("moved").await else { return };
    an_import_elsewhere_moves_access_at_once(store).await;
}
