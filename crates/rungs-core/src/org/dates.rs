//! Dates as HR exports write them (hire dates, the start at the current level): ISO
//! (`2019-03-04`, with or without a time), `4 Mar 2019`, `Mar 4, 2019`, and `03/04/2019`, whose
//! order an import mapping says when the numbers leave it open; and the time since such a date,
//! in whole months, as "at em for 14 months" shows it.

use jiff::civil::Date;

/// How a date written with slashes, dots or dashes and the year last is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// `03/04/2019` is March 4th.
    MonthFirst,
    /// `03/04/2019` is April 3rd.
    DayFirst,
}

const MONTHS: [&str; 12] =
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

fn month_named(word: &str) -> Option<i8> {
    let word = word.trim_end_matches('.').to_lowercase();
    if word.len() < 3 {
        return None;
    }
    let position = MONTHS.iter().position(|month| word.starts_with(month))?;
    // "March" and "Mar" but not "Marble": the whole word is a prefix of the month's name.
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ][position];
    (full.starts_with(&word) || (position == 8 && word == "sept"))
        .then(|| i8::try_from(position + 1).unwrap_or(1))
}

fn date(year: i64, month: i64, day: i64, text: &str) -> Result<Date, String> {
    let (Ok(year), Ok(month), Ok(day)) =
        (i16::try_from(year), i8::try_from(month), i8::try_from(day))
    else {
        return Err(not_a_date(text));
    };
    Date::new(year, month, day)
        .map_err(|_| format!("`{}` is no day of the calendar", crate::text::excerpt(text)))
}

fn not_a_date(text: &str) -> String {
    format!(
        "`{}` is not a date: write it as 2019-03-04, 4 Mar 2019 or 03/04/2019",
        crate::text::excerpt(text)
    )
}

