//! Property tests: the splitter and tokenizer keep their invariants on any input.

use dyad_text::{split_sentences, tokenize};
use proptest::prelude::*;

/// Checks every invariant of the crate contract on `text`.
fn check_invariants(text: &str) -> Result<(), TestCaseError> {
    let sentences = split_sentences(text);
    let mut covered = vec![false; text.len()];
    let mut previous_end = 0;
    for s in &sentences {
        prop_assert!(
            s.start() >= previous_end,
            "sentences out of order: {sentences:?}"
        );
        prop_assert!(s.end() <= text.len());
        let Some(sentence) = text.get(s.as_range()) else {
            return Err(TestCaseError::fail(format!(
                "sentence {s:?} not on char boundaries"
            )));
        };
        prop_assert!(!sentence.is_empty());
        prop_assert_eq!(
            sentence.trim(),
            sentence,
            "sentence has surrounding whitespace"
        );
        previous_end = s.end();

        let tokens = tokenize(text, *s);
        let mut previous_token_end = s.start();
        for t in &tokens {
            prop_assert!(
                s.contains_range(t.range),
                "token {:?} outside sentence {s:?}",
                t.range
            );
            prop_assert!(t.range.start() >= previous_token_end, "tokens out of order");
            let Some(token) = text.get(t.range.as_range()) else {
                return Err(TestCaseError::fail(format!(
                    "token {:?} not on char boundaries",
                    t.range
                )));
            };
            prop_assert!(
                !token.trim().is_empty(),
                "empty or whitespace token {:?}",
                t.range
            );
            prop_assert!(
                !token.chars().any(char::is_whitespace),
                "whitespace inside token {token:?}"
            );
            if let Some(norm) = &t.norm {
                prop_assert_ne!(&**norm, token, "norm set although equal to the text");
            }
            for flag in &mut covered[t.range.as_range()] {
                *flag = true;
            }
            previous_token_end = t.range.end();
        }
    }
    for (i, c) in text.char_indices() {
        // A hyphen for a lost space (`to-Kishida`) lies between two words, in no token.
        let lost_space = c == '-'
            && i > 0
            && covered[i - 1]
            && covered.get(i + 1) == Some(&true)
            && text[..i].ends_with(|b: char| b.is_alphanumeric())
            && text[i + 1..].starts_with(|b: char| b.is_alphanumeric());
        prop_assert!(
            c.is_whitespace() || covered[i] || lost_space,
            "character {c:?} at byte {i} is in no token of {text:?}"
        );
    }
    Ok(())
}

/// Text made of the pieces news prose is made of, so the interesting rules fire often.
fn newsy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("U.S."),
        Just("Gen."),
        Just("Sept."),
        Just("No."),
        Just("etc."),
        Just("J."),
        Just("a.m."),
        Just("3.5"),
        Just("1,000"),
        Just("9/11"),
        Just("$1.5bn"),
        Just("we’re"),
        Just("don't"),
        Just("Massoud’s"),
        Just("al-Qaeda"),
        Just("“"),
        Just("”"),
        Just("\""),
        Just("'"),
        Just("\"?"),
        Just("?"),
        Just("!"),
        Just("."),
        Just("..."),
        Just(". . ."),
        Just("…"),
        Just(","),
        Just("—"),
        Just("-"),
        Just("("),
        Just(")"),
        Just("["),
        Just("]"),
        Just("•"),
        Just("\n"),
        Just("\n\n"),
        Just("\r\n"),
        Just(" "),
        Just("  "),
        Just("\u{a0}"),
        Just("The"),
        Just("he"),
        Just("said"),
        Just("KABUL,"),
        Just("MOSCOW,"),
        Just("/TASS/"),
        Just("https://bbc.com/x."),
        Just("@CNN"),
        Just("#Kabul"),
        Just("a@b.c"),
        Just("Schr?der"),
        Just("\u{FFFD}?"),
        Just("é"),
        Just("\u{301}"),
        Just("👍"),
        Just("1."),
        Just("cannot"),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_unicode(text in any::<String>()) {
        check_invariants(&text)?;
    }

    #[test]
    fn newsy_pieces(text in newsy()) {
        check_invariants(&text)?;
    }

    #[test]
    fn only_punctuation(text in "[.!?\"'“”‘’()\\[\\]…—–,;:\\- ]{0,60}") {
        check_invariants(&text)?;
    }

    #[test]
    fn only_whitespace(text in "[ \t\r\n\u{a0}\u{2028}\u{3000}]{0,40}") {
        prop_assert!(split_sentences(&text).is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Huge single-line inputs: no panic, no quadratic blow-up that would hang the test.
    #[test]
    fn huge_single_line(piece in newsy(), repeat in 1000usize..3000) {
        let text = piece.replace(['\n', '\r'], " ").repeat(repeat);
        check_invariants(&text)?;
    }
}

#[test]
fn pathological_runs() {
    for text in [
        ".".repeat(100_000),
        " ".repeat(100_000) + "x",
        "\n".repeat(100_000) + "x",
        "a.".repeat(50_000),
        "U.S. ".repeat(20_000),
        "1. ".repeat(30_000),
        "x".repeat(200_000),
        "\"?".repeat(50_000),
        "’".repeat(50_000),
        "-".repeat(100_000),
        "x".to_string() + &" ".repeat(100_000) + "\n" + &"\n ".repeat(50_000) + "y",
        "Sept.".to_string() + &")".repeat(100_000) + " The",
        ". ".repeat(50_000),
    ] {
        check_invariants(&text).unwrap();
    }
}
