//! Deterministic demo organisations: realistic names, teams and a level pyramid that follows the
//! ladder's scope ranges, with a few planted scope problems for `org check` to find, and two
//! cycles of assessments with evidence. The same seed always gives the same data.

mod accounts;
mod assessments;
mod load;
mod names;
mod org;
mod origin;

pub use accounts::{DEMO_ADMIN, DEMO_HR, DemoAccounts, accounts};
pub use assessments::{AssessmentParts, PART_SIZE, assessments};
pub use load::{DemoLoad, NoDemoOrg, generate_org, load};
pub use org::{DemoPerson, generate};
pub use origin::{DEMO_ACTOR, DEMO_ORG_SOURCE, DemoDatabase, demo_database};

use std::io::Write;

/// The canonical roster columns, as `rungs org import` reads them.
pub const CSV_HEADER: [&str; 8] =
    ["id", "name", "email", "manager_id", "title", "track", "level", "team"];

/// Writes people as a canonical roster CSV.
pub fn write_csv<W: Write>(people: &[DemoPerson], output: W) -> Result<(), csv::Error> {
    let mut writer = csv::Writer::from_writer(output);
    writer.write_record(CSV_HEADER)?;
    for person in people {
        writer.write_record([
            person.id.as_str(),
            person.name.as_str(),
            person.email.as_str(),
            person.manager_id.as_deref().unwrap_or(""),
            person.title.as_str(),
            person.track.as_str(),
            person.level.as_str(),
            person.team.as_str(),
        ])?;
    }
    writer.flush()?;
    Ok(())
}
