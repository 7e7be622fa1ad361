//! Days as the store keeps them (schema 7 on): day numbers, days since 1970-01-01, which
//! take two or three bytes where `YYYY-MM-DD` takes ten. SQL shows one as `YYYY-MM-DD` with
//! `date(day * 86400, 'unixepoch')` (for years 0000 to 9999 the text [`jiff::civil::Date`]
//! shows, which schemas 1 to 6 stored); a filter day, any text, becomes the range of day
//! numbers whose text the old text comparison let through ([`first_from`], [`last_to`]).

/// The day of an event without any date (`0000-01-01`, as schemas 1 to 6 wrote it).
pub(crate) const NO_DAY: i64 = -719_528;

/// The last day SQLite's date functions show (`9999-12-31`).
const LAST_DAY: i64 = 2_932_896;

/// The day number of `date`.
pub(crate) fn number(date: jiff::civil::Date) -> i64 {
    jiff::civil::date(1970, 1, 1)
        .until((jiff::Unit::Day, date))
        .map(|span| i64::from(span.get_days()))
        .unwrap_or(NO_DAY)
}

/// `YYYY-MM-DD` of a day number in `NO_DAY..=LAST_DAY` (empty outside jiff's range).
pub(crate) fn text(day: i64) -> String {
    jiff::civil::date(1970, 1, 1)
        .checked_add(jiff::Span::new().days(day))
        .map(|d| d.to_string())
        .unwrap_or_default()
}

/// The first day number `n` with `text(n) >= value` (text order, as a `day >= value` filter
/// compared before schema 7); past [`LAST_DAY`] when there is none.
pub(crate) fn first_from(value: &str) -> i64 {
    // Day texts of years 0000 to 9999 sort as their numbers: a binary search.
    let (mut low, mut high) = (NO_DAY, LAST_DAY + 1);
    while low < high {
        let middle = low + (high - low) / 2;
        if text(middle).as_str() >= value {
            high = middle;
        } else {
            low = middle + 1;
        }
    }
    low
}

/// The last day number `n` with `text(n) <= value`; before [`NO_DAY`] when there is none.
pub(crate) fn last_to(value: &str) -> i64 {
    let (mut low, mut high) = (NO_DAY - 1, LAST_DAY);
    while low < high {
        let middle = low + (high - low + 1) / 2;
        if text(middle).as_str() <= value {
            low = middle;
        } else {
            high = middle - 1;
        }
    }
    low
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_keep_the_text_order_of_filters() {
        assert_eq!(text(NO_DAY), "0000-01-01");
        assert_eq!(text(LAST_DAY), "9999-12-31");
        assert_eq!(number(jiff::civil::date(2021, 8, 25)), 18_864);
        assert_eq!(first_from("2021-08-25"), 18_864);
        assert_eq!(last_to("2021-08-25"), 18_864);
        // Partial or odd texts compare as text did.
        assert_eq!(first_from("2017"), number(jiff::civil::date(2017, 1, 1)));
        assert_eq!(last_to("2017-02"), number(jiff::civil::date(2017, 1, 31)));
        assert_eq!(first_from(""), NO_DAY);
        assert_eq!(last_to(""), NO_DAY - 1);
        assert_eq!(first_from("x"), LAST_DAY + 1);
        assert_eq!(last_to("x"), LAST_DAY);
    }
}
