//! Finding people by what users type: an id, a whole name, or part of one.
//!
//! The search walks chart positions and keeps only the best `limit` matches, so it holds no
//! more than a page whatever the org's size. Case is ignored by comparing lowercase
//! characters as they come, without lowering each name into a new string.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::org::OrgChart;

/// How well a name (or id) matches what was typed; earlier is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NameMatch {
    /// The id, exactly as HR spells it.
    Id,
    /// The whole name, ignoring case.
    Whole,
    /// The start of a word of the name ("lov" in "Ada Lovelace").
    WordStart,
    /// Anywhere in the name.
    Within,
}

/// What was typed, lowercased once.
#[derive(Debug, Clone)]
pub struct PersonQuery {
    typed: String,
    folded: Vec<char>,
    /// The folded query as bytes, when it is ASCII (as most typed names are): comparing bytes
    /// is an order of magnitude faster than lowering characters one by one.
    ascii: Option<Vec<u8>>,
}

impl PersonQuery {
    /// The query of `typed`, trimmed; `None` when nothing is left.
    pub fn new(typed: &str) -> Option<PersonQuery> {
        let typed = typed.trim();
        if typed.is_empty() {
            return None;
        }
        let ascii = typed.is_ascii().then(|| typed.to_ascii_lowercase().into_bytes());
        Some(PersonQuery { typed: typed.to_owned(), folded: folded(typed).collect(), ascii })
    }

    pub fn as_str(&self) -> &str {
        &self.typed
    }

    /// How `name` (of the person with `id`) matches, if at all.
    pub fn matches(&self, id: &str, name: &str) -> Option<NameMatch> {
        if id == self.typed {
            return Some(NameMatch::Id);
        }
        if let Some(query) = &self.ascii {
            return ascii_match(name.as_bytes(), query);
        }
        if starts_with(name, &self.folded) {
            return Some(if folded(name).count() == self.folded.len() {
                NameMatch::Whole
            } else {
                NameMatch::WordStart
            });
        }
        let first = self.folded[0];
        let mut within = false;
        let mut previous: Option<char> = None;
        for (at, character) in name.char_indices() {
            let word_start = previous.is_none_or(|previous| !previous.is_alphanumeric());
            previous = Some(character);
            let could_start = if character.is_ascii() {
                character.to_ascii_lowercase() == first
            } else {
                character.to_lowercase().next() == Some(first)
            };
            if at == 0 || !could_start || !starts_with(&name[at..], &self.folded) {
                continue;
            }
            if word_start {
                return Some(NameMatch::WordStart);
            }
            within = true;
        }
        within.then_some(NameMatch::Within)
    }
}

/// Whether the last character of `text` (the bytes of a name up to a character boundary) is
/// a letter or digit: a match after it is within a word.
fn ends_in_a_word(text: &[u8]) -> bool {
    match text.last() {
        None => false,
        Some(byte) if byte.is_ascii() => byte.is_ascii_alphanumeric(),
        Some(_) => {
            // Back to the first byte of that character (continuation bytes are 0b10xxxxxx).
            let start = text.iter().rposition(|byte| byte & 0xC0 != 0x80).unwrap_or(0);
            std::str::from_utf8(&text[start..])
                .ok()
                .and_then(|character| character.chars().next())
                .is_none_or(char::is_alphanumeric)
        }
    }
}

/// [`PersonQuery::matches`] for an ASCII query (`query` lowercase, not empty), on the bytes of
/// the name. The bytes of a character beyond ASCII never equal an ASCII byte, so a match is a
/// match of characters, and starts at a character boundary. A few characters whose lowercase
/// is ASCII (the Kelvin sign) are not folded.
fn ascii_match(name: &[u8], query: &[u8]) -> Option<NameMatch> {
    let length = query.len();
    if name.len() < length {
        return None;
    }
    if name[..length].eq_ignore_ascii_case(query) {
        return Some(if name.len() == length { NameMatch::Whole } else { NameMatch::WordStart });
    }
    let first = query[0];
    let mut within = false;
    for at in 1..=name.len() - length {
        if name[at].to_ascii_lowercase() == first
            && name[at..at + length].eq_ignore_ascii_case(query)
        {
            if !ends_in_a_word(&name[..at]) {
                return Some(NameMatch::WordStart);
            }
            within = true;
        }
    }
    within.then_some(NameMatch::Within)
}

fn folded(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().flat_map(char::to_lowercase)
}

fn starts_with(text: &str, folded_query: &[char]) -> bool {
    let mut text = folded(text);
    folded_query.iter().all(|wanted| text.next() == Some(*wanted))
}

