//! Turning a [`Meaning`] into calendar days: publication-relative, reference-relative or absolute.
//!
//! Every calendar step goes through jiff's checked arithmetic; a step that leaves jiff's range
//! (year -9999..=9999) yields no value instead of a panic.

use crate::lexicon::{Part, Unit};
use crate::scan::{Meaning, Which};
use dyad_document::{Date, DateAnchor, DateValue, Granularity};
use jiff::Span;

/// Partial dates further back than this are taken as the next occurrence instead
/// (`February 15` published on February 7 is next week, not last year).
pub(crate) const MAX_PAST_DAYS: i64 = 300;

/// What an expression is resolved against.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Context {
    /// The publication date.
    pub published: Option<Date>,
    /// The most recent calendar expression in this or the previous sentence.
    pub reference: Option<DateValue>,
    /// A year given explicitly earlier in the same sentence.
    pub sentence_year: Option<i32>,
    /// The clause talks about the future (`will meet on Tuesday`).
    pub future: bool,
}

pub(crate) fn date(year: i32, month: u8, day: u8) -> Option<Date> {
    let year = i16::try_from(year).ok()?;
    let month = i8::try_from(month).ok()?;
    let day = i8::try_from(day).ok()?;
    Date::new(year, month, day).ok()
}

pub(crate) fn add(day: Date, count: i64, unit: Unit) -> Option<Date> {
    let span = match unit {
        Unit::Day => Span::new().try_days(count).ok()?,
        Unit::Week => Span::new().try_weeks(count).ok()?,
        Unit::Month => Span::new().try_months(count).ok()?,
        Unit::Year => Span::new().try_years(count).ok()?,
        Unit::Decade => Span::new().try_years(count.checked_mul(10)?).ok()?,
        Unit::Century => Span::new().try_years(count.checked_mul(100)?).ok()?,
    };
    day.checked_add(span).ok()
}

fn days_between(from: Date, to: Date) -> Option<i64> {
    from.until(to).ok().map(|span| i64::from(span.get_days()))
}

fn value(start: Date, end: Date, granularity: Granularity) -> Option<DateValue> {
    (start <= end).then_some(DateValue {
        start,
        end,
        granularity,
    })
}

fn single_day(day: Date) -> DateValue {
    DateValue {
        start: day,
        end: day,
        granularity: Granularity::Day,
    }
}

fn month_of(year: i32, month: u8) -> Option<DateValue> {
    let start = date(year, month, 1)?;
    value(start, start.last_of_month(), Granularity::Month)
}

fn year_of(year: i32) -> Option<DateValue> {
    value(date(year, 1, 1)?, date(year, 12, 31)?, Granularity::Year)
}

fn years(first: i32, last: i32, granularity: Granularity) -> Option<DateValue> {
    value(date(first, 1, 1)?, date(last, 12, 31)?, granularity)
}

fn week_of(day: Date) -> Option<DateValue> {
    let back = i64::from(day.weekday().to_monday_zero_offset());
    let start = add(day, -back, Unit::Day)?;
    value(start, add(start, 6, Unit::Day)?, Granularity::Week)
}

fn season_of(year: i32, first_month: u8) -> Option<DateValue> {
    let start = date(year, first_month, 1)?;
    let end = add(add(start, 3, Unit::Month)?, -1, Unit::Day)?;
    value(start, end, Granularity::Quarter)
}

/// The calendar period of `unit` containing `day`.
fn enclosing(unit: Unit, day: Date) -> Option<DateValue> {
    let year = i32::from(day.year());
    match unit {
        Unit::Day => Some(single_day(day)),
        Unit::Week => week_of(day),
        Unit::Month => month_of(year, u8::try_from(day.month()).ok()?),
        Unit::Year | Unit::Decade | Unit::Century => year_of(year),
    }
}

