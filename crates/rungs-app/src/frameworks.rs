//! Framework versions as assessments see them: the active one, and any stored version by key,
//! parsed once and kept.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use rungs_core::Framework;
use rungs_format::SourceFile;
use rungs_store::{NewFramework, Records, Storage, StoredFramework};

use crate::{App, AppError};

/// Parsed framework versions by stored key.
#[derive(Debug, Clone, Default)]
pub(crate) struct Frameworks {
    parsed: Arc<Mutex<HashMap<i64, Arc<Framework>>>>,
}

fn parse(stored: &StoredFramework) -> Result<Framework, AppError> {
    let name = format!("{} {}", stored.framework_id, stored.version);
    let source = SourceFile::new(format!("<framework {name}>"), stored.source.clone());
    rungs_format::load(&source)
        .map(|loaded| loaded.framework)
        .map_err(|_| AppError::Framework(name))
}

impl Frameworks {
    fn cached(&self, key: i64) -> Option<Arc<Framework>> {
        self.parsed.lock().unwrap_or_else(PoisonError::into_inner).get(&key).cloned()
    }

    fn keep(&self, stored: &StoredFramework) -> Result<Arc<Framework>, AppError> {
        if let Some(framework) = self.cached(stored.pk) {
            return Ok(framework);
        }
        let framework = Arc::new(parse(stored)?);
        self.parsed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(stored.pk, Arc::clone(&framework));
        Ok(framework)
    }
}

impl App {
    /// A stored framework version by key.
    pub async fn framework_at(&self, key: i64) -> Result<Arc<Framework>, AppError> {
        if let Some(framework) = self.frameworks.cached(key) {
            return Ok(framework);
        }
        let stored = self
            .store
            .framework_version(key)
            .await?
            .ok_or_else(|| AppError::not_found("framework version", key.to_string()))?;
        self.frameworks.keep(&stored)
    }

    /// The framework people are assessed against now: the active one, or the built-in ladder
    /// when none was chosen.
    pub async fn current_framework(&self) -> Result<Arc<Framework>, AppError> {
        match self.store.active_framework().await? {
            Some(stored) => self.frameworks.keep(&stored),
            None => Ok(Arc::new(rungs_format::builtin().clone())),
        }
    }

    /// The active framework and its stored key, for pinning a new assessment. When none was
    /// chosen, the built-in ladder is stored as the active one first, so that the assessment
    /// can always be shown against exactly the version it was made with.
    pub async fn pinned_framework(&self) -> Result<(i64, Arc<Framework>), AppError> {
        if let Some(stored) = self.store.active_framework().await? {
            return Ok((stored.pk, self.frameworks.keep(&stored)?));
        }
        let builtin = rungs_format::builtin();
        self.store
            .activate_framework(&NewFramework {
                framework_id: builtin.meta().id.clone(),
                version: builtin.meta().version.clone(),
                source: rungs_format::BUILTIN_SOURCE.to_owned(),
            })
            .await?;
        let stored = self
            .store
            .active_framework()
            .await?
            .ok_or_else(|| AppError::Framework("built-in".to_owned()))?;
        Ok((stored.pk, self.frameworks.keep(&stored)?))
    }
}
