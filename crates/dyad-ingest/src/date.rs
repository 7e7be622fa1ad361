//! Publication dates as inputs write them: ISO 8601 / RFC 3339 (`2021-08-25`,
//! `2021-08-25T10:00:00Z`, `2021-08-25 10:00:00+04:30`), RFC 2822 (`Wed, 25 Aug 2021
//! 10:00:00 +0000`), and a few spelled-out forms (`August 25, 2021`, `25 August 2021`).
//!
//! The published date is the civil date *as written* (the publisher's local date), so
//! `2021-08-25T23:30:00-04:00` is 2021-08-25, not the UTC date.

use jiff::civil::Date;

/// Spelled-out date formats tried last (jiff `strptime` syntax).
const SPELLED_FORMATS: &[&str] = &[
    "%B %d, %Y",
    "%b %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%A, %B %d, %Y",
    "%A %d %B %Y",
    "%Y/%m/%d",
    "%d.%m.%Y",
];

/// Parses a publication date; `None` when the string is not a date dyad knows.
pub fn parse_date(input: &str) -> Option<Date> {
    let s = input.trim();
    if s.is_empty() || s.len() > 100 {
        return None;
    }
    // ISO forms: the leading YYYY-MM-DD is the date as written.
    if let Some(prefix) = s.get(..10) {
        let b = prefix.as_bytes();
        if b[4] == b'-'
            && b[7] == b'-'
            && let Ok(date) = prefix.parse::<Date>()
        {
            return Some(date);
        }
    }
    if let Some(prefix) = s.get(..8)
        && prefix.bytes().all(|b| b.is_ascii_digit())
        && s.len() == 8
        && let Ok(date) = jiff::civil::Date::strptime("%Y%m%d", prefix)
    {
        return Some(date);
    }
    if let Ok(zoned) = jiff::fmt::rfc2822::parse(s) {
        return Some(zoned.date());
    }
    // RFC 2822 with a zone abbreviation jiff does not know (`CEST`): drop the zone.
    if let Some((head, _zone)) = s.rsplit_once(' ')
        && let Ok(zoned) = jiff::fmt::rfc2822::parse(&format!("{head} +0000"))
    {
        return Some(zoned.date());
    }
    SPELLED_FORMATS
        .iter()
        .find_map(|format| Date::strptime(format, s).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn forms_news_inputs_use() {
        let d = date(2021, 8, 25);
        for s in [
            "2021-08-25",
            "2021-08-25T10:00:00Z",
            "2021-08-25T10:00:00.000+04:30",
            "2021-08-25 10:00:00",
            "Wed, 25 Aug 2021 10:00:00 +0000",
            "Wed, 25 Aug 2021 10:00:00 GMT",
            "25 Aug 2021 10:00:00 EST",
            "Wed, 25 Aug 2021 10:00:00 CEST",
            "August 25, 2021",
            "25 August 2021",
            "20210825",
        ] {
            assert_eq!(parse_date(s), Some(d), "{s}");
        }
        assert_eq!(parse_date("2021-08-25T23:30:00-04:00"), Some(d));
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date("2021-13-45"), None);
        assert_eq!(parse_date("é"), None);
    }
}