/// The early / mid / late third of a period.
fn third(period: DateValue, part: Part, of: Granularity) -> Option<DateValue> {
    let index = match part {
        Part::Early => 0,
        Part::Mid => 1,
        Part::Late => 2,
    };
    let year = i32::from(period.start.year());
    let (start, end) = match of {
        Granularity::Decade => {
            let (a, b) = [(0, 3), (4, 6), (7, 9)][index];
            (date(year + a, 1, 1)?, date(year + b, 12, 31)?)
        }
        Granularity::Year => {
            let first = 1 + 4 * index as u8;
            let start = date(year, first, 1)?;
            (start, add(add(start, 4, Unit::Month)?, -1, Unit::Day)?)
        }
        Granularity::Month => {
            let (a, b) = [(1, 10), (11, 20), (21, 31)][index];
            let month = u8::try_from(period.start.month()).ok()?;
            let start = date(year, month, a)?;
            let end = date(year, month, b).unwrap_or(start.last_of_month());
            (start, end.min(start.last_of_month()))
        }
        Granularity::Quarter => {
            let start = add(period.start, index as i64, Unit::Month)?;
            (start, start.last_of_month())
        }
        _ => return None,
    };
    value(start, end, Granularity::Range)
}

/// Picks the occurrence of a yearless period (`August 15`, `in December`) a reader means:
/// the one containing publication, else the most recent past one unless it is more than
/// [`MAX_PAST_DAYS`] back or the clause is about the future, then the next one.
fn occurrence(
    make: impl Fn(i32) -> Option<DateValue>,
    published: Date,
    future: bool,
) -> Option<DateValue> {
    let year = i32::from(published.year());
    let candidates: Vec<DateValue> = [year - 1, year, year + 1]
        .into_iter()
        .filter_map(&make)
        .collect();
    let past = candidates
        .iter()
        .rev()
        .find(|v| v.start <= published)
        .copied();
    let next = candidates.iter().find(|v| v.start > published).copied();
    match (past, next) {
        (Some(p), _) if p.end >= published => Some(p),
        (Some(p), Some(n)) => {
            let far = days_between(p.start, published).is_none_or(|d| d > MAX_PAST_DAYS);
            Some(if future || far { n } else { p })
        }
        (p, n) => p.or(n),
    }
}

/// The named occurrence (`last May`, `next winter`, `this summer`).
fn named(
    make: impl Fn(i32) -> Option<DateValue>,
    published: Date,
    which: Which,
    future: bool,
) -> Option<DateValue> {
    let year = i32::from(published.year());
    let candidates: Vec<DateValue> = [year - 2, year - 1, year, year + 1]
        .into_iter()
        .filter_map(&make)
        .collect();
    match which {
        Which::Plain => occurrence(make, published, future),
        Which::Last => candidates.iter().rev().find(|v| v.end < published).copied(),
        Which::Next => candidates.iter().find(|v| v.start > published).copied(),
        Which::This => candidates
            .iter()
            .min_by_key(|v| {
                days_between(v.start, published)
                    .map(i64::abs)
                    .unwrap_or(i64::MAX)
            })
            .copied(),
    }
}

fn weekday(published: Date, weekday: u8, which: Which, future: bool) -> Option<DateValue> {
    let today = i64::from(published.weekday().to_monday_one_offset());
    let back = (today - i64::from(weekday)).rem_euclid(7);
    let offset = match (which, back) {
        (Which::Last, 0) => -7,
        (Which::Next, 0) => 7,
        (Which::Plain | Which::This, 0) => 0,
        (Which::Next, b) => 7 - b,
        (Which::Plain | Which::This, b) if future => 7 - b,
        (_, b) => -b,
    };
    add(published, offset, Unit::Day).map(single_day)
}

fn unit_granularity(unit: Unit) -> Granularity {
    match unit {
        Unit::Day => Granularity::Day,
        Unit::Week => Granularity::Week,
        Unit::Month => Granularity::Month,
        Unit::Year => Granularity::Year,
        Unit::Decade => Granularity::Decade,
        Unit::Century => Granularity::Century,
    }
}

