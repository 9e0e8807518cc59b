//! What a change to one person from a directory (SCIM) must keep true of the org chart: a
//! manager who is in it, and no reporting cycle; and where the reports of someone who leaves
//! go. A full import checks the same across its rows (`roster.rs`); a directory sends one
//! person at a time, so these checks read the manager and the chain above them as stored.

use crate::org::person::{Person, PersonId, Status};

/// How many people of a reporting cycle a refusal names.
const CYCLE_NAMED: usize = 8;

/// Whether `person` may be written as they are: an active person's manager must be someone
/// active (`manager`, as stored; `None` when there is nobody of that id), and must not be
/// below them (`above_manager`: the manager's own managers, nearest first). The message says
/// what is wrong, in words a directory's administrator reads.
pub fn check_placement(
    person: &Person,
    manager: Option<&Person>,
    above_manager: &[PersonId],
) -> Result<(), String> {
    if person.status == Status::Left {
        return Ok(());
    }
    let Some(manager_id) = &person.manager_id else { return Ok(()) };
    if manager_id == &person.id {
        return Err(format!("`{}` cannot be their own manager", person.id));
    }
    match manager {
        Some(manager) if manager.status == Status::Active => {}
        Some(_) => {
            return Err(format!(
                "manager `{manager_id}` has left: send their successor, or no manager"
            ));
        }
        None => {
            return Err(format!(
                "manager `{manager_id}` is not a person Rungs knows: create them first, or send no manager"
            ));
        }
    }
    if let Some(at) = above_manager.iter().position(|id| id == &person.id) {
        let chain = std::iter::once(&person.id)
            .chain(std::iter::once(manager_id))
            .chain(&above_manager[..=at]);
        let mut names: Vec<String> = chain.take(CYCLE_NAMED).map(|id| id.to_string()).collect();
        if at + 3 > CYCLE_NAMED {
            names.push("…".to_owned());
            names.push(person.id.to_string());
        }
        return Err(format!(
            "`{manager_id}` reports to `{}`: this manager would make a reporting cycle ({})",
            person.id,
            names.join(" -> ")
        ));
    }
    Ok(())
}

/// Whom the active reports of `leaver` report to once they leave: the leaver's own manager
/// while that manager is active (`manager`, as stored), or nobody. A directory that
/// deactivates a manager before it moves their reports so leaves no one under a leaver.
pub fn reports_go_to(leaver: &Person, manager: Option<&Person>) -> Option<PersonId> {
    let manager_id = leaver.manager_id.as_ref()?;
    manager
        .filter(|manager| &manager.id == manager_id && manager.status == Status::Active)
        .map(|manager| manager.id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::person::Email;

    fn id(text: &str) -> PersonId {
        PersonId::parse(text).unwrap()
    }

    fn person(who: &str, manager: Option<&str>, status: Status) -> Person {
        Person {
            id: id(who),
            name: who.to_owned(),
            email: Email::parse(&format!("{}@example.com", who.to_lowercase())).unwrap(),
            title: String::new(),
            track: Some(crate::TrackId::parse("management").unwrap()),
            level: Some(crate::LevelId::parse("em").unwrap()),
            manager_id: manager.map(id),
            team: String::new(),
            status,
            hire_date: None,
            level_since: None,
        }
    }

    #[test]
    fn an_active_manager_above_nobody_of_theirs_is_accepted() {
        let manager = person("C", Some("B"), Status::Active);
        let new = person("D", Some("C"), Status::Active);
        assert_eq!(check_placement(&new, Some(&manager), &[id("B"), id("A")]), Ok(()));
        assert_eq!(check_placement(&person("A", None, Status::Active), None, &[]), Ok(()));
    }

    #[test]
    fn a_manager_below_the_person_is_a_cycle_named_in_full() {
        // A reports to nobody; C reports to B, B to A. A may not report to C.
        let manager = person("C", Some("B"), Status::Active);
        let moved = person("A", Some("C"), Status::Active);
        let refused = check_placement(&moved, Some(&manager), &[id("B"), id("A")]).unwrap_err();
        assert_eq!(
            refused,
            "`C` reports to `A`: this manager would make a reporting cycle (A -> C -> B -> A)"
        );
        let own = person("B", Some("B"), Status::Active);
        assert!(check_placement(&own, None, &[]).unwrap_err().contains("own manager"));
    }

    #[test]
    fn a_long_cycle_is_named_up_to_a_limit() {
        let above: Vec<PersonId> =
            (1..=12).map(|n| id(&format!("M{n}"))).chain([id("A")]).collect();
        let manager = person("M0", Some("M1"), Status::Active);
        let moved = person("A", Some("M0"), Status::Active);
        let refused = check_placement(&moved, Some(&manager), &above).unwrap_err();
        assert!(
            refused.ends_with("(A -> M0 -> M1 -> M2 -> M3 -> M4 -> M5 -> M6 -> … -> A)"),
            "{refused}"
        );
    }

    #[test]
    fn a_manager_unknown_or_gone_is_refused_unless_the_person_left() {
        let new = person("D", Some("Z"), Status::Active);
        let refused = check_placement(&new, None, &[]).unwrap_err();
        assert!(refused.contains("manager `Z` is not a person Rungs knows"), "{refused}");
        let gone = person("Z", None, Status::Left);
        assert!(check_placement(&new, Some(&gone), &[]).unwrap_err().contains("has left"));
        assert_eq!(check_placement(&person("D", Some("Z"), Status::Left), None, &[]), Ok(()));
    }

    #[test]
    fn reports_of_a_leaver_go_to_their_active_manager() {
        let manager = person("A", None, Status::Active);
        let leaver = person("B", Some("A"), Status::Left);
        assert_eq!(reports_go_to(&leaver, Some(&manager)), Some(id("A")));
        assert_eq!(reports_go_to(&leaver, None), None);
        let gone = person("A", None, Status::Left);
        assert_eq!(reports_go_to(&leaver, Some(&gone)), None);
        assert_eq!(reports_go_to(&person("A", None, Status::Left), None), None);
    }
}
