//! Opening, closing and listing assessment cycles.

use rungs_core::assess::{Cycle, CycleName, check_close, check_open};
use rungs_store::{Change, DraftHead, Records};

use crate::audit::Audit;
use crate::{App, AppError};

/// The most drafts a closing cycle names; the rest are counted.
pub const DRAFTS_LISTED: usize = 20;

/// The drafts a cycle still holds: how many, and the first few, each described with names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleDrafts {
    pub count: u64,
    /// (the draft, "Manager assessment of Ada Lovelace by Grace Hopper").
    pub listed: Vec<(DraftHead, String)>,
}

impl App {
    /// Opens a new cycle, such as `2026-H2`. Another open cycle refuses it, unless
    /// `alongside` says the admin means to have two; new assessments go to the newest.
    pub async fn open_cycle(&self, name: &str, alongside: bool) -> Result<Cycle, AppError> {
        let name = CycleName::parse(name).map_err(|error| AppError::invalid("cycle", error))?;
        check_open(&self.store.cycles().await?, &name, alongside)?;
        let audit = Audit::new("cycle.open", format!("cycle {name}"))
            .after(serde_json::json!({ "state": "open", "alongside": alongside }));
        self.write(vec![Change::OpenCycle { name: name.clone(), at: self.now() }], audit).await?;
        self.cycle(name.as_str()).await
    }

    /// The drafts cycle `name` still holds, the first [`DRAFTS_LISTED`] named.
    pub async fn cycle_drafts(&self, name: &str) -> Result<CycleDrafts, AppError> {
        let cycle = self.cycle(name).await?;
        let (count, drafts) = self.store.cycle_drafts(&cycle.name, DRAFTS_LISTED).await?;
        let names =
            self.names(drafts.iter().flat_map(|draft| [&draft.subject, &draft.assessor])).await?;
        let listed = drafts
            .into_iter()
            .map(|draft| {
                let described = format!(
                    "{} assessment of {} by {}",
                    draft.kind.title(),
                    names.of(&draft.subject),
                    names.of(&draft.assessor)
                );
                (draft, described)
            })
            .collect();
        Ok(CycleDrafts { count, listed })
    }

    /// Closes a cycle; it becomes read-only. Drafts not submitted refuse it, named, unless
    /// `abandon_drafts` says to leave them: they stay readable, and never count.
    pub async fn close_cycle(&self, name: &str, abandon_drafts: bool) -> Result<Cycle, AppError> {
        let cycle = self.cycle(name).await?;
        let drafts = if cycle.is_open() {
            self.cycle_drafts(name).await?
        } else {
            CycleDrafts { count: 0, listed: vec![] }
        };
        let described: Vec<String> =
            drafts.listed.iter().map(|(_, described)| described.clone()).collect();
        check_close(&cycle, drafts.count, &described, abandon_drafts)?;
        let audit = Audit::new("cycle.close", format!("cycle {name}"))
            .before(serde_json::json!({ "state": "open" }))
            .after(serde_json::json!({ "state": "closed", "abandoned_drafts": drafts.count }));
        self.write(vec![Change::CloseCycle { name: cycle.name.clone(), at: self.now() }], audit)
            .await?;
        self.cycle(name).await
    }

    /// Every cycle, in the order they were opened.
    pub async fn cycles(&self) -> Result<Vec<Cycle>, AppError> {
        Ok(self.store.cycles().await?)
    }
}
