//! Every active person's email and title, by position in the org chart: with the chart's own
//! fields, a whole person, so that a person's page need not read their row. Kept in one text
//! (about 50 bytes a person) rather than two strings each.

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
    /// id; contacts without one are left out. A book past 4 GB of text is left empty, and then
    /// every person is read from the store.
    pub fn build(
        positions: usize,
        contacts: Vec<Contact>,
        position_of: impl Fn(&str) -> Option<usize>,
    ) -> ContactBook {
        let mut by_position: Vec<Option<Contact>> = vec![None; positions];
        for contact in contacts {
            if let Some(slot) =
                position_of(contact.id.as_str()).and_then(|at| by_position.get_mut(at))
            {
                *slot = Some(contact);
            }
        }
        let length: usize = by_position
            .iter()
            .flatten()
            .map(|contact| contact.email.as_str().len() + contact.title.len())
            .sum();
        if u32::try_from(length).is_err() {
            return ContactBook::default();
        }
        let mut text = String::with_capacity(length);
        let spans = by_position
            .into_iter()
            .map(|contact| {
                let contact = contact?;
                let start = offset(&text);
                text.push_str(contact.email.as_str());
                let email_end = offset(&text);
                text.push_str(&contact.title);
                Some(Span { start, email_end, title_end: offset(&text) })
            })
            .collect();
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

/// The text's length as an offset: [`ContactBook::build`] checked that it fits.
fn offset(text: &str) -> u32 {
    u32::try_from(text.len()).unwrap_or(u32::MAX)
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
