//! Real headless Chromium against the demo: the ladder, comparing two levels, filling in and
//! submitting an assessment, agreeing on it, and readiness changing on the person page.
//! Screenshots of the main pages go to `target/screenshots/`, at desktop and phone widths.
//!
//! Needs Debian's `chromium` and `chromium-driver`; `.ci/run` installs them. Outside CI the
//! test skips when `chromedriver` is missing.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

#[path = "browser/chromium.rs"]
mod chromium;
#[path = "browser/mailbox.rs"]
mod mailbox;

use chromium::{browser, screenshots, shoot, start_chromedriver};
use mailbox::Mail;
use rungs_store::Records;
use serde_json::json;
use support::spawn_app;
use thirtyfour::prelude::*;

/// Clicks something that loads a new page, and waits until the old page is gone.
async fn click_through(element: WebElement) -> WebDriverResult<()> {
    element.click().await?;
    element.wait_until().stale().await
}

async fn heading(browser: &WebDriver) -> String {
    browser.find(By::Css("h1")).await.unwrap().text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_assesses_and_readiness_changes() {
    let Some(driver) = start_chromedriver() else { return };
    let app = spawn_app("browser").await;
    let inbox = support::temp_folder_for("browser-inbox");
    let Some(mail) = Mail::start(&app, &inbox) else { return };
    let browser = browser(&driver).await;
    let result = journey(&app, &browser, &mail).await;
    browser.quit().await.unwrap();
    result.unwrap();
}

/// Signs in through the sign-in form, from wherever the browser is.
async fn sign_in(app: &support::TestApp, browser: &WebDriver, email: &str) -> WebDriverResult<()> {
    browser.goto(&app.url("/sign-in")).await?;
    browser.find(By::Id("email")).await?.send_keys(email).await?;
    browser.find(By::Id("password")).await?.send_keys(support::PASSWORD).await?;
    click_through(browser.find(By::XPath("//button[text()='Sign in']")).await?).await
}

/// Rates the first `count` expectations of the assessment form `rating`, submits, and
/// confirms marking the rest not observed.
async fn rate_and_submit(browser: &WebDriver, rating: &str, count: usize) -> WebDriverResult<()> {
    let selects = browser.find_all(By::Css("select[name^='rating:']")).await?;
    let total = selects.len();
    for select in selects.iter().take(count) {
        thirtyfour::components::SelectElement::new(select).await?.select_by_value(rating).await?;
    }
    click_through(browser.find(By::XPath("//button[text()='Submit…']")).await?).await?;
    let left = total - count;
    let confirm = format!("Mark {left} not observed and submit");
    click_through(browser.find(By::XPath(format!("//button[text()='{confirm}']"))).await?).await?;
    let notice = browser.find(By::Css(".ok-box")).await?.text().await?;
    assert!(notice.starts_with("Submitted"), "{notice}");
    Ok(())
}

/// Types `typed` in the header's "Find a person" box and submits it.
async fn find_person(browser: &WebDriver, typed: &str) -> WebDriverResult<()> {
    let field = browser.find(By::Id("person-search")).await?;
    field.clear().await?;
    field.send_keys(typed).await?;
    click_through(browser.find(By::XPath("//form[@role='search']//button")).await?).await
}

async fn journey(app: &support::TestApp, browser: &WebDriver, mail: &Mail) -> WebDriverResult<()> {
    // Nothing is shown before signing in: the ladder sends the browser to the sign-in page,
    // and signing in comes back to it.
    browser.goto(&app.url("/")).await?;
    assert_eq!(heading(browser).await, "Sign in");
    shoot(browser, "sign-in").await;
    browser.find(By::Id("email")).await?.send_keys(rungs_demo::DEMO_ADMIN).await?;
    browser.find(By::Id("password")).await?.send_keys("wrong password").await?;
    click_through(browser.find(By::XPath("//button[text()='Sign in']")).await?).await?;
    let refusal = browser.find(By::Id("sign-in-error")).await?.text().await?;
    assert_eq!(refusal, "the email or password is wrong");
    browser.find(By::Id("password")).await?.send_keys(support::PASSWORD).await?;
    click_through(browser.find(By::XPath("//button[text()='Sign in']")).await?).await?;

    // Everyone lands on what to do; the admin is nobody in the org, and the page says so.
    assert_eq!(heading(browser).await, "What to do");
    let home = browser.find(By::Css("main")).await?.text().await?;
    assert!(home.contains("is not anyone in the org chart"), "{home}");
    click_through(browser.find(By::LinkText("Ladder")).await?).await?;

    // The ladder, both tracks by band; a level from it.
    assert!(heading(browser).await.contains("Engineering"));
    shoot(browser, "ladder").await;
    click_through(browser.find(By::LinkText("Senior Engineering Manager")).await?).await?;
    assert!(heading(browser).await.starts_with("Senior Engineering Manager"));
    shoot(browser, "level").await;

    // Compare two levels with the form.
    click_through(browser.find(By::LinkText("Compare levels")).await?).await?;
    let from = browser.find(By::Id("from")).await?;
    thirtyfour::components::SelectElement::new(&from).await?.select_by_value("em").await?;
    let to = browser.find(By::Id("to")).await?;
    thirtyfour::components::SelectElement::new(&to).await?.select_by_value("director").await?;
    click_through(browser.find(By::Css("form.card button[type=submit]")).await?).await?;
    let body = browser.find(By::Css("main")).await?.text().await?;
    assert!(
        body.contains("From Engineering Manager (em) to Director of Engineering (director)"),
        "{body}"
    );
    shoot(browser, "compare").await;

    // Someone not yet ready, and their manager.
    let (_, assessments) = app.get_json("/api/v1/assessments?cycle=2026-H2").await;
    let mut subject = None;
    for assessment in assessments.as_array().unwrap() {
        if assessment["kind"] != "manager" || assessment["status"] != "submitted" {
            continue;
        }
        let person = assessment["subject"].as_str().unwrap();
        let (_, standing) = app.get_json(&format!("/api/v1/people/{person}")).await;
        if standing["readiness"]["verdict"] == "not-yet" {
            subject =
                Some((person.to_owned(), assessment["assessor"].as_str().unwrap().to_owned()));
            break;
        }
    }
    let (person, manager) = subject.expect("a demo person who is not yet ready");
    let person_name = app.app.person(&person).await.unwrap().name;
    // Found by part of a name: a page of matches, best first.
    let part: String = person_name.chars().take(2).collect();
    find_person(browser, &part).await?;
    if heading(browser).await.starts_with("People matching") {
        shoot(browser, "people-search").await;
    }
    // Found by the whole name: their page.
    find_person(browser, &person_name).await?;
    let verdict = browser.find(By::Css("[data-testid=verdict] .verdict")).await?.text().await?;
    assert_eq!(verdict, "not yet");
    shoot(browser, "person").await;

    // Open a new cycle on the admin page.
    browser.goto(&app.url("/admin")).await?;
    browser.find(By::Id("cycle-name")).await?.send_keys("2027-H1").await?;
    // 2026-H2 is still open: opening a second one is refused, the name typed kept.
    click_through(browser.find(By::XPath("//button[text()='Create the cycle']")).await?).await?;
    let refusal = browser.find(By::Css(".error-box")).await?.text().await?;
    assert!(refusal.contains("cycle `2026-H2` is still open"), "{refusal}");
    // On purpose, alongside it: for the manager's line, opening today, self-assessments due
    // in a week (the later dates a week apart each).
    let line_manager = rungs_core::org::PersonId::parse(&manager).unwrap();
    let line_name = app.app.names([&line_manager]).await.unwrap().of(&line_manager).to_owned();
    let today = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date();
    let first_self_due = today.checked_add(jiff::ToSpan::days(7)).unwrap();
    browser
        .execute(
            &format!(
                "document.querySelector('input[name=opens]').value = '{today}';
                 document.querySelector('input[name=self_due]').value = '{first_self_due}';"
            ),
            Vec::new(),
        )
        .await?;
    browser.find(By::Css("input[name=time_zone]")).await?.send_keys("UTC").await?;
    browser.find(By::Css("input[name=within]")).await?.send_keys(&line_name).await?;
    browser.find(By::Css("input[name=alongside]")).await?.click().await?;
    click_through(browser.find(By::XPath("//button[text()='Create the cycle']")).await?).await?;
    assert_eq!(heading(browser).await, "Cycle 2027-H1");
    let taking_part = browser.find(By::Css("[data-testid=participants]")).await?.text().await?;
    assert!(taking_part.contains(&format!("the line of {line_name}")), "{taking_part}");
    browser.goto(&app.url("/admin")).await?;
    assert!(browser.find(By::Css("main")).await?.text().await?.contains("2027-H1"));
    shoot(browser, "admin").await;
    browser.goto(&app.url("/admin/accounts")).await?;
    shoot(browser, "accounts").await;
    browser.goto(&app.url("/admin/audit")).await?;
    assert!(browser.find(By::Css("main")).await?.text().await?.contains("cycle.open"));
    shoot(browser, "audit").await;
    click_through(browser.find(By::XPath("//button[text()='Sign out']")).await?).await?;
    assert_eq!(heading(browser).await, "Sign in");

    // Three people take part, and nobody types an id: the person proposes a colleague for
    // peer feedback and writes their self-assessment; the manager approves the colleague from
    // their home page; the colleague finds the task on theirs, and declines another.
    let manager_email = app.app.person(&manager).await.unwrap().email.to_string();
    let (peer, _) = app.colleague_of(&person, &manager).await;
    let peer = app.app.person(&peer).await.unwrap();
    let person_email = app.app.person(&person).await.unwrap().email.to_string();
    // Opening 2027-H1 mailed everyone in it, the person among them.
    let (opening, _) = mail
        .received(
            app,
            &person_email,
            &format!(
                "Review cycle 2027-H1 is open: write your self-assessment by {}.",
                rungs_core::assess::long_date(first_self_due)
            ),
        )
        .await;
    assert!(opening.body.starts_with(&format!("Hello {person_name},")), "{}", opening.body);
    assert_eq!(opening.from, "rungs@example.com");
    sign_in(app, browser, &person_email).await?;
    click_through(browser.find(By::LinkText("My page")).await?).await?;
    click_through(browser.find(By::PartialLinkText("Your peer feedback")).await?).await?;
    assert_eq!(heading(browser).await, "Your peer feedback");
    browser.find(By::Id("peer-2027-H1")).await?.send_keys(&peer.name).await?;
    click_through(
        browser
            .find(By::XPath(
                "//section[@aria-labelledby='peers-2027-H1']//button[text()='Propose']",
            ))
            .await?,
    )
    .await?;
    let notice = browser.find(By::Css(".ok-box")).await?.text().await?;
    assert!(notice.contains(&format!("Proposed {}", peer.name)), "{notice}");
    shoot(browser, "peers-proposed").await;
    click_through(browser.find(By::LinkText("Back to your page")).await?).await?;
    let kind = browser.find(By::Id("kind")).await?;
    thirtyfour::components::SelectElement::new(&kind).await?.select_by_value("self").await?;
    click_through(browser.find(By::XPath("//button[text()='Start']")).await?).await?;
    assert!(heading(browser).await.starts_with(&format!("Self assessment of {person_name}")));
    rate_and_submit(browser, "exceeds", 5).await?;
    shoot(browser, "self-submitted").await;
    click_through(browser.find(By::XPath("//button[text()='Sign out']")).await?).await?;

    // The manager is mailed the proposal, and its link opens the page that approves it.
    let approve_line =
        format!("Approve the peers proposed to give feedback on {person_name} in 2027-H1 by ");
    let (_, approve_link) = mail.received(app, &manager_email, &approve_line).await;
    sign_in(app, browser, &manager_email).await?;
    let approve = format!("Approve the peers {person_name} nominated in 2027-H1");
    let tasks = browser.find(By::Css("[data-testid=tasks]")).await?.text().await?;
    assert!(tasks.contains(&approve), "{tasks}");
    browser.goto(&app.url(&approve_link)).await?;
    assert_eq!(heading(browser).await, format!("Peer feedback on {person_name}"));
    shoot(browser, "peers-to-approve").await;
    click_through(
        browser
            .find(By::XPath(format!(
                "//section[@aria-labelledby='peers-2027-H1']//button[@aria-label='Approve {}']",
                peer.name
            )))
            .await?,
    )
    .await?;
    let notice = browser.find(By::Css(".ok-box")).await?.text().await?;
    assert!(notice.contains(&format!("Approved {}", peer.name)), "{notice}");
    // The manager asks a second colleague themselves: asked at once.
    // Someone on the ladder outside the person's line who is not the first peer.
    let org = app.app.current_org().await.unwrap();
    let chart = &org.chart;
    let chain = app
        .app
        .store()
        .manager_chain(&rungs_core::org::PersonId::parse(&person).unwrap())
        .await
        .unwrap();
    let second = (0..chart.len())
        .map(|position| chart.member(position))
        .find(|member| {
            member.level.is_some()
                && member.id.as_str() != person
                && member.id != peer.id
                && !chain.contains(&member.id)
        })
        .map(|member| member.id.to_string())
        .expect("a colleague outside the line");
    let second = app.app.person(&second).await.unwrap();
    browser.find(By::Id("peer-2027-H1")).await?.send_keys(&second.name).await?;
    click_through(
        browser
            .find(By::XPath(
                "//section[@aria-labelledby='peers-2027-H1']//button[text()='Ask for feedback']",
            ))
            .await?,
    )
    .await?;
    let notice = browser.find(By::Css(".ok-box")).await?.text().await?;
    assert!(notice.contains(&format!("Asked {}", second.name)), "{notice}");
    shoot(browser, "peers-approved").await;
    click_through(browser.find(By::XPath("//button[text()='Sign out']")).await?).await?;

    // Both colleagues are mailed what is asked of them.
    let asked_line = format!("Your feedback on {person_name} is asked in 2027-H1 by ");
    let (_, peer_link) = mail.received(app, peer.email.as_str(), &asked_line).await;
    let (_, second_link) = mail.received(app, second.email.as_str(), &asked_line).await;

    // The second colleague declines from their mail's link, saying why; the page says what
    // that does first.
    sign_in(app, browser, second.email.as_str()).await?;
    browser.goto(&app.url(&second_link)).await?;
    assert!(heading(browser).await.starts_with(&format!("Peer assessment of {person_name}")));
    browser.find(By::XPath("//summary[contains(., 'Decline it')]")).await?.click().await?;
    browser.find(By::Id("decline-reason")).await?.send_keys("On leave until February").await?;
    click_through(browser.find(By::XPath("//button[text()='Decline…']")).await?).await?;
    let question = browser.find(By::Css("[role=alertdialog]")).await?.text().await?;
    assert!(question.contains("cannot be undone"), "{question}");
    shoot(browser, "peer-decline-confirm").await;
    click_through(browser.find(By::XPath("//button[text()='Decline']")).await?).await?;
    assert_eq!(heading(browser).await, "What to do");
    let notice = browser.find(By::Css(".ok-box")).await?.text().await?;
    assert!(notice.contains(&format!("Declined the peer feedback on {person_name}")), "{notice}");
    click_through(browser.find(By::XPath("//button[text()='Sign out']")).await?).await?;

    sign_in(app, browser, peer.email.as_str()).await?;
    let asked = format!("Give peer feedback on {person_name} in 2027-H1");
    let tasks = browser.find(By::Css("[data-testid=tasks]")).await?.text().await?;
    assert!(tasks.contains(&asked), "the peer sees what is asked of them: {tasks}");
    shoot(browser, "peer-asked").await;
    browser.goto(&app.url(&peer_link)).await?;
    assert!(heading(browser).await.starts_with(&format!("Peer assessment of {person_name}")));
    rate_and_submit(browser, "meets", 3).await?;
    click_through(browser.find(By::XPath("//button[text()='Sign out']")).await?).await?;

    // The manager starts their own assessment from the person page.
    sign_in(app, browser, &manager_email).await?;
    find_person(browser, &person_name).await?;
    let kind = browser.find(By::Id("kind")).await?;
    thirtyfour::components::SelectElement::new(&kind).await?.select_by_value("manager").await?;
    click_through(browser.find(By::XPath("//button[text()='Start']")).await?).await?;
    assert!(heading(browser).await.starts_with("Manager assessment of"));

    // Every expectation of the target level: "exceeds", with evidence.
    let target_level =
        app.get_json(&format!("/api/v1/people/{person}")).await.1["readiness"]["target"]
            .as_str()
            .unwrap()
            .to_owned();
    browser.execute("document.querySelectorAll('details.evidence').forEach(function (d) { d.open = true; });", vec![]).await?;
    let selects =
        browser.find_all(By::Css(format!("select[name^='rating:{target_level}.']"))).await?;
    assert_eq!(selects.len(), 25);
    for select in &selects {
        thirtyfour::components::SelectElement::new(select)
            .await?
            .select_by_value("exceeds")
            .await?;
        let name = select.attr("name").await?.unwrap();
        let expectation = name.trim_start_matches("rating:");
        let evidence = browser.find(By::Id(format!("evidence-{expectation}"))).await?;
        evidence.send_keys("Led the platform migration review").await?;
    }
    shoot(browser, "assessment-form").await;
    click_through(browser.find(By::XPath("//button[text()='Submit…']")).await?).await?;
    // Submitting cannot be undone: the page saved the draft and asks first.
    let question = browser.find(By::Css("[role=alertdialog]")).await?.text().await?;
    assert!(question.contains("Submit this assessment?"), "{question}");
    assert!(
        question.contains(
            "25 of 50 expectations are rated; submitting marks the 25 left unrated “not observed”"
        ),
        "{question}"
    );
    assert!(question.contains("Left unrated: 25"), "the unrated ones are listed: {question}");
    shoot(browser, "assessment-confirm-submit").await;
    click_through(
        browser.find(By::XPath("//button[text()='Mark 25 not observed and submit']")).await?,
    )
    .await?;
    let Ok(notice) = browser.find(By::Css(".ok-box")).await else {
        panic!(
            "not submitted: {}",
            browser
                .find(By::Css("main"))
                .await?
                .text()
                .await?
                .chars()
                .take(600)
                .collect::<String>()
        );
    };
    let notice = notice.text().await?;
    assert!(notice.starts_with("Submitted"), "{notice}");

    // The manager records the agreed ratings, one of them lower than they first rated it:
    // without a reason the page refuses and keeps the choice, with one it is recorded.
    let first = browser.find(By::Css(format!("select[name^='agree:{target_level}.']"))).await?;
    let overruled = first.attr("name").await?.unwrap().trim_start_matches("agree:").to_owned();
    thirtyfour::components::SelectElement::new(&first).await?.select_by_value("meets").await?;
    click_through(browser.find(By::XPath("//button[text()='Record the agreed ratings']")).await?)
        .await?;
    let refusal = browser.find(By::Css("[role=alert]")).await?.text().await?;
    assert!(refusal.contains("say why in a rationale"), "{refusal}");
    let kept = browser.find(By::Id(format!("agree-{overruled}"))).await?;
    assert_eq!(kept.prop("value").await?.as_deref(), Some("meets"), "the choice is kept");
    browser
        .find(By::Id(format!("rationale-{overruled}")))
        .await?
        .send_keys("Reviewed the design; another reviewer led it")
        .await?;
    shoot(browser, "assessment-agree").await;
    click_through(browser.find(By::XPath("//button[text()='Record the agreed ratings']")).await?)
        .await?;
    let notice = browser.find(By::Css(".ok-box")).await?.text().await?;
    assert!(notice.contains("agreed ratings"), "{notice}");

    // Readiness on the person page has changed.
    click_through(browser.find(By::LinkText(format!("Back to {person_name}"))).await?).await?;
    let verdict = browser.find(By::Css("[data-testid=verdict]")).await?.text().await?;
    assert!(verdict.starts_with("ready"), "{verdict}");
    assert!(verdict.contains("2027-H1"), "{verdict}");
    shoot(browser, "person-ready").await;

    // The other main pages, for the screenshots.
    click_through(browser.find(By::LinkText("Self and manager in 2027-H1")).await?).await?;
    shoot(browser, "side-by-side").await;
    click_through(browser.find(By::LinkText("My team")).await?).await?;
    shoot(browser, "team").await;
    // The person acknowledges the outcome on their own page, with a comment.
    let (_, outcome_link) = mail
        .received(
            app,
            &person_email,
            "Your outcome of 2027-H1 is ready: read it and acknowledge it.",
        )
        .await;
    sign_in(app, browser, &person_email).await?;
    browser.goto(&app.url(&outcome_link)).await?;
    assert!(browser.current_url().await?.as_str().ends_with(&format!("/people/{person}#outcomes")));
    browser
        .find(By::Id("comment-2027-H1"))
        .await?
        .send_keys("Fair. I will lead the next review.")
        .await?;
    click_through(
        browser.find(By::XPath("//button[text()='Acknowledge the outcome of 2027-H1']")).await?,
    )
    .await?;
    let notice = browser.find(By::Css(".ok-box")).await?.text().await?;
    assert!(notice.contains("you acknowledged the outcome of 2027-H1"), "{notice}");
    let outcomes =
        browser.find(By::XPath("//h2[@id='outcomes']/following-sibling::div[1]")).await?;
    let outcome = outcomes.text().await?;
    assert!(outcome.contains("acknowledged it on"), "{outcome}");
    assert!(outcome.contains("Fair. I will lead the next review."), "{outcome}");
    shoot(browser, "person-acknowledged").await;
    sign_in(app, browser, &manager_email).await?;
    // The org is for hr and admin: to a manager it does not exist.
    browser.goto(&app.url("/org")).await?;
    assert!(heading(browser).await.starts_with("404"));
    sign_in(app, browser, rungs_demo::DEMO_ADMIN).await?;
    browser.goto(&app.url("/org")).await?;
    shoot(browser, "org").await;
    browser.goto(&app.url("/org#findings")).await?;
    shoot(browser, "org-findings").await;
    let (_, api) = app.get_json(&format!("/api/v1/people/{person}/readiness")).await;
    assert_eq!(api["readiness"]["verdict"], json!("ready"));

    // An export of one person is previewed, not imported: the page says that everyone else
    // would be marked as left and asks for that to be confirmed with a box.
    let partial = screenshots().join("partial.csv");
    std::fs::write(
        &partial,
        "id,name,email,manager_id,title,track,level,team\nP1,Pat Partial,pat@example.com,,CTO,management,cto,Exec\n",
    )
    .unwrap();
    browser.goto(&app.url("/admin")).await?;
    browser.find(By::Id("org-file")).await?.send_keys(partial.display().to_string()).await?;
    click_through(browser.find(By::XPath("//button[text()='Preview the import']")).await?).await?;
    assert_eq!(heading(browser).await, "Import partial.csv?");
    let question = browser.find(By::Css("[role=alertdialog]")).await?.text().await?;
    assert!(question.contains("will be marked as left"), "{question}");
    assert!(
        question
            .contains("Joining the org chart (new, or back after leaving): Pat Partial (P1), cto."),
        "{question}"
    );
    assert!(question.contains("Marked as left: "), "{question}");
    assert!(browser.find(By::Css("input[name=allow_leavers][required]")).await.is_ok());
    shoot(browser, "org-import-preview").await;
    click_through(browser.find(By::XPath("//button[text()='Cancel']")).await?).await?;
    let notice = browser.find(By::Css("main")).await?.text().await?;
    assert!(notice.contains("The import was cancelled; nothing was imported."), "{notice}");
    let (_, stats) = app.get_json("/api/v1/org/stats").await;
    assert!(stats["people"].as_u64().unwrap() > 1, "the preview imported nothing");

    // A mapping is saved from the admin page, and the upload form offers it.
    let mapping = screenshots().join("bamboo.toml");
    std::fs::write(&mapping, "[columns]\nid = \"Employee Number\"\n\n[levels]\nM1 = \"em\"\n")
        .unwrap();
    browser.find(By::Id("mapping-name")).await?.send_keys("bamboo").await?;
    browser.find(By::Id("mapping-file")).await?.send_keys(mapping.display().to_string()).await?;
    click_through(browser.find(By::XPath("//button[text()='Save the mapping']")).await?).await?;
    let saved = browser.find(By::Css("main")).await?.text().await?;
    assert!(saved.contains("Saved the import mapping bamboo from bamboo.toml"), "{saved}");
    assert!(browser.find(By::Css("#org-mapping option[value=bamboo]")).await.is_ok());
    browser.execute("document.getElementById('org-mapping').scrollIntoView()", Vec::new()).await?;
    shoot(browser, "admin-mappings").await;

    // Someone kept off the ladder (as an import mapping's `people = "keep"` or a directory
    // does): their page says why there is no readiness, plan or assessment.
    let entry = rungs_app::DirectoryEntry {
        row: rungs_core::org::RosterRow {
            row: 1,
            id: "X1".to_owned(),
            name: "Pat Chief".to_owned(),
            email: "pat.chief@example.com".to_owned(),
            title: "Chief Executive Officer".to_owned(),
            team: "Exec".to_owned(),
            off_ladder: true,
            ..Default::default()
        },
        link: rungs_store::DirectoryLink {
            user_name: "pat.chief@example.com".to_owned(),
            external_id: None,
            resource: "{}".to_owned(),
        },
    };
    app.app.create_directory_user(entry).await.unwrap();
    browser.goto(&app.url("/people/X1")).await?;
    let off = browser.find(By::Id("off-ladder")).await?.text().await?;
    assert_eq!(off, "Off the ladder");
    assert!(browser.find(By::Id("readiness")).await.is_err(), "no readiness section");
    shoot(browser, "person-off-ladder").await;

    // HR schedules a cycle for the manager's line on the admin page; the manager then lands
    // on what to do in it (and in the demo's own cycle, whose self-assessments are late too).
    let manager_id = rungs_core::org::PersonId::parse(&manager).unwrap();
    let manager_name = app.app.names([&manager_id]).await.unwrap().of(&manager_id).to_owned();
    let today = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date();
    let opens = today.checked_sub(jiff::ToSpan::days(3)).unwrap();
    let self_due = today.checked_sub(jiff::ToSpan::days(1)).unwrap();
    browser.goto(&app.url("/admin#cycles")).await?;
    browser.find(By::Id("cycle-name")).await?.send_keys("2027-H2").await?;
    browser
        .execute(
            &format!(
                "document.querySelector('input[name=opens]').value = '{opens}';
                 document.querySelector('input[name=self_due]').value = '{self_due}';"
            ),
            Vec::new(),
        )
        .await?;
    browser.find(By::Css("input[name=time_zone]")).await?.send_keys("UTC").await?;
    browser.find(By::Css("input[name=within]")).await?.send_keys(&manager_name).await?;
    browser.find(By::Css("input[name=alongside]")).await?.click().await?;
    click_through(browser.find(By::XPath("//button[text()='Create the cycle']")).await?).await?;
    assert_eq!(heading(browser).await, "Cycle 2027-H2");
    let stage = browser.find(By::Css("[data-testid=stage]")).await?.text().await?;
    assert!(stage.starts_with("Peer feedback is due by"), "{stage}");
    let taking_part = browser.find(By::Css("[data-testid=participants]")).await?.text().await?;
    assert!(taking_part.contains(&format!("the line of {manager_name}")), "{taking_part}");
    shoot(browser, "cycle").await;
    let self_due_text = rungs_core::assess::long_date(self_due);
    mail.received(
        app,
        &manager_email,
        &format!("Review cycle 2027-H2 is open: write your self-assessment by {self_due_text}."),
    )
    .await;
    // The mail queue, as the admin sees it.
    sign_in(app, browser, rungs_demo::DEMO_ADMIN).await?;
    browser.goto(&app.url("/admin/mail")).await?;
    let queue = browser.find(By::Css("main")).await?.text().await?;
    assert!(queue.contains("sent"), "{queue}");
    shoot(browser, "mail-queue").await;
    sign_in(app, browser, &manager_email).await?;
    assert_eq!(heading(browser).await, "What to do");
    let tasks = browser.find(By::Css("[data-testid=tasks]")).await?.text().await?;
    assert!(tasks.contains("Write your self-assessment in 2027-H2"), "{tasks}");
    assert!(tasks.contains("Overdue"), "{tasks}");
    shoot(browser, "tasks").await;
    // Their team dashboard says where each direct report is in the cycle.
    browser.goto(&app.url(&format!("/team/{manager}"))).await?;
    let steps = browser.find(By::Css("[data-testid=report-steps]")).await?.text().await?;
    assert!(steps.contains("not started") || steps.contains("submitted"), "{steps}");
    shoot(browser, "team-cycle").await;
    sign_in(app, browser, rungs_demo::DEMO_HR).await?;
    browser.goto(&app.url("/admin/cycles/2027-H2#progress")).await?;
    let progress = browser.find(By::Css("[data-testid=progress]")).await?.text().await?;
    assert!(progress.contains("not started"), "{progress}");
    shoot(browser, "cycle-progress").await;
    // Each person's mail settings on their account page.
    sign_in(app, browser, &person_email).await?;
    browser.goto(&app.url("/account#mail")).await?;
    browser.find(By::Css("input[name=reminders]")).await?.click().await?;
    click_through(browser.find(By::XPath("//button[text()='Save mail settings']")).await?).await?;
    let notice = browser.find(By::Css(".ok-box")).await?.text().await?;
    assert!(notice.contains("no reminders; new work still reaches you"), "{notice}");
    shoot(browser, "account-mail").await;
    Ok(())
}