/// Resolves a meaning. Relative meanings without the date they need get `(None, Unresolved)`.
pub(crate) fn resolve(meaning: &Meaning, context: &Context) -> (Option<DateValue>, DateAnchor) {
    let absolute = |v: Option<DateValue>| (v, DateAnchor::Absolute);
    let published = context.published;
    let on_publication = |f: &dyn Fn(Date) -> Option<DateValue>| match published {
        Some(p) => (f(p), DateAnchor::Publication),
        None => (None, DateAnchor::Unresolved),
    };
    match meaning {
        &Meaning::Day {
            year: Some(y),
            month,
            day,
        } => absolute(date(y, month, day).map(single_day)),
        &Meaning::Day {
            year: None,
            month,
            day,
        } => match context.sentence_year {
            Some(y) => (date(y, month, day).map(single_day), DateAnchor::Reference),
            None => on_publication(&|p| {
                occurrence(|y| date(y, month, day).map(single_day), p, context.future)
            }),
        },
        &Meaning::DayRange {
            year,
            month,
            first,
            last,
        } => {
            let make = |y: i32| {
                value(
                    date(y, month, first)?,
                    date(y, month, last)?,
                    Granularity::Range,
                )
            };
            match year.or(context.sentence_year) {
                Some(y) if year.is_some() => absolute(make(y)),
                Some(y) => (make(y), DateAnchor::Reference),
                None => on_publication(&|p| occurrence(make, p, context.future)),
            }
        }
        &Meaning::Month {
            year,
            month,
            part,
            which,
        } => {
            let make = |y: i32| {
                let whole = month_of(y, month)?;
                match part {
                    Some(part) => third(whole, part, Granularity::Month),
                    None => Some(whole),
                }
            };
            match (year, context.sentence_year) {
                (Some(y), _) => absolute(make(y)),
                (None, Some(y)) if which == Which::Plain => (make(y), DateAnchor::Reference),
                _ => on_publication(&|p| named(make, p, which, context.future)),
            }
        }
        &Meaning::Year { year, part } => absolute(match part {
            Some(part) => year_of(year).and_then(|v| third(v, part, Granularity::Year)),
            None => year_of(year),
        }),
        &Meaning::Season {
            year,
            first_month,
            part,
            which,
        } => {
            let make = |y: i32| {
                let whole = season_of(y, first_month)?;
                match part {
                    Some(part) => third(whole, part, Granularity::Quarter),
                    None => Some(whole),
                }
            };
            match year {
                Some(y) => absolute(make(y)),
                None => on_publication(&|p| named(make, p, which, context.future)),
            }
        }
        &Meaning::Decade { start, part } => {
            let whole = years(start, start + 9, Granularity::Decade);
            absolute(match part {
                Some(part) => whole.and_then(|v| third(v, part, Granularity::Decade)),
                None => whole,
            })
        }
        &Meaning::Century { start } => absolute(years(start, start + 99, Granularity::Century)),
        &Meaning::Weekday { weekday: w, which } => {
            on_publication(&|p| weekday(p, w, which, context.future))
        }
        &Meaning::DayOffset(days) => on_publication(&|p| add(p, days, Unit::Day).map(single_day)),
        &Meaning::Enclosing { unit, offset } => {
            on_publication(&|p| enclosing(unit, add(p, offset, unit)?))
        }
        &Meaning::Weekend { offset } => on_publication(&|p| {
            let week = week_of(add(p, offset, Unit::Week)?)?;
            let saturday = add(week.start, 5, Unit::Day)?;
            value(saturday, week.end, Granularity::Range)
        }),
        &Meaning::Ago { count, unit } => {
            on_publication(&|p| enclosing(unit, add(p, count.checked_neg()?, unit)?))
        }
        &Meaning::Past { count, unit } => {
            on_publication(&|p| value(add(p, count.checked_neg()?, unit)?, p, Granularity::Range))
        }
        &Meaning::Next { count, unit } => on_publication(&|p| {
            value(
                add(p, 1, Unit::Day)?,
                add(p, count, unit)?,
                Granularity::Range,
            )
        }),
        &Meaning::Shift { count, unit } => match context.reference {
            Some(reference)
                if reference.granularity != Granularity::Range
                    && reference.granularity <= unit_granularity(unit) =>
            {
                let shifted = add(reference.start, count, unit).and_then(|d| enclosing(unit, d));
                (shifted, DateAnchor::Reference)
            }
            _ => (None, DateAnchor::Unresolved),
        },
        Meaning::Since(inner) => {
            let (from, anchor) = resolve(inner, context);
            match (from, published, anchor) {
                (_, _, DateAnchor::Unresolved) | (_, None, _) | (None, _, _) => {
                    (None, DateAnchor::Unresolved)
                }
                (Some(from), Some(p), _) => {
                    let end = if p >= from.start { p } else { from.end };
                    (
                        value(from.start, end, Granularity::Range),
                        DateAnchor::Publication,
                    )
                }
            }
        }
        Meaning::Between(first, last) => {
            let (a, anchor_a) = resolve(first, context);
            let (b, anchor_b) = resolve(last, context);
            let anchor = match (anchor_a, anchor_b) {
                (DateAnchor::Unresolved, _) | (_, DateAnchor::Unresolved) => DateAnchor::Unresolved,
                (DateAnchor::Absolute, DateAnchor::Absolute) => DateAnchor::Absolute,
                (DateAnchor::Reference, _) | (_, DateAnchor::Reference) => DateAnchor::Reference,
                _ => DateAnchor::Publication,
            };
            let range = match (a, b) {
                (Some(a), Some(b)) => value(a.start, b.end, Granularity::Range),
                _ => None,
            };
            (range, anchor)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn published() -> Context {
        Context {
            published: date(2021, 8, 25),
            ..Context::default()
        }
    }

    fn normalized(meaning: Meaning, context: &Context) -> String {
        resolve(&meaning, context)
            .0
            .map(|v| v.normalized())
            .unwrap_or_default()
    }

    #[test]
    fn partial_dates_prefer_the_recent_past() {
        let day = |month, day| Meaning::Day {
            year: None,
            month,
            day,
        };
        assert_eq!(normalized(day(8, 15), &published()), "2021-08-15");
        // A date days after publication is last year's... unless that is too far back.
        assert_eq!(normalized(day(9, 1), &published()), "2021-09-01");
        assert_eq!(normalized(day(3, 1), &published()), "2021-03-01");
    }

    #[test]
    fn weekdays_resolve_to_the_past_unless_future() {
        let tuesday = Meaning::Weekday {
            weekday: 2,
            which: Which::Plain,
        };
        assert_eq!(normalized(tuesday.clone(), &published()), "2021-08-24");
        let future = Context {
            future: true,
            ..published()
        };
        assert_eq!(normalized(tuesday, &future), "2021-08-31");
    }

    #[test]
    fn no_publication_date_means_unresolved() {
        let (value, anchor) = resolve(&Meaning::DayOffset(0), &Context::default());
        assert_eq!((value, anchor), (None, DateAnchor::Unresolved));
    }

    #[test]
    fn extremes_of_the_calendar_do_not_panic() {
        for p in [date(1, 1, 1), date(9999, 12, 31), date(-9999, 1, 1)] {
            let context = Context {
                published: p,
                ..Context::default()
            };
            for meaning in [
                Meaning::Ago {
                    count: 999,
                    unit: Unit::Century,
                },
                Meaning::Next {
                    count: 999,
                    unit: Unit::Century,
                },
                Meaning::Enclosing {
                    unit: Unit::Year,
                    offset: 1,
                },
                Meaning::Weekend { offset: 1 },
                Meaning::Day {
                    year: None,
                    month: 12,
                    day: 31,
                },
            ] {
                let _ = resolve(&meaning, &context);
            }
        }
    }
}
