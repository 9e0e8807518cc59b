//! Every active person's email and title, by their position among the org's members: with an
//! `OrgMember`, a whole person. Kept in one text (about 50 bytes a person, and 16 for where)
//! rather than two strings each, so that a server can keep a whole org's.

use super::Email;

/// Bytes of an email and a title together, generously: `firstname.lastname@example.com` and
/// `Senior Software Engineer` are 54.
const TYPICAL_CONTACT: usize = 64;

/// Where one member's email and title are in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: u32,
    email_end: u32,
    title_end: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contacts {
    text: String,
    /// By member position; `None` for a member without a contact.
    spans: Vec<Option<Span>>,
}

impl Contacts {
    /// Room for `members` members' contacts, their text guessed at [`TYPICAL_CONTACT`] bytes
    /// each: a whole org's text grown by doubling leaves the allocator holding every smaller
    /// copy, and the last one up to twice too large.
    pub fn with_capacity(members: usize) -> Contacts {
        Contacts {
            text: String::with_capacity(members.saturating_mul(TYPICAL_CONTACT)),
            spans: Vec::with_capacity(members),
        }
    }

    /// How many members these are the contacts of, with a contact or not.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The next member's email and title. An email that is not well formed, or a text past
    /// 4 GB, leaves that member without a contact: whoever needs it reads the person instead.
    pub fn push(&mut self, email: &str, title: &str) {
        let start = self.text.len();
        let span = Email::is_stored_form(email).then(|| {
            self.text.push_str(email);
            let email_end = self.text.len();
            self.text.push_str(title);
            let offset = |at: usize| u32::try_from(at).ok();
            Some(Span {
                start: offset(start)?,
                email_end: offset(email_end)?,
                title_end: offset(self.text.len())?,
            })
        });
        let span = span.flatten();
        if span.is_none() {
            self.text.truncate(start);
        }
        self.spans.push(span);
    }

    /// The contacts of the members after these, in room made for exactly them.
    pub fn extend(&mut self, more: Contacts) {
        let base = self.text.len();
        self.text.reserve_exact(more.text.len());
        self.spans.reserve_exact(more.spans.len());
        self.text.push_str(&more.text);
        let shift = |at: u32| u32::try_from(base + at as usize).ok();
        self.spans.extend(more.spans.into_iter().map(|span| {
            let span = span?;
            Some(Span {
                start: shift(span.start)?,
                email_end: shift(span.email_end)?,
                title_end: shift(span.title_end)?,
            })
        }));
    }

    /// The email and title of the member at `position`, when they have a contact.
    pub fn at(&self, position: usize) -> Option<(Email, &str)> {
        let span = (*self.spans.get(position)?)?;
        let slice = |from: u32, to: u32| self.text.get(from as usize..to as usize);
        let email = Email::from_stored(slice(span.start, span.email_end)?)?;
        Some((email, slice(span.email_end, span.title_end)?))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

    use super::*;

    fn at(contacts: &Contacts, position: usize) -> Option<(String, String)> {
        contacts.at(position).map(|(email, title)| (email.to_string(), title.to_owned()))
    }

    #[test]
    fn each_member_has_their_own_email_and_title_across_halves() {
        let mut first = Contacts::with_capacity(2);
        first.push("ada@example.com", "Engineer");
        first.push("not an email", "Lost");
        let mut second = Contacts::default();
        second.push("bo@example.com", "");
        first.extend(second);
        assert_eq!(first.len(), 3);
        let pair = |email: &str, title: &str| Some((email.to_owned(), title.to_owned()));
        assert_eq!(at(&first, 0), pair("ada@example.com", "Engineer"));
        assert_eq!(at(&first, 1), None, "an email that is not well formed");
        assert_eq!(at(&first, 2), pair("bo@example.com", ""));
        assert_eq!(at(&first, 3), None, "no such member");
    }
}
