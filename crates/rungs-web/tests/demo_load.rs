//! A demo load writes its assessments in parts of a thousand people, so that what it holds at
//! once does not grow with the org: the parts write exactly what one import of the whole
//! assessment file writes.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

mod support;

use rungs_app::{App, OrgImport};
use support::fresh_store;

const PEOPLE: usize = 1_500;
const SEED: u64 = 11;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_demo_load_in_parts_writes_what_the_whole_file_does() {
    let in_parts = App::new(fresh_store("demo-load-parts").await);
    let loaded = rungs_demo::load(&in_parts, PEOPLE, SEED, PEOPLE).await.unwrap();

    // The same org, and the same assessments as one file, imported whole.
    let whole = App::new(fresh_store("demo-load-whole").await);
    let (key, framework) = whole.pinned_framework().await.unwrap();
    let source = whole.framework_text(key).await.unwrap();
    let org = rungs_demo::generate_org(&framework, PEOPLE, SEED).unwrap();
    let mut csv = Vec::new();
    rungs_demo::write_csv(&org, &mut csv).unwrap();
    let imported = whole
        .import_org(
            rungs_demo::DEMO_ORG_SOURCE,
            csv,
            Default::default(),
            rungs_app::ImportOptions::default(),
        )
        .await
        .unwrap();
    assert!(matches!(imported, OrgImport::Imported { .. }), "{imported:?}");
    let file = rungs_demo::assessments(&framework, &source, &org, PEOPLE, SEED);
    let parts: Vec<_> =
        rungs_demo::AssessmentParts::new(&framework, &source, &org, PEOPLE, SEED, 1_000).collect();
    assert!(parts.len() >= 4, "{} parts: more than one a cycle", parts.len());
    let report = whole.import_bundle("assessments.json", &file).await.unwrap();

    assert_eq!(loaded.assessments, report, "the same counts");
    assert!(report.agreements > 5_000, "{report:?}");
    let written = |app: App| async move {
        serde_json::to_value(app.export_assessments(None).await.unwrap()).unwrap()
    };
    let (in_parts, whole) = (written(in_parts).await, written(whole).await);
    assert_eq!(in_parts["cycles"], whole["cycles"]);
    assert_eq!(in_parts["cycles"][0]["state"], "closed");
    assert_eq!(in_parts["cycles"][1]["state"], "open");
}
