//! The text of a notice mail: a greeting, each notice in a sentence with the link to its task,
//! and where to find everything else. Plain and short: people read these on a phone.

/// Notices listed in one mail at most; the rest are counted, and the task page has them all.
pub const MAX_MAIL_LINES: usize = 30;

/// One notice as a mail lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailLine {
    /// The notice in a sentence.
    pub text: String,
    /// The full address of the page that does the task.
    pub link: String,
}

/// A mail's subject and plain-text body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailText {
    pub subject: String,
    pub body: String,
}

/// The mail to `name` carrying `lines` (at least one). `single_subject` is the subject when
/// there is one line; a daily `digest` says so. `home` is the task page's full address and
/// `settings` the page where reminders are turned off.
pub fn compose_mail(
    name: &str,
    lines: &[MailLine],
    single_subject: &str,
    digest: bool,
    home: &str,
    settings: &str,
) -> MailText {
    let count = lines.len();
    let subject = match (count, digest) {
        (1, false) => single_subject.to_owned(),
        (1, true) => format!("Your Rungs digest: {single_subject}"),
        (_, false) => format!("{count} things to do in Rungs"),
        (_, true) => format!("Your Rungs digest: {count} things to do"),
    };
    let mut body = format!("Hello {name},\n\n");
    for line in lines.iter().take(MAX_MAIL_LINES) {
        body.push_str(&format!("{}\n{}\n\n", line.text, line.link));
    }
    if count > MAX_MAIL_LINES {
        body.push_str(&format!("And {} more.\n\n", count - MAX_MAIL_LINES));
    }
    body.push_str(&format!("Everything you have to do: {home}\n"));
    body.push_str(&format!("You can turn reminders off (not new work) on {settings}\n"));
    MailText { subject, body }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> MailLine {
        MailLine { text: text.to_owned(), link: format!("https://rungs.test/t/{}", text.len()) }
    }

    #[test]
    fn one_notice_is_the_subject_and_carries_its_link() {
        let mail = compose_mail(
            "Ada Lovelace",
            &[line("Assess Grace Hopper in 2027-H1.")],
            "Assess Grace Hopper in 2027-H1",
            false,
            "https://rungs.test/",
            "https://rungs.test/account",
        );
        assert_eq!(mail.subject, "Assess Grace Hopper in 2027-H1");
        assert!(mail.body.starts_with(
            "Hello Ada Lovelace,\n\nAssess Grace Hopper in 2027-H1.\nhttps://rungs.test/t/31\n"
        ));
        assert!(mail.body.contains("Everything you have to do: https://rungs.test/\n"));
    }

    #[test]
    fn several_notices_are_counted_and_a_long_list_is_cut() {
        let lines: Vec<MailLine> =
            (0..MAX_MAIL_LINES + 2).map(|n| line(&"x".repeat(n + 1))).collect();
        let mail = compose_mail("Ada", &lines, "unused", true, "h", "s");
        assert_eq!(mail.subject, format!("Your Rungs digest: {} things to do", MAX_MAIL_LINES + 2));
        assert!(mail.body.contains("And 2 more.\n"));
        assert_eq!(mail.body.matches("https://rungs.test/t/").count(), MAX_MAIL_LINES);
    }
}
