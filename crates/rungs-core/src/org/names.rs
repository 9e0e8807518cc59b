//! The names of the few people a page or a table mentions, so that it shows names rather
//! than ids.

use crate::org::PersonId;

/// People's names by id, for the handful of people one page names (assessors, who agreed).
/// Someone not named here is shown by their id.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Names {
    /// Sorted by id, without repeats.
    by_id: Vec<(PersonId, String)>,
}

impl Names {
    /// Names from (id, name) pairs in any order; the first name of a repeated id is kept.
    pub fn new(pairs: impl IntoIterator<Item = (PersonId, String)>) -> Names {
        let mut by_id: Vec<(PersonId, String)> = pairs.into_iter().collect();
        by_id.sort_by(|a, b| a.0.cmp(&b.0));
        by_id.dedup_by(|later, earlier| later.0 == earlier.0);
        Names { by_id }
    }

    /// The person's name, or their id when it is not known.
    pub fn of<'a>(&'a self, id: &'a PersonId) -> &'a str {
        match self.by_id.binary_search_by(|(known, _)| known.cmp(id)) {
            Ok(found) => &self.by_id[found].1,
            Err(_) => id.as_str(),
        }
    }

    /// Who gave a rating: their name, or "A peer" for a peer the reader may not know.
    pub fn of_author<'a>(&'a self, author: &'a Option<PersonId>) -> &'a str {
        author.as_ref().map_or("A peer", |id| self.of(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_or_else_the_id() {
        let id = |text: &str| PersonId::parse(text).unwrap();
        let names = Names::new([
            (id("E2"), "Dana Smith".to_owned()),
            (id("E1"), "Ada Byron".to_owned()),
            (id("E2"), "Someone Else".to_owned()),
        ]);
        assert_eq!(names.of(&id("E1")), "Ada Byron");
        assert_eq!(names.of(&id("E2")), "Dana Smith", "the first of a repeated id");
        assert_eq!(names.of(&id("E9")), "E9");
    }
}
