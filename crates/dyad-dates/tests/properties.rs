//! Property tests: no input text and no publication date makes extraction panic, and every
//! range is a character-aligned, ordered, disjoint range of the text.

use dyad_dates::find_dates;
use dyad_document::Date;
use proptest::prelude::*;

fn published() -> impl Strategy<Value = Option<Date>> {
    prop_oneof![
        Just(None),
        Just(Date::new(1, 1, 1).ok()),
        Just(Date::new(9999, 12, 31).ok()),
        Just(Date::new(-9999, 1, 1).ok()),
        (1i16..=9999, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| Date::new(y, m, d).ok()),
    ]
}

/// Text made of date-like pieces, so the grammar's deep paths are exercised.
fn datey_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("September".to_string()),
        Just("May".to_string()),
        Just("Sept.".to_string()),
        Just("Tuesday".to_string()),
        Just("the".to_string()),
        Just("late".to_string()),
        Just("since".to_string()),
        Just("between".to_string()),
        Just("and".to_string()),
        Just("from".to_string()),
        Just("to".to_string()),
        Just("two days before".to_string()),
        Just("ago".to_string()),
        Just("last".to_string()),
        Just("next".to_string()),
        Just("past".to_string()),
        Just("century".to_string()),
        Just("years".to_string()),
        Just("s".to_string()),
        Just("'".to_string()),
        Just("-".to_string()),
        Just("/".to_string()),
        Just(",".to_string()),
        Just(". ".to_string()),
        Just("9/11".to_string()),
        Just("’".to_string()),
        (0u32..100_000).prop_map(|n| n.to_string()),
        "[a-zA-Z]{1,8}",
        "\\PC{1,3}",
    ];
    prop::collection::vec((piece, prop::bool::ANY), 0..40).prop_map(|pieces| {
        pieces
            .into_iter()
            .map(|(p, space)| if space { format!("{p} ") } else { p })
            .collect()
    })
}

fn check(text: &str, published: Option<Date>) {
    let dates = find_dates(text, published);
    let mut previous_end = 0;
    for d in &dates {
        let r = d.range;
        assert!(r.start() < r.end(), "empty range {r:?} in {text:?}");
        assert!(
            text.get(r.as_range()).is_some(),
            "bad range {r:?} in {text:?}"
        );
        assert!(r.start() >= previous_end, "unordered {r:?} in {text:?}");
        previous_end = r.end();
        if let Some(v) = d.value {
            assert!(v.start <= v.end, "{v:?} in {text:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}", published in published()) {
        check(&text, published);
    }

    #[test]
    fn date_like_text_never_panics(text in datey_text(), published in published()) {
        check(&text, published);
    }
}

#[test]
fn calendar_edges() {
    for published in [Date::new(1, 1, 1).ok(), Date::new(9999, 12, 31).ok()] {
        check(
            "Since 1000, the next 999 centuries, 999 centuries ago, next year, last week, \
             Tuesday, December 31, this winter, next weekend, the 21st century, the '80s.",
            published,
        );
    }
}
