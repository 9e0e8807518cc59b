//! Every active person's email and title, by position in the org chart: with the chart's own
//! fields, a whole person, so that a person's page need not read their row. Kept in one text
//! (about 50 bytes a person, and 16 for where) rather than two strings each.

use rungs_core::org::Email;
use rungs_store::Contact;

/// Where one position's email and title are in the text.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: u32,
    email_end: u32,
    title_end: u32,
}

#[derive(Debug, Default)]
pub struct ContactBook {
    text: String,
    /// By chart position; `None` for a position with no contact read.
    spans: Vec<Option<Span>>,
}

impl ContactBook {
    /// A book of `positions` positions, each contact at the position `position_of` gives its
    /// id; contacts without one are left out. Past 4 GB of text, the rest are left out too, and
    /// then those people are read from the store.
    pub fn build(
        positions: usize,
        contacts: Vec<Contact>,
        position_of: impl Fn(&str) -> Option<usize>,
    ) -> ContactBook {
        let length =
            contacts.iter().map(|contact| contact.email.as_str().len() + contact.title.len());
        let mut text = String::with_capacity(length.sum());
        let mut spans = vec![None; positions];
        for contact in contacts {
            let Some(slot) = position_of(contact.id.as_str()).and_then(|at| spans.get_mut(at))
            else {
                continue;
            };
            let start = text.len();
            text.push_str(contact.email.as_str());
            let email_end = text.len();
            text.push_str(&contact.title);
            let offset = |at: usize| u32::try_from(at).ok();
            let (Some(start), Some(email_end), Some(title_end)) =
                (offset(start), offset(email_end), offset(text.len()))
            else {
                text.truncate(start);
                break;
            };
            *slot = Some(Span { start, email_end, title_end });
        }
        text.shrink_to_fit();
        ContactBook { text, spans }
    }

    /// The email and title at `position`, when read.
    pub fn at(&self, position: usize) -> Option<(Email, &str)> {
        let span = (*self.spans.get(position)?)?;
        let slice = |from: u32, to: u32| self.text.get(from as usize..to as usize);
        let email = Email::parse(slice(span.start, span.email_end)?)?;
        Some((email, slice(span.email_end, span.title_end)?))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

    use rungs_core::org::PersonId;

    use super::*;

    fn contact(id: &str, title: &str) -> Contact {
        Contact {
            id: PersonId::parse(id).unwrap(),
            email: Email::parse(&format!("{}@example.com", id.to_lowercase())).unwrap(),
            title: title.to_owned(),
        }
    }

    #[test]
    fn each_position_has_its_own_email_and_title() {
        let positions = ["E3", "E1", "E2"];
        let book = ContactBook::build(
            positions.len(),
            vec![contact("E1", "Engineer"), contact("E9", "Gone"), contact("E3", "")],
            |id| positions.iter().position(|&at| at == id),
        );
        let at = |position| book.at(position).map(|(email, title)| (email.to_string(), title));
        assert_eq!(at(0), Some(("e3@example.com".to_owned(), "")));
        assert_eq!(at(1), Some(("e1@example.com".to_owned(), "Engineer")));
        assert_eq!(at(2), None, "no contact read for E2");
        assert_eq!(at(3), None, "no such position");
    }
}
