//! Directory sync: the people an identity provider creates, changes, deactivates and deletes
//! over SCIM, each change checked as an import row is (the stored mapping named `scim`
//! applies) and against the org as stored, then written with its audit entry in one
//! transaction. The SCIM protocol itself (JSON, PATCH, filters) is the web edge's.

use rungs_core::org::{
    Person, PersonId, RosterError, RosterRow, RowRules, Status, check_one_row, check_placement,
    reports_go_to,
};
use rungs_store::{
    Change, DIRECTORY_RACE, DirectoryFilter, DirectoryLink, DirectoryPage, DirectoryReads,
    DirectoryUser, DirectoryWrite, Records, Storage, user_name_key,
};
use serde_json::json;

use crate::audit::Audit;
use crate::{App, AppError};

/// The stored import mapping a directory's changes are read with, when there is one.
pub const DIRECTORY_MAPPING: &str = "scim";

/// How many times a change is checked again when another write moved the org under it.
const ATTEMPTS: usize = 4;

/// The largest page a directory may ask for.
pub const DIRECTORY_PAGE_MAX: u64 = 200;

/// A person as the directory sends them: the fields Rungs keeps, as an import row (the id is
/// the directory's `employeeNumber`, empty when it sent none), and the directory's own side.
#[derive(Debug, Clone)]
pub struct DirectoryEntry {
    pub row: RosterRow,
    pub link: DirectoryLink,
}

/// What a write does to the person: create them, or change the one of that id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target<'a> {
    New,
    Existing(&'a str),
}

/// A row's first error, in the words of the directory's attribute rather than a file's row.
fn row_refusal(errors: &[RosterError]) -> AppError {
    let lines: Vec<String> = errors
        .iter()
        .map(|error| match error.column {
            Some(column) => format!("`{column}`: {}", error.message),
            None => error.message.clone(),
        })
        .collect();
    let field = errors.first().and_then(|error| error.column).map(|column| column.to_string());
    AppError::invalid(field.unwrap_or_else(|| "user".to_owned()), lines.join("; "))
}

/// A random id for someone the directory sends without an `employeeNumber`.
fn new_person_id() -> Result<String, AppError> {
    let token = crate::secrets::random_token("")?;
    Ok(format!("scim-{}", &token[..12]))
}

impl App {
    /// The rules of the stored mapping `scim`, or the default ones.
    async fn directory_rules(&self) -> Result<RowRules, AppError> {
        match self.store.import_mapping(DIRECTORY_MAPPING).await? {
            Some(_) => Ok(self.mapping_named(DIRECTORY_MAPPING).await?.0.rules),
            None => Ok(RowRules::default()),
        }
    }

    /// The directory user who is the person `id`.
    pub async fn directory_user(&self, id: &str) -> Result<DirectoryUser, AppError> {
        self.store.directory_user(id).await?.ok_or_else(|| AppError::not_found("user", id))
    }

    /// A page of directory users; `count` is capped at [`DIRECTORY_PAGE_MAX`].
    pub async fn directory_users(
        &self,
        filter: &DirectoryFilter,
        skip: u64,
        count: u64,
    ) -> Result<DirectoryPage, AppError> {
        Ok(self.store.directory_users(filter, skip, count.min(DIRECTORY_PAGE_MAX)).await?)
    }

    /// Creates the person the directory sends, or takes over the one an import made with the
    /// same id (their `employeeNumber`) or, without one, the same email.
    pub async fn create_directory_user(
        &self,
        entry: DirectoryEntry,
    ) -> Result<DirectoryUser, AppError> {
        self.put_directory_user(Target::New, entry).await
    }

    /// Replaces what Rungs keeps of the directory user `id` by `entry` (a PUT, or a PATCH
    /// the edge applied to what it read).
    pub async fn replace_directory_user(
        &self,
        id: &str,
        entry: DirectoryEntry,
    ) -> Result<DirectoryUser, AppError> {
        self.put_directory_user(Target::Existing(id), entry).await
    }

