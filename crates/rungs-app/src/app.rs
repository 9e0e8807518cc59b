//! The application: a store, the frameworks and org chart it keeps in memory, and a clock.

use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use rungs_core::org::Person;
use rungs_core::suggest::did_you_mean;
use rungs_store::{Storage, Store};

use crate::AppError;
use crate::current_org::OrgCache;
use crate::frameworks::Frameworks;

/// Where "now" comes from: the system clock, or a fixed one in tests.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

#[derive(Clone)]
pub struct App {
    pub(crate) store: Store,
    pub(crate) frameworks: Frameworks,
    pub(crate) orgs: OrgCache,
    clock: Clock,
    /// Who the audit log names for this app's writes.
    actor: Arc<str>,
    /// An org version this request already read; see [`App::as_of_org_version`].
    pub(crate) org_version_read: Option<i64>,
    /// The person this request reads for; see [`App::read_by`].
    pub(crate) reader: Option<rungs_core::org::PersonId>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("App").field("store", &self.store).finish_non_exhaustive()
    }
}

impl App {
    pub fn new(store: Store) -> App {
        App::with_clock(store, Arc::new(Timestamp::now))
    }

    pub fn with_clock(store: Store, clock: Clock) -> App {
        App {
            store,
            frameworks: Frameworks::default(),
            orgs: OrgCache::default(),
            clock,
            actor: Arc::from("cli"),
            org_version_read: None,
            reader: None,
        }
    }

    /// The same app, writing as `actor` (an account's email, `token:NAME`, `cli`, `demo`).
    pub fn acting_as(&self, actor: &str) -> App {
        App { actor: Arc::from(actor), ..self.clone() }
    }

    /// This app for one request that has already read the org version (with its session, say):
    /// its decisions by the org chart use a chart at least that new instead of reading the
    /// version again. Keep it no longer than the request.
    pub fn as_of_org_version(&self, version: i64) -> App {
        App { org_version_read: Some(version), ..self.clone() }
    }

    /// This app for one request read by `person`: a person reading their own page and
    /// readiness sees peer feedback only as the framework allows (see `conceal_peers`).
    /// Without a reader (the CLI, `hr` without a person), everything is shown.
    pub fn read_by(&self, person: Option<&rungs_core::org::PersonId>) -> App {
        App { reader: person.cloned(), ..self.clone() }
    }

    pub fn actor(&self) -> &str {
        &self.actor
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Now, to the second: stored times never carry more precision than people read.
    pub fn now(&self) -> Timestamp {
        let now = (self.clock)();
        Timestamp::from_second(now.as_second()).unwrap_or(now)
    }

    /// Today's date in UTC.
    pub fn today(&self) -> Date {
        self.now().to_zoned(TimeZone::UTC).date()
    }

    /// A person by id, active or left.
    pub async fn person(&self, id: &str) -> Result<Person, AppError> {
        match self.store.person(id).await? {
            Some(person) => Ok(person),
            None => Err(AppError::NotFound {
                what: "person",
                id: id.to_owned(),
                suggestion: String::new(),
            }),
        }
    }

    /// A cycle by name, with the closest name suggested when there is none.
    pub async fn cycle(&self, name: &str) -> Result<rungs_core::assess::Cycle, AppError> {
        let cycles = rungs_store::Records::cycles(&self.store).await?;
        match cycles.iter().find(|cycle| cycle.name.as_str() == name) {
            Some(cycle) => Ok(cycle.clone()),
            None => Err(AppError::NotFound {
                what: "cycle",
                id: name.to_owned(),
                suggestion: did_you_mean(name, cycles.iter().map(|cycle| cycle.name.as_str())),
            }),
        }
    }
}
