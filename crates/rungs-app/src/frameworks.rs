//! Framework versions as assessments see them: the active one, and any stored version by key,
//! parsed once and kept.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use rungs_core::Framework;
use rungs_core::assess::PeerFeedbackPolicy;
use rungs_format::SourceFile;
use rungs_store::{Change, NewFramework, Records, Storage, StoredFramework};

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
    /// The built-in ladder, shared rather than copied for every request.
    fn builtin(&self) -> Arc<Framework> {
        static BUILTIN: std::sync::LazyLock<Arc<Framework>> =
            std::sync::LazyLock::new(|| Arc::new(rungs_format::builtin().clone()));
        Arc::clone(&BUILTIN)
    }

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

/// Stores the built-in ladder as the active framework.
pub(crate) fn store_builtin() -> Change {
    let builtin = rungs_format::builtin();
    Change::StoreFramework {
        framework: NewFramework {
            framework_id: builtin.meta().id.clone(),
            version: builtin.meta().version.clone(),
            source: rungs_format::BUILTIN_SOURCE.to_owned(),
        },
        archived: false,
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

    /// The text of a stored framework version, as its file had it.
    pub async fn framework_text(&self, key: i64) -> Result<String, AppError> {
        self.store
            .framework_version(key)
            .await?
            .map(|stored| stored.source)
            .ok_or_else(|| AppError::not_found("framework version", key.to_string()))
    }

    /// The framework people are assessed against now: the active one, or the built-in ladder
    /// when none was chosen.
    pub async fn current_framework(&self) -> Result<Arc<Framework>, AppError> {
        // The key is one indexed read; the text is read and parsed once per version.
        match self.store.active_framework_key().await? {
            Some(key) => self.framework_at(key).await,
            None => Ok(self.frameworks.builtin()),
        }
    }

    /// The framework a new assessment is pinned to, with its stored key; no key when none was
    /// chosen, and the built-in ladder, which [`store_builtin`] stores, is the one to pin.
    pub(crate) async fn framework_to_pin(&self) -> Result<(Option<i64>, Arc<Framework>), AppError> {
        match self.store.active_framework().await? {
            Some(stored) => Ok((Some(stored.pk), self.frameworks.keep(&stored)?)),
            None => Ok((None, self.frameworks.builtin())),
        }
    }

    /// The active framework and its stored key. When none was chosen, the built-in ladder is
    /// stored as the active one first.
    pub async fn pinned_framework(&self) -> Result<(i64, Arc<Framework>), AppError> {
        if let (Some(key), framework) = self.framework_to_pin().await? {
            return Ok((key, framework));
        }
        let audit = crate::audit::Audit::new("framework.activate", "framework (built-in)")
            .after(serde_json::json!({ "builtin": true }));
        let keys = self.write(vec![store_builtin()], audit).await?;
        let key = crate::batch_keys::created_key(&keys, 0, "framework")?;
        Ok((key, self.framework_at(key).await?))
    }
}

/// What activating a framework file did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum FrameworkUse {
    /// Stored and active; warnings rendered as `FILE:LINE:COL: warning: message`.
    Activated { framework_id: String, name: String, version: String, warnings: Vec<String> },
    /// Lint errors, rendered as `FILE:LINE:COL: error: message`; the active framework is
    /// unchanged.
    Invalid { diagnostics: Vec<String> },
}

/// What activating a framework file would do, before anything is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameworkPreview {
    /// It lints clean: it would replace `current` (none on a new instance), changing what
    /// `changes` says, one line each.
    Valid {
        framework_id: String,
        version: String,
        current: Option<(String, String)>,
        changes: Vec<String>,
        warnings: Vec<String>,
    },
    /// Lint errors; nothing can be activated.
    Invalid { diagnostics: Vec<String> },
}

