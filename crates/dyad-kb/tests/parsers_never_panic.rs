//! Property tests: no input makes a dictionary parser panic, and every error names a line
//! that exists.

use dyad_kb::{KbError, parse_actors, parse_agents, parse_discards, parse_overlay, parse_verbs};
use proptest::prelude::*;

fn line_count(text: &str) -> u32 {
    u32::try_from(text.lines().count()).unwrap_or(u32::MAX)
}

fn check_lines(text: &str, diagnostics: &[KbError]) {
    let lines = line_count(text);
    for d in diagnostics {
        let line = d.line().expect("entry errors carry a line");
        assert!(
            line >= 1 && line <= lines.max(1),
            "{d} (file has {lines} lines)"
        );
        assert!(d.to_string().starts_with("f.txt:"), "{d}");
    }
}

fn run_all(text: &str) {
    let parsed = parse_actors("f.txt", 0, text);
    check_lines(text, &parsed.diagnostics);
    let parsed = parse_agents("f.txt", 0, text);
    check_lines(text, &parsed.diagnostics);
    let parsed = parse_discards("f.txt", 0, text);
    check_lines(text, &parsed.diagnostics);
    let (_, diagnostics) = parse_verbs("f.txt", text);
    check_lines(text, &diagnostics);
    // The same lines inside a verb block (verb forms and patterns).
    let in_block = format!("---  X   [040]  ---\n{text}");
    let (_, diagnostics) = parse_verbs("f.txt", &in_block);
    check_lines(&in_block, &diagnostics);
    if let Ok((_, diagnostics)) = parse_overlay("f.txt", 0, text) {
        check_lines(text, &diagnostics);
    }
}

/// Lines built from the characters the formats give meaning to.
fn dictionary_like() -> impl Strategy<Value = String> {
    let line = proptest::collection::vec(
        prop_oneof![
            Just("["),
            Just("]"),
            Just("{"),
            Just("}"),
            Just("("),
            Just(")"),
            Just("+"),
            Just("-"),
            Just("---"),
            Just("_"),
            Just("&"),
            Just("~"),
            Just("!"),
            Just("#"),
            Just("<!--"),
            Just("-->"),
            Just("$"),
            Just("^"),
            Just("%"),
            Just("*"),
            Just(":"),
            Just("="),
            Just(" "),
            Just("\t"),
            Just("AFG"),
            Just("~GOV"),
            Just("20090120"),
            Just(">090120"),
            Just("<19991231"),
            Just("-"),
            Just("MEET"),
            Just("é"),
            Just("ß"),
            Just("9"),
            Just("version = 1"),
            Just("[[actor]]"),
            Just("\""),
        ],
        0..12,
    )
    .prop_map(|parts| parts.concat());
    proptest::collection::vec(line, 0..20).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        run_all(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn dictionary_like_lines_never_panic(text in dictionary_like()) {
        run_all(&text);
    }
}

#[test]
fn deep_brackets_do_not_overflow() {
    let pattern = format!("---  X   [040]  ---\nX\n- * {} [040]\n", "(".repeat(10_000));
    let (_, diagnostics) = parse_verbs("f.txt", &pattern);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].line(), Some(3));
}
