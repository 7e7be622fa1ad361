//! Unit tests of the whole extraction on short news-like sentences.

use super::*;
use dyad_document::DateAnchor;

fn day(s: &str) -> Date {
    s.parse().unwrap()
}

/// `(covered text, normalized value or "-", anchor)` for every expression.
fn found(text: &str, published: &str) -> Vec<(String, String, DateAnchor)> {
    let published = (!published.is_empty()).then(|| day(published));
    find_dates(text, published)
        .into_iter()
        .map(|d| {
            (
                text[d.range.as_range()].to_string(),
                d.value
                    .map(|v| v.normalized())
                    .unwrap_or_else(|| "-".into()),
                d.anchor,
            )
        })
        .collect()
}

/// Just the `text=value` pairs, for compact assertions.
fn pairs(text: &str, published: &str) -> Vec<String> {
    found(text, published)
        .into_iter()
        .map(|(t, v, _)| format!("{t}={v}"))
        .collect()
}

const SEED: &str = "2021-08-25";

#[test]
fn absolute_day_forms() {
    assert_eq!(
        pairs(
            "On September 9, 2001 and 9 September 2001 and Sept. 9, 2001 and 9/9/2001 and 2021-08-24 and 25/12/2020.",
            SEED
        ),
        [
            "September 9, 2001=2001-09-09",
            "9 September 2001=2001-09-09",
            "Sept. 9, 2001=2001-09-09",
            "9/9/2001=2001-09-09",
            "2021-08-24=2021-08-24",
            "25/12/2020=2020-12-25",
        ]
    );
}

#[test]
fn partial_days_resolve_to_the_recent_past() {
    assert_eq!(
        pairs(
            "Ghani fled on August 15. He wrote on Aug. 18 and 18 August.",
            SEED
        ),
        [
            "August 15=2021-08-15",
            "Aug. 18=2021-08-18",
            "18 August=2021-08-18"
        ]
    );
}

#[test]
fn months_years_and_parts() {
    assert_eq!(
        pairs(
            "It began in August 2021, not in 2001 or 1980, but mid-2019 and early 2020 matter.",
            SEED
        ),
        [
            "August 2021=2021-08",
            "2001=2001",
            "1980=1980",
            "mid-2019=2019-05-01/2019-08-31",
            "early 2020=2020-01-01/2020-04-30",
        ]
    );
}

#[test]
fn periods() {
    assert_eq!(
        pairs(
            "The war of the 1980s, the late 1990s and the early 2000s; the past 40 years; \
             the last two decades; the 19th century; since 2014; between 2001 and 2021.",
            SEED
        ),
        [
            "the 1980s=1980-01-01/1989-12-31",
            "the late 1990s=1997-01-01/1999-12-31",
            "the early 2000s=2000-01-01/2003-12-31",
            "the past 40 years=1981-08-25/2021-08-25",
            "the last two decades=2001-08-25/2021-08-25",
            "the 19th century=1800-01-01/1899-12-31",
            "since 2014=2014-01-01/2021-08-25",
            "between 2001 and 2021=2001-01-01/2021-12-31",
        ]
    );
}

#[test]
fn from_month_to_month() {
    assert_eq!(
        pairs("Talks ran from March to May.", SEED),
        ["from March to May=2021-03-01/2021-05-31"]
    );
}

#[test]
fn deictics_against_publication() {
    assert_eq!(
        pairs(
            "Today and yesterday, tomorrow and tonight; this week, last week, next month, \
             last month, this year, earlier this year, last year, last weekend, this morning, \
             earlier this month.",
            SEED
        ),
        [
            "Today=2021-08-25",
            "yesterday=2021-08-24",
            "tomorrow=2021-08-26",
            "tonight=2021-08-25",
            "this week=2021-08-23/2021-08-29",
            "last week=2021-08-16/2021-08-22",
            "next month=2021-09",
            "last month=2021-07",
            "this year=2021",
            "earlier this year=2021",
            "last year=2020",
            "last weekend=2021-08-21/2021-08-22",
            "this morning=2021-08-25",
            "earlier this month=2021-08",
        ]
    );
}

#[test]
fn weekdays_and_tense() {
    assert_eq!(
        pairs(
            "In a press conference in Kabul on Tuesday, Mujahid spoke.",
            SEED
        ),
        ["Tuesday=2021-08-24"]
    );
    assert_eq!(
        pairs("The council will meet on Tuesday.", SEED),
        ["Tuesday=2021-08-31"]
    );
    assert_eq!(
        pairs("Rockets were fired on Monday night.", SEED),
        ["Monday night=2021-08-23"]
    );
    // A speech verb between the cue and the day resets the cue.
    assert_eq!(
        pairs(
            "The envoy, who will travel, said on Monday that talks failed.",
            SEED
        ),
        ["Monday=2021-08-23"]
    );
}