impl App {
    /// Lints a framework file and says what activating it would change against the active
    /// framework. Writes nothing.
    pub async fn preview_framework(
        &self,
        name: &str,
        text: &str,
    ) -> Result<FrameworkPreview, AppError> {
        let source = SourceFile::new(name, text);
        let loaded = match rungs_format::load(&source) {
            Err(diagnostics) => {
                return Ok(FrameworkPreview::Invalid {
                    diagnostics: diagnostics.iter().map(|d| d.render(&source)).collect(),
                });
            }
            Ok(loaded) => loaded,
        };
        let meta = loaded.framework.meta();
        let (current, changes) = match self.store.active_framework_key().await? {
            Some(key) => {
                let active = self.framework_at(key).await?;
                let version = rungs_core::assess::version_of(&active);
                let diff = rungs_core::FrameworkDiff::between(&active, &loaded.framework);
                let count = |what: &str, items: usize| match items {
                    0 => None,
                    1 => Some(format!("1 {what}")),
                    n => Some(format!("{n} {what}s")),
                };
                let mut changes: Vec<String> = [
                    count("level added", diff.levels_added.len()),
                    count("level removed", diff.levels_removed.len()),
                    count("level changed", diff.levels_changed.len()),
                    count("expectation added", diff.expectations_added.len()),
                    count("expectation removed", diff.expectations_removed.len()),
                    count("expectation reworded", diff.expectations_reworded.len()),
                    count("expectation moved", diff.expectations_moved.len()),
                    count("dimension added", diff.dimensions_added.len()),
                    count("dimension removed", diff.dimensions_removed.len()),
                    count("track added", diff.tracks_added.len()),
                    count("track removed", diff.tracks_removed.len()),
                ]
                .into_iter()
                .flatten()
                .collect();
                let peers = (active.peer_feedback(), loaded.framework.peer_feedback());
                if peers == (PeerFeedbackPolicy::Anonymous, PeerFeedbackPolicy::Named) {
                    changes.push(
                        "peer feedback becomes named: people see who wrote the peer feedback asked of colleagues from now on (feedback asked for anonymously stays anonymous)".to_owned(),
                    );
                }
                if diff.is_empty() {
                    changes.push(
                        "The same ladder as the active one; only the version differs.".to_owned(),
                    );
                }
                (Some((version.framework_id, version.version)), changes)
            }
            None => (None, vec![]),
        };
        Ok(FrameworkPreview::Valid {
            framework_id: meta.id.clone(),
            version: meta.version.clone(),
            current,
            changes,
            warnings: loaded.warnings.iter().map(|warning| warning.render(&source)).collect(),
        })
    }

    /// Lints a framework file and, when it has no errors, makes it the active framework.
    pub async fn use_framework(&self, name: &str, text: &str) -> Result<FrameworkUse, AppError> {
        let source = SourceFile::new(name, text);
        match rungs_format::load(&source) {
            Err(diagnostics) => Ok(FrameworkUse::Invalid {
                diagnostics: diagnostics
                    .iter()
                    .map(|diagnostic| diagnostic.render(&source))
                    .collect(),
            }),
            Ok(loaded) => {
                let meta = loaded.framework.meta();
                let before = match self.store.active_framework_key().await? {
                    Some(key) => {
                        let framework = self.framework_at(key).await?;
                        let version = rungs_core::assess::version_of(&framework);
                        serde_json::json!({ "framework": version.framework_id, "version": version.version })
                    }
                    None => serde_json::Value::Null,
                };
                let audit = crate::audit::Audit::new(
                    "framework.activate",
                    format!("framework {}", meta.id),
                )
                .before(before)
                .after(serde_json::json!({ "framework": meta.id, "version": meta.version }));
                let framework = NewFramework {
                    framework_id: meta.id.clone(),
                    version: meta.version.clone(),
                    source: text.to_owned(),
                };
                // The newest stored version that is not archived is the active one.
                self.write(vec![Change::StoreFramework { framework, archived: false }], audit)
                    .await?;
                Ok(FrameworkUse::Activated {
                    framework_id: meta.id.clone(),
                    name: meta.name.clone(),
                    version: meta.version.clone(),
                    warnings: loaded
                        .warnings
                        .iter()
                        .map(|warning| warning.render(&source))
                        .collect(),
                })
            }
        }
    }
}