/// The best matches among `positions` of `chart`, best first (then by name and id), at most
/// `limit` of them, and how many matched in all.
pub fn search_people(
    chart: &OrgChart,
    positions: impl IntoIterator<Item = usize>,
    query: &PersonQuery,
    limit: usize,
) -> (Vec<(usize, NameMatch)>, usize) {
    struct Candidate<'a> {
        how: NameMatch,
        name: &'a str,
        id: &'a str,
        position: usize,
    }
    impl Candidate<'_> {
        fn key(&self) -> (NameMatch, &str, &str) {
            (self.how, self.name, self.id)
        }
    }
    impl PartialEq for Candidate<'_> {
        fn eq(&self, other: &Self) -> bool {
            self.key() == other.key()
        }
    }
    impl Eq for Candidate<'_> {}
    impl PartialOrd for Candidate<'_> {
        fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
            Some(self.cmp(other))
        }
    }
    impl Ord for Candidate<'_> {
        fn cmp(&self, other: &Self) -> Ordering {
            self.key().cmp(&other.key())
        }
    }
    // The worst kept match on top, to be dropped when a better one comes.
    let mut best: BinaryHeap<Candidate<'_>> = BinaryHeap::with_capacity(limit + 1);
    let mut total = 0;
    for position in positions {
        let member = chart.member(position);
        let Some(how) = query.matches(member.id.as_str(), &member.name) else {
            continue;
        };
        total += 1;
        best.push(Candidate { how, name: &member.name, id: member.id.as_str(), position });
        if best.len() > limit {
            best.pop();
        }
    }
    let found =
        best.into_sorted_vec().into_iter().map(|found| (found.position, found.how)).collect();
    (found, total)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::org::{OrgMember, PersonId};
    use crate::{LevelId, TrackId};

    fn chart(people: &[(&str, &str)]) -> OrgChart {
        OrgChart::build(
            people
                .iter()
                .map(|(id, name)| OrgMember {
                    id: PersonId::parse(id).unwrap(),
                    name: (*name).into(),
                    manager_id: None,
                    track: Some(TrackId::parse("ic").unwrap()),
                    level: Some(LevelId::parse("ic1").unwrap()),
                    team: Arc::from("t"),
                })
                .collect(),
        )
    }

    fn names(chart: &OrgChart, typed: &str, limit: usize) -> (Vec<String>, usize) {
        let query = PersonQuery::new(typed).unwrap();
        let (found, total) = search_people(chart, 0..chart.len(), &query, limit);
        let names = found
            .into_iter()
            .map(|(position, how)| format!("{} {how:?}", chart.member(position).name))
            .collect();
        (names, total)
    }

    #[test]
    fn an_id_then_whole_names_then_word_starts_then_the_rest() {
        let chart = chart(&[
            ("E1", "Adam Smith"),
            ("E2", "Ada"),
            ("E3", "Ada Lovelace"),
            ("E4", "Nevada Ward"),
            ("E5", "Grace Hopper"),
            ("ADA", "Bob Stone"),
        ]);
        assert_eq!(
            names(&chart, " ada ", 10),
            (
                vec![
                    "Ada Whole".to_owned(),
                    "Ada Lovelace WordStart".to_owned(),
                    "Adam Smith WordStart".to_owned(),
                    "Nevada Ward Within".to_owned(),
                ],
                4
            ),
            "case is ignored; the id `ADA` is not `ada`"
        );
        assert_eq!(names(&chart, "ADA", 10).0[0], "Bob Stone Id");
        assert_eq!(names(&chart, "hop", 10).0, vec!["Grace Hopper WordStart".to_owned()]);
        assert_eq!(
            names(&chart, "ada", 2),
            (vec!["Ada Whole".into(), "Ada Lovelace WordStart".into()], 4)
        );
        assert_eq!(names(&chart, "zed", 10), (vec![], 0));
        assert!(PersonQuery::new("   ").is_none());
    }

    #[test]
    fn letters_beyond_ascii_fold_too() {
        let lettered = chart(&[("E1", "Émile Zola"), ("E2", "Søren Kierkegaard")]);
        assert_eq!(names(&lettered, "émile", 10).0, vec!["Émile Zola WordStart".to_owned()]);
        assert_eq!(
            names(&lettered, "SØREN KIERKEGAARD", 10).0,
            vec!["Søren Kierkegaard Whole".to_owned()]
        );
        assert_eq!(
            names(&lettered, "mile", 10).0,
            vec!["Émile Zola Within".to_owned()],
            "in a word"
        );
        assert_eq!(names(&lettered, "ren k", 10).0, vec!["Søren Kierkegaard Within".to_owned()]);
        assert_eq!(names(&lettered, "zola", 10).0, vec!["Émile Zola WordStart".to_owned()]);
        assert_eq!(names(&lettered, "Émile Zola", 10).0, vec!["Émile Zola Whole".to_owned()]);
        let punctuated = chart(&[("E1", "Siobhán O’Brien"), ("E2", "Anne–Marie Ward")]);
        let found = |typed: &str| names(&punctuated, typed, 10).0;
        assert_eq!(found("brien"), vec!["Siobhán O’Brien WordStart".to_owned()]);
        assert_eq!(found("marie"), vec!["Anne–Marie Ward WordStart".to_owned()]);
        assert_eq!(found("n o"), vec!["Siobhán O’Brien Within".to_owned()]);
    }
}