fn number(text: &str) -> Option<i64> {
    (!text.is_empty() && text.len() <= 4 && text.bytes().all(|byte| byte.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// Reads a date; `order` settles `03/04/2019`, which is refused as ambiguous without one.
pub fn parse_date(text: &str, order: Option<DateOrder>) -> Result<Date, String> {
    let trimmed = text.trim();
    // ISO, perhaps with a time after it: 2019-03-04, 2019-03-04T09:00:00Z, 2019/03/04.
    let day_part = trimmed.split(['T', ' ']).next().unwrap_or(trimmed);
    let parts: Vec<&str> = day_part.split(['-', '/', '.']).collect();
    if let [year, month, day] = parts.as_slice()
        && year.len() == 4
        && let (Some(year), Some(month), Some(day)) = (number(year), number(month), number(day))
    {
        return date(year, month, day, trimmed);
    }
    // Year last: 03/04/2019, 3.4.2019, 03-04-2019.
    if let [first, second, year] = parts.as_slice()
        && year.len() == 4
        && day_part == trimmed
        && let (Some(first), Some(second), Some(year)) =
            (number(first), number(second), number(year))
    {
        let order = match order {
            Some(order) => order,
            None if first > 12 => DateOrder::DayFirst,
            None if second > 12 => DateOrder::MonthFirst,
            None => {
                return Err(format!(
                    "`{}` could be day first or month first: say which in the import mapping's [dates] order",
                    crate::text::excerpt(trimmed)
                ));
            }
        };
        let (month, day) = match order {
            DateOrder::MonthFirst => (first, second),
            DateOrder::DayFirst => (second, first),
        };
        return date(year, month, day, trimmed);
    }
    // Words: 4 Mar 2019, 4 March 2019, Mar 4, 2019, March 4 2019, 4-Mar-2019.
    let words: Vec<&str> = trimmed.split([' ', ',', '-']).filter(|word| !word.is_empty()).collect();
    if let [a, b, year] = words.as_slice()
        && let Some(year) = number(year).filter(|_| year.len() == 4)
    {
        let (month, day) = match (month_named(a), month_named(b)) {
            (Some(month), None) => (month, number(b)),
            (None, Some(month)) => (month, number(a)),
            _ => return Err(not_a_date(trimmed)),
        };
        if let Some(day) = day {
            return date(year, i64::from(month), day, trimmed);
        }
    }
    Err(not_a_date(trimmed))
}

/// Whole months from `since` to `today` (0 when `since` is later).
pub fn months_between(since: Date, today: Date) -> i64 {
    if today < since {
        return 0;
    }
    let months = (i64::from(today.year()) - i64::from(since.year())) * 12
        + i64::from(today.month())
        - i64::from(since.month());
    if today.day() < since.day() { months - 1 } else { months }
}

/// "14 months", "1 month", "2 years and 3 months", "less than a month": months up to two years.
pub fn duration_words(months: i64) -> String {
    let plural = |count: i64, one: &str| {
        if count == 1 { format!("1 {one}") } else { format!("{count} {one}s") }
    };
    match (months / 12, months % 12) {
        _ if months <= 0 => "less than a month".to_owned(),
        _ if months < 24 => plural(months, "month"),
        (years, 0) => plural(years, "year"),
        (years, rest) => format!("{} and {}", plural(years, "year"), plural(rest, "month")),
    }
}

/// How long `person` has been at their level and with the company, as far as their HR export
/// says: "At em for 14 months, since 2025-10-01; joined 2019-03-04."
pub fn tenure(person: &crate::org::Person, today: Date) -> Option<String> {
    let joined = person.hire_date.map(|hired| format!("joined {hired}"));
    match (person.level_since, joined) {
        (Some(since), joined) => {
            let months = duration_words(months_between(since, today));
            let joined = joined.map(|joined| format!("; {joined}")).unwrap_or_default();
            Some(format!(
                "At {} for {months}, since {since}{joined}.",
                crate::org::level_name(person.level.as_ref())
            ))
        }
        (None, Some(joined)) => {
            let months = person.hire_date.map_or(0, |hired| months_between(hired, today));
            Some(format!("Joined {}, {} ago.", &joined["joined ".len()..], duration_words(months)))
        }
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(year: i16, month: i8, day: i8) -> Date {
        Date::new(year, month, day).unwrap()
    }

    #[test]
    fn hr_exports_write_dates_in_several_ways() {
        for (text, expected) in [
            ("2019-03-04", ymd(2019, 3, 4)),
            ("2019-03-04T09:30:00Z", ymd(2019, 3, 4)),
            ("2019/3/4", ymd(2019, 3, 4)),
            ("4 Mar 2019", ymd(2019, 3, 4)),
            ("4 March 2019", ymd(2019, 3, 4)),
            ("Mar 4, 2019", ymd(2019, 3, 4)),
            ("04-Mar-2019", ymd(2019, 3, 4)),
            ("Sept 30 2019", ymd(2019, 9, 30)),
            ("25/12/2019", ymd(2019, 12, 25)),
            ("12/25/2019", ymd(2019, 12, 25)),
        ] {
            assert_eq!(parse_date(text, None), Ok(expected), "{text}");
        }
        assert_eq!(parse_date("03/04/2019", Some(DateOrder::MonthFirst)), Ok(ymd(2019, 3, 4)));
        assert_eq!(parse_date("03/04/2019", Some(DateOrder::DayFirst)), Ok(ymd(2019, 4, 3)));
        assert_eq!(
            parse_date("03/04/2019", None).unwrap_err(),
            "`03/04/2019` could be day first or month first: say which in the import mapping's [dates] order"
        );
        assert_eq!(
            parse_date("2019-02-30", None).unwrap_err(),
            "`2019-02-30` is no day of the calendar"
        );
        assert!(parse_date("Marble 4 2019", None).unwrap_err().contains("is not a date"));
        assert!(parse_date("soon", None).unwrap_err().contains("is not a date"));
    }

    #[test]
    fn time_at_level_counts_whole_months() {
        assert_eq!(months_between(ymd(2025, 10, 1), ymd(2026, 12, 7)), 14);
        assert_eq!(months_between(ymd(2025, 10, 8), ymd(2026, 12, 7)), 13);
        assert_eq!(months_between(ymd(2027, 1, 1), ymd(2026, 12, 7)), 0);
        assert_eq!(duration_words(14), "14 months");
        assert_eq!(duration_words(27), "2 years and 3 months");
        assert_eq!(duration_words(1), "1 month");
        assert_eq!(duration_words(24), "2 years");
        assert_eq!(duration_words(0), "less than a month");
    }

    #[test]
    fn tenure_says_how_long_at_the_level_and_since_joining() {
        let mut person = crate::org::Person {
            id: crate::org::PersonId::parse("E1").unwrap(),
            name: "Ada".to_owned(),
            email: crate::org::Email::parse("ada@example.com").unwrap(),
            title: String::new(),
            track: Some(crate::TrackId::parse("management").unwrap()),
            level: Some(crate::LevelId::parse("em").unwrap()),
            manager_id: None,
            team: String::new(),
            status: crate::org::Status::Active,
            hire_date: None,
            level_since: None,
        };
        let today = ymd(2026, 12, 7);
        assert_eq!(tenure(&person, today), None);
        person.hire_date = Some(ymd(2019, 3, 4));
        assert_eq!(tenure(&person, today).unwrap(), "Joined 2019-03-04, 7 years and 9 months ago.");
        person.level_since = Some(ymd(2025, 10, 1));
        assert_eq!(
            tenure(&person, today).unwrap(),
            "At em for 14 months, since 2025-10-01; joined 2019-03-04."
        );
    }
}
