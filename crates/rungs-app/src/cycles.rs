//! Opening, closing and listing assessment cycles.

use rungs_core::assess::{Cycle, CycleName};
use rungs_store::{Change, Records};

use crate::audit::Audit;
use crate::{App, AppError};

impl App {
    /// Opens a new cycle, such as `2026-H2`.
    pub async fn open_cycle(&self, name: &str) -> Result<Cycle, AppError> {
        let name = CycleName::parse(name).map_err(|error| AppError::invalid("cycle", error))?;
        if self.store.cycles().await?.iter().any(|cycle| cycle.name == name) {
            return Err(AppError::Conflict(format!("cycle `{name}` already exists")));
        }
        let audit = Audit::new("cycle.open", format!("cycle {name}"))
            .after(serde_json::json!({ "state": "open" }));
        self.write(vec![Change::OpenCycle { name: name.clone(), at: self.now() }], audit).await?;
        self.cycle(name.as_str()).await
    }

    /// Closes a cycle; it becomes read-only.
    pub async fn close_cycle(&self, name: &str) -> Result<Cycle, AppError> {
        let cycle = self.cycle(name).await?;
        if !cycle.is_open() {
            return Err(AppError::Conflict(format!("cycle `{name}` is already closed")));
        }
        let audit = Audit::new("cycle.close", format!("cycle {name}"))
            .before(serde_json::json!({ "state": "open" }))
            .after(serde_json::json!({ "state": "closed" }));
        self.write(vec![Change::CloseCycle { name: cycle.name.clone(), at: self.now() }], audit)
            .await?;
        self.cycle(name).await
    }

    /// Every cycle, in the order they were opened.
    pub async fn cycles(&self) -> Result<Vec<Cycle>, AppError> {
        Ok(self.store.cycles().await?)
    }
}