    /// The directory deleted the user `id`: the person is marked left (their reports move up)
    /// and no longer a directory user. Their history stays.
    pub async fn delete_directory_user(&self, id: &str) -> Result<(), AppError> {
        for attempt in 1..=ATTEMPTS {
            let version = self.store.org_version().await?;
            let user = self.directory_user(id).await?;
            let mut person = user.person.clone();
            let was_active = person.status == Status::Active;
            person.status = Status::Left;
            let manager = self.stored_manager(&person).await?;
            let audit = Audit::new("org.directory.delete", format!("person {id}"))
                .person(&person.id)
                .before(json!({ "userName": user.link.user_name, "status": user.person.status }));
            let write = DirectoryWrite {
                reports_move_to: was_active.then(|| reports_go_to(&person, manager.as_ref())),
                person,
                link: None,
                org_version: version,
                added: false,
                today: self.today(),
                at: self.now(),
            };
            match self.write(vec![Change::Directory(write)], audit).await {
                Err(AppError::Conflict(message))
                    if message == DIRECTORY_RACE && attempt < ATTEMPTS => {}
                outcome => return outcome.map(|_| ()),
            }
        }
        Err(AppError::Conflict(DIRECTORY_RACE.to_owned()))
    }

    async fn stored_manager(&self, person: &Person) -> Result<Option<Person>, AppError> {
        match &person.manager_id {
            Some(manager) => Ok(self.store.person(manager.as_str()).await?),
            None => Ok(None),
        }
    }

    async fn put_directory_user(
        &self,
        target: Target<'_>,
        entry: DirectoryEntry,
    ) -> Result<DirectoryUser, AppError> {
        let rules = self.directory_rules().await?;
        let framework = self.current_framework().await?;
        for attempt in 1..=ATTEMPTS {
            // The version first: a write after it makes this one's guard fail, and it is checked again.
            let version = self.store.org_version().await?;
            let (write, audit) =
                self.plan_directory_write(target, &entry, &rules, &framework, version).await?;
            let id = write.person.id.clone();
            match self.write(vec![Change::Directory(write)], audit).await {
                Err(AppError::Conflict(message))
                    if message == DIRECTORY_RACE && attempt < ATTEMPTS => {}
                Err(error) => return Err(error),
                Ok(_) => return self.directory_user(id.as_str()).await,
            }
        }
        Err(AppError::Conflict(DIRECTORY_RACE.to_owned()))
    }