#[test]
fn quantified_relatives() {
    let text = "He was killed on September 9, 2001, two days before the towers fell. \
                Three weeks ago a year ago.";
    let got = found(text, SEED);
    assert_eq!(got[1].0, "two days before");
    assert_eq!(got[1].1, "2001-09-07");
    assert_eq!(got[1].2, DateAnchor::Reference);
    assert_eq!(got[2].0, "Three weeks ago");
    assert_eq!(got[2].1, "2021-08-02/2021-08-08");
    assert_eq!(got[3].1, "2020");
    // Without a date to count from, `two days later` counts from an event: no expression.
    assert!(pairs("The rebels attacked. Two days later they left.", SEED).is_empty());
    assert_eq!(
        pairs(
            "Profit fell in 2016, from 3.1 billion euros in the previous year.",
            SEED
        ),
        ["2016=2016", "the previous year=2015"]
    );
}

#[test]
fn not_dates() {
    for text in [
        "About 1,000 fighters and the 32-year-old leader met at No. 10.",
        "Protesters march on the capital and more may come.",
        "Theresa May's government met 2000 people at Euro 2016.",
        "Call 555-2016 or +44 20 7946 0958 before 5 p.m.",
        "The score was 3/4 and 2/2 of them agreed; the operation took eight hours.",
        "Mr Jan Smith spoke.",
        "Egypt recently eased some restrictions.",
    ] {
        assert!(
            pairs(text, SEED).is_empty(),
            "{text}: {:?}",
            pairs(text, SEED)
        );
    }
}

#[test]
fn nine_eleven_is_a_known_date() {
    assert_eq!(
        pairs("After the 9/11 attacks, the U.S. invaded.", SEED),
        ["9/11=2001-09-11"]
    );
}

#[test]
fn times_attach_to_nothing() {
    assert_eq!(
        pairs(
            "The suspect entered on Monday around 3:30 a.m. and left at 5 p.m.",
            SEED
        ),
        ["Monday=2021-08-23"]
    );
}

#[test]
fn partial_date_takes_the_year_of_its_sentence() {
    assert_eq!(
        pairs(
            "In December 2015, the ministry said it would ease rules from December 23.",
            SEED
        ),
        ["December 2015=2015-12", "December 23=2015-12-23"]
    );
}

#[test]
fn future_partial_dates() {
    assert_eq!(
        pairs("The book is releasing February 15.", "2017-02-07"),
        ["February 15=2017-02-15"]
    );
    assert_eq!(
        pairs(
            "Talks are scheduled in Geneva for February 20.",
            "2017-02-09"
        ),
        ["February 20=2017-02-20"]
    );
}

#[test]
fn without_publication_date_relative_is_unresolved() {
    let got = found(
        "On Tuesday, on September 9, 2001, and three days after, today.",
        "",
    );
    assert_eq!(
        got[0],
        ("Tuesday".into(), "-".into(), DateAnchor::Unresolved)
    );
    assert_eq!(got[1].1, "2001-09-09");
    assert_eq!(got[1].2, DateAnchor::Absolute);
    assert_eq!(got[2].1, "2001-09-12");
    assert_eq!(got[2].2, DateAnchor::Reference);
    assert_eq!(got[3], ("today".into(), "-".into(), DateAnchor::Unresolved));
}

#[test]
fn stage_fills_dates_and_governing_date_picks_the_clause() {
    use dyad_document::{Metadata, Pipeline, Sentence};
    let text = "Mujahid spoke in Kabul on Tuesday. The Taliban met on Monday, and fought in 2001.";
    let mut doc = Document::new(
        text.into(),
        Metadata {
            published: Some(day(SEED)),
            ..Metadata::default()
        },
    );
    doc.sentences = vec![
        Sentence {
            range: TextRange::new(0, 34),
        },
        Sentence {
            range: TextRange::new(35, text.len()),
        },
    ];
    DatesStage::new().process(&mut doc).unwrap();
    assert_eq!(doc.dates.len(), 3);
    doc.validate().unwrap();
    let met = text.find("met").unwrap();
    assert_eq!(
        governing_date(&doc, 1, TextRange::new(met, met + 3)),
        Some(1)
    );
    let fought = text.find("fought").unwrap();
    assert_eq!(
        governing_date(&doc, 1, TextRange::new(fought, fought + 6)),
        Some(2)
    );
    let spoke = text.find("spoke").unwrap();
    assert_eq!(
        governing_date(&doc, 0, TextRange::new(spoke, spoke + 5)),
        Some(0)
    );
    assert_eq!(governing_date(&doc, 7, TextRange::new(0, 1)), None);
    assert!(Pipeline::new(vec![Box::new(DatesStage)]).is_err());
}
