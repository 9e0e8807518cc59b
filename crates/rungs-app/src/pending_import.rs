//! An org import previewed, then confirmed: the preview checks the whole file and reports what
//! the import would do without writing any of it, and keeps the file so that the confirmation
//! imports exactly what was previewed, without a second upload.

use rungs_core::org::LeaverPolicy;
use rungs_store::{Change, Records};

use rungs_import::ImportMapping;

use crate::audit::Audit;
use crate::import_mappings::parse_mapping;
use crate::org::{ImportOptions, OrgImport};
use crate::pending_window::expired_before;
use crate::secrets::{random_token, token_hash};
use crate::{App, AppError};

/// A previewed import: what it would do and, when it may go ahead, the token that confirms it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgPreview {
    pub outcome: OrgImport,
    /// Set when every row is valid: the file is kept for the confirmation.
    pub token: Option<String>,
}

/// Why a confirmation finds nothing to import.
const GONE: &str = "this preview was imported already, cancelled, or expired (a preview waits an hour, for the account that uploaded it); upload the file again";

impl App {
    /// Checks an upload as a dry run and, when every row is valid, keeps it for
    /// [`App::confirm_org_import`]; a preview that could not import keeps nothing.
    /// `mapping` is a saved mapping's name; the preview keeps its source, so that the
    /// confirmation imports with the mapping as it was previewed.
    pub async fn preview_org_import(
        &self,
        name: &str,
        bytes: Vec<u8>,
        mapping: Option<&str>,
        leavers: LeaverPolicy,
    ) -> Result<OrgPreview, AppError> {
        let (mapping, mapping_source) = match mapping {
            Some(mapping) => {
                let (mapping, source) = self.mapping_named(mapping).await?;
                (mapping, Some(source))
            }
            None => (ImportMapping::default(), None),
        };
        // Read before the dry run: an import committed in between leaves the kept version
        // older than the org previewed, and the confirmation is refused rather than wrong.
        let org_version = self.store.org_version().await?;
        let content = bytes.clone();
        let options = ImportOptions { dry_run: true, leavers, claim: None };
        let outcome = self.import_org(name, bytes, mapping, options).await?;
        let OrgImport::Imported { .. } = &outcome else {
            return Ok(OrgPreview { outcome, token: None });
        };
        let token = random_token("import_")?;
        let at = self.now();
        let audit = Audit::new("org.import.preview", format!("org import {name}"))
            .after(serde_json::json!({ "file": name, "bytes": content.len() }));
        self.write(
            vec![Change::KeepPendingImport {
                token_hash: token_hash(&token),
                source_name: name.to_owned(),
                content,
                mapping_source,
                org_version,
                by: self.actor().to_owned(),
                at,
                expired_before: expired_before(at),
            }],
            audit,
        )
        .await?;
        Ok(OrgPreview { outcome, token: Some(token) })
    }

    /// Imports the upload that [`App::preview_org_import`] kept under `token`, for the same
    /// account, within [`crate::PENDING_FOR`], and only while the org is as it was previewed. The
    /// import claims the upload in its own transaction, so that two confirmations import it
    /// once; an import refused for its leavers leaves it kept, so that they can be confirmed.
    pub async fn confirm_org_import(
        &self,
        token: &str,
        leavers: LeaverPolicy,
    ) -> Result<(String, OrgImport), AppError> {
        let now = self.now();
        let hash = token_hash(token);
        let pending = self
            .store
            .pending_import(&hash, self.actor(), expired_before(now))
            .await?
            .ok_or_else(|| AppError::Conflict(GONE.to_owned()))?;
        if pending.org_version != self.store.org_version().await? {
            return Err(AppError::Conflict(format!(
                "the org was imported again after this preview of {}, so the preview no longer says what the import would do; nothing was written: upload the file again",
                pending.source_name
            )));
        }
        let mapping = match &pending.mapping_source {
            Some(source) => parse_mapping("the preview's mapping", source)?,
            None => ImportMapping::default(),
        };
        let options = ImportOptions { dry_run: false, leavers, claim: Some(hash) };
        let outcome =
            self.import_org(&pending.source_name, pending.content, mapping, options).await?;
        Ok((pending.source_name, outcome))
    }

    /// Drops the upload kept under `token` without importing it, with any that expired.
    pub async fn cancel_org_import(&self, token: &str) -> Result<(), AppError> {
        let audit = Audit::new("org.import.cancel", "org import");
        self.write(
            vec![Change::DropPendingImport {
                token_hash: token_hash(token),
                by: self.actor().to_owned(),
                expired_before: expired_before(self.now()),
            }],
            audit,
        )
        .await?;
        Ok(())
    }
}
