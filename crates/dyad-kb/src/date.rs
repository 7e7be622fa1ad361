//! Date restrictions on actor codes (`[USAGOV 20090120-20170120]`, `[AFGGOV >011222]`).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The days on which a code applies, both ends inclusive; `None` is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DateRange {
    /// First day the code applies.
    pub from: Option<Date>,
    /// Last day the code applies.
    pub until: Option<Date>,
}

impl DateRange {
    /// Every day.
    pub const ALWAYS: DateRange = DateRange {
        from: None,
        until: None,
    };

    /// True when the range has no bounds.
    pub fn is_unbounded(&self) -> bool {
        self.from.is_none() && self.until.is_none()
    }

    /// True when `date` lies in the range; an unknown date matches only unbounded ranges,
    /// so that undated text gets the dictionary's default (undated) code.
    pub fn contains(&self, date: Option<Date>) -> bool {
        match date {
            None => self.is_unbounded(),
            Some(d) => self.from.is_none_or(|f| d >= f) && self.until.is_none_or(|u| d <= u),
        }
    }

    /// Parses PETRARCH's restriction text: `A-B` (A <= date < B), `>A` (date >= A),
    /// `<B` (date < B). Dates are `YYYYMMDD` or `YYMMDD` (YY <= 30 → 20YY, else 19YY).
    pub fn parse_petrarch(text: &str) -> Result<DateRange, String> {
        let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(rest) = text.strip_prefix('>') {
            return Ok(DateRange {
                from: Some(parse_petrarch_date(rest)?),
                until: None,
            });
        }
        if let Some(rest) = text.strip_prefix('<') {
            return Ok(DateRange {
                from: None,
                until: Some(day_before(parse_petrarch_date(rest)?)?),
            });
        }
        match text.split_once('-') {
            Some((start, end)) => {
                let from = parse_petrarch_date(start)?;
                let end = parse_petrarch_date(end)?;
                Ok(DateRange {
                    from: Some(from),
                    until: Some(day_before(end)?),
                })
            }
            None => Err(format!(
                "date restriction `{text}` is not `YYYYMMDD-YYYYMMDD`, `>YYYYMMDD` or `<YYYYMMDD`"
            )),
        }
    }
}

impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.from, self.until) {
            (None, None) => write!(f, "always"),
            (Some(a), None) => write!(f, "from {a}"),
            (None, Some(b)) => write!(f, "until {b}"),
            (Some(a), Some(b)) => write!(f, "{a} to {b}"),
        }
    }
}

fn day_before(date: Date) -> Result<Date, String> {
    date.yesterday()
        .map_err(|_| format!("{date} has no day before it"))
}

/// Parses `YYYYMMDD` or `YYMMDD`.
pub fn parse_petrarch_date(text: &str) -> Result<Date, String> {
    let bad = || format!("`{text}` is not a date in YYYYMMDD or YYMMDD form");
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let number = |s: &str| s.parse::<i32>().map_err(|_| bad());
    let (year, rest) = match text.len() {
        8 => (number(&text[..4])?, &text[4..]),
        6 => {
            let yy = number(&text[..2])?;
            (if yy <= 30 { 2000 + yy } else { 1900 + yy }, &text[2..])
        }
        _ => return Err(bad()),
    };
    let month = number(&rest[..2])?;
    let day = number(&rest[2..4])?;
    let year = i16::try_from(year).map_err(|_| bad())?;
    let month = i8::try_from(month).map_err(|_| bad())?;
    let day = i8::try_from(day).map_err(|_| bad())?;
    Date::new(year, month, day).map_err(|e| format!("`{text}`: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn petrarch_ranges_become_inclusive_ranges() {
        let r = DateRange::parse_petrarch("20090120-20170120").unwrap();
        assert_eq!(r.from, Some(date(2009, 1, 20)));
        assert_eq!(r.until, Some(date(2017, 1, 19)));
        let r = DateRange::parse_petrarch(">011222").unwrap();
        assert_eq!(r.from, Some(date(2001, 12, 22)));
        let r = DateRange::parse_petrarch("<19991231").unwrap();
        assert_eq!(r.until, Some(date(1999, 12, 30)));
        let r = DateRange::parse_petrarch("750101-000101").unwrap();
        assert_eq!(r.from, Some(date(1975, 1, 1)));
        assert!(DateRange::parse_petrarch("20100931-20110101").is_err());
        assert!(DateRange::parse_petrarch("yesterday").is_err());
    }

    #[test]
    fn unknown_dates_match_only_unbounded_ranges() {
        assert!(DateRange::ALWAYS.contains(None));
        let r = DateRange::parse_petrarch(">20090120").unwrap();
        assert!(!r.contains(None));
        assert!(r.contains(Some(date(2010, 1, 1))));
        assert!(!r.contains(Some(date(2009, 1, 19))));
    }
}