    /// What writing `entry` would change, checked against the org at `version`.
    async fn plan_directory_write(
        &self,
        target: Target<'_>,
        entry: &DirectoryEntry,
        rules: &RowRules,
        framework: &rungs_core::Framework,
        version: i64,
    ) -> Result<(DirectoryWrite, Audit), AppError> {
        let mut row = entry.row.clone();
        let link = &entry.link;
        // Whom the write changes, and what they were.
        let (before, linked) = match target {
            Target::Existing(id) => {
                let user = self.directory_user(id).await?;
                id.clone_into(&mut row.id);
                (Some(user.person), true)
            }
            Target::New => {
                if row.id.is_empty() {
                    row.id = match self.unlinked_with_email(&row.email).await? {
                        Some(person) => person.id.to_string(),
                        None => new_person_id()?,
                    };
                }
                let mut prepared = row.clone();
                rules.prepare(&mut prepared);
                let existing = match PersonId::check(&prepared.id) {
                    Ok(()) => self.store.person(&prepared.id).await?,
                    Err(_) => None,
                };
                if let Some(existing) = &existing
                    && self.store.directory_user(existing.id.as_str()).await?.is_some()
                {
                    return Err(AppError::Conflict(format!(
                        "the directory has a user `{}` already: {} ({})",
                        existing.id, existing.name, existing.email
                    )));
                }
                (existing, false)
            }
        };
        let person = match check_one_row(framework, rules, row) {
            Ok(Some(person)) => person,
            Ok(None) => {
                return Err(AppError::invalid(
                    "level",
                    format!(
                        "the mapping `{DIRECTORY_MAPPING}` puts this person off the ladder (level `{}`, department `{}`); Rungs keeps people on the ladder only: leave them out of the app's assignment in the directory",
                        entry.row.level, entry.row.team
                    ),
                ));
            }
            Err(errors) => return Err(row_refusal(&errors)),
        };
        self.check_link(&link.user_name, link.external_id.as_deref(), &person.id).await?;
        if person.status == Status::Active {
            let others: Vec<Person> = self
                .store
                .people_with_email(&person.email)
                .await?
                .into_iter()
                .filter(|other| other.id != person.id)
                .collect();
            if let Some(other) = others.first() {
                return Err(AppError::Conflict(format!(
                    "`emails`: {} is the email of {} (`{}`), who is active",
                    person.email, other.name, other.id
                )));
            }
        }
        let manager = self.stored_manager(&person).await?;
        let above = match &person.manager_id {
            Some(manager_id) if manager.is_some() => self.store.manager_chain(manager_id).await?,
            _ => Vec::new(),
        };
        check_placement(&person, manager.as_ref(), &above)
            .map_err(|message| AppError::invalid("manager", message))?;
        let leaves_now = person.status == Status::Left
            && before.as_ref().is_some_and(|before| before.status == Status::Active);
        let action = match (linked, &before) {
            (true, _) => "org.directory.update",
            (false, Some(_)) => "org.directory.link",
            (false, None) => "org.directory.create",
        };
        let mut audit = Audit::new(action, format!("person {}", person.id))
            .person(&person.id)
            .after(json!({ "userName": link.user_name, "person": person }));
        if let Some(before) = &before {
            audit = audit.before(json!({ "person": before }));
        }
        let write = DirectoryWrite {
            reports_move_to: leaves_now.then(|| reports_go_to(&person, manager.as_ref())),
            added: before.is_none(),
            person,
            link: Some(link.clone()),
            org_version: version,
            today: self.today(),
            at: self.now(),
        };
        Ok((write, audit))
    }

    /// The one active person with `email` whom no directory user is yet, if there is exactly
    /// one: the person an import made, whom the directory now takes over.
    async fn unlinked_with_email(&self, email: &str) -> Result<Option<Person>, AppError> {
        let Some(email) = rungs_core::org::Email::parse(email) else { return Ok(None) };
        let mut unlinked = Vec::new();
        for person in self.store.people_with_email(&email).await? {
            if self.store.directory_user(person.id.as_str()).await?.is_none() {
                unlinked.push(person);
            }
        }
        Ok(if unlinked.len() == 1 { unlinked.pop() } else { None })
    }

    /// Refuses a userName another directory user has (ignoring case) or an empty one, and text
    /// beyond the limits of either.
    async fn check_link(
        &self,
        user_name: &str,
        external_id: Option<&str>,
        id: &PersonId,
    ) -> Result<(), AppError> {
        rungs_core::text::USER_NAME
            .check(user_name)
            .map_err(|error| AppError::invalid("userName", error))?;
        if user_name.trim().is_empty() {
            return Err(AppError::invalid("userName", "`userName` is required"));
        }
        if let Some(external_id) = external_id {
            rungs_core::text::EXTERNAL_ID
                .check(external_id)
                .map_err(|error| AppError::invalid("externalId", error))?;
        }
        let filter = DirectoryFilter::UserName(user_name_key(user_name));
        let taken = self.store.directory_users(&filter, 0, 1).await?;
        match taken.users.first() {
            Some(other) if &other.person.id != id => Err(AppError::Conflict(format!(
                "`userName`: `{user_name}` is the userName of {} (`{}`)",
                other.person.name, other.person.id
            ))),
            _ => Ok(()),
        }
    }
}
