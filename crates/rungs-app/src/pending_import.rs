//! An org import previewed, then confirmed: the preview checks the whole file and reports what
//! the import would do without writing any of it, and keeps the file so that the confirmation
//! imports exactly what was previewed, without a second upload.

use jiff::{SignedDuration, Timestamp};
use rungs_core::org::LeaverPolicy;
use rungs_store::{Change, Records};

use crate::audit::Audit;
use crate::org::{ImportOptions, OrgImport};
use crate::secrets::random_token;
use crate::{App, AppError};

/// How long a previewed import waits for its confirmation.
pub const PENDING_FOR: SignedDuration = SignedDuration::from_hours(1);

/// A previewed import: what it would do and, when it may go ahead, the token that confirms it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgPreview {
    pub outcome: OrgImport,
    /// Set when every row is valid: the file is kept for the confirmation.
    pub token: Option<String>,
}

fn expired_before(now: Timestamp) -> Timestamp {
    now.checked_sub(PENDING_FOR).unwrap_or(now)
}

impl App {
    /// Checks an upload as a dry run and, when every row is valid, keeps it for
    /// [`App::confirm_org_import`]; a preview that could not import keeps nothing.
    pub async fn preview_org_import(
        &self,
        name: &str,
        bytes: Vec<u8>,
        leavers: LeaverPolicy,
    ) -> Result<OrgPreview, AppError> {
        // The confirmation imports this text: the columns an import reads were checked to be
        // UTF-8 by the dry run, so only columns it ignores can differ from the upload.
        let content = String::from_utf8_lossy(&bytes).into_owned();
        let options = ImportOptions { dry_run: true, leavers };
        let outcome = self.import_org(name, bytes, &[], options).await?;
        let OrgImport::Imported { .. } = &outcome else {
            return Ok(OrgPreview { outcome, token: None });
        };
        let token = random_token("import_")?;
        let at = self.now();
        let audit = Audit::new("org.import.preview", format!("org import {name}"))
            .after(serde_json::json!({ "file": name, "bytes": content.len() }));
        self.write(
            vec![Change::KeepPendingImport {
                token: token.clone(),
                source_name: name.to_owned(),
                content,
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
    /// account, within [`PENDING_FOR`]. Once imported, the upload is dropped; an import refused
    /// for its leavers keeps it, so that the leavers can be confirmed.
    pub async fn confirm_org_import(
        &self,
        token: &str,
        leavers: LeaverPolicy,
    ) -> Result<(String, OrgImport), AppError> {
        let now = self.now();
        let (name, content) = self
            .store
            .pending_import(token, self.actor(), expired_before(now))
            .await?
            .ok_or_else(|| {
                AppError::Conflict(
                    "this preview was imported already, or expired (a preview waits an hour, for the account that uploaded it); upload the file again".to_owned(),
                )
            })?;
        let options = ImportOptions { dry_run: false, leavers };
        let outcome = self.import_org(&name, content.into_bytes(), &[], options).await?;
        if let OrgImport::Imported { .. } = outcome {
            let audit = Audit::new("org.import.confirm", format!("org import {name}"));
            self.write(vec![Change::DropPendingImport { token: token.to_owned() }], audit).await?;
        }
        Ok((name, outcome))
    }
}
