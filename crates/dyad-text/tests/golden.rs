//! Golden files: the seed article and tricky real news passages, split and tokenized.
//!
//! Each `tests/golden/*.txt` output lists one sentence per line (line breaks inside a
//! sentence shown as `⏎`), so a diff reads like an annotation. To accept a change, run
//! `UPDATE_GOLDEN=1 cargo test -p dyad-text --test golden` and review the diff.

use dyad_text::{TextRange, split_sentences, tokenize};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn show(text: &str) -> String {
    text.replace("\r\n", "⏎").replace('\n', "⏎")
}

/// One line per sentence.
fn sentences_listing(text: &str) -> String {
    let mut out = String::new();
    for r in split_sentences(text) {
        writeln!(out, "{}", show(&text[r.as_range()])).unwrap();
    }
    out
}

/// One line per sentence, tokens separated by spaces, normalized forms after `/` when set.
fn tokens_listing(text: &str) -> String {
    let mut out = String::new();
    for r in split_sentences(text) {
        let line: Vec<String> = tokenize(text, r)
            .iter()
            .map(|t| {
                let surface = &text[t.range.as_range()];
                match &t.norm {
                    Some(n) if n.to_lowercase() != surface.to_lowercase() => {
                        format!("{surface}/{n}")
                    }
                    _ => surface.to_string(),
                }
            })
            .collect();
        writeln!(out, "{}", line.join(" ")).unwrap();
    }
    out
}

fn check(name: &str, actual: &str) {
    let path = golden_dir().join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with UPDATE_GOLDEN=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        let mut diff = String::new();
        for (i, (e, a)) in expected.lines().zip(actual.lines()).enumerate() {
            if e != a {
                writeln!(diff, "line {}:\n  expected: {e}\n  actual:   {a}", i + 1).unwrap();
            }
        }
        panic!(
            "{name} differs from the golden file ({} expected lines, {} actual):\n{diff}\nrun with UPDATE_GOLDEN=1 to accept",
            expected.lines().count(),
            actual.lines().count()
        );
    }
}

#[test]
fn seed_article_has_29_sentences() {
    let text = std::fs::read_to_string(shared().join("corpus/seed/panjshir.txt")).unwrap();
    assert_eq!(
        split_sentences(&text).len(),
        29,
        "{}",
        sentences_listing(&text)
    );
    check("panjshir.sentences.txt", &sentences_listing(&text));
    check("panjshir.tokens.txt", &tokens_listing(&text));
}

#[test]
fn tricky_news_passages() {
    let inputs = std::fs::read_to_string(golden_dir().join("tricky_inputs.jsonl")).unwrap();
    let mut sentences = String::new();
    let mut tokens = String::new();
    for (n, line) in inputs
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let case: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("tricky_inputs.jsonl:{}: {e}", n + 1));
        let source = case["source"].as_str().unwrap_or("?");
        let text = case["text"].as_str().unwrap_or_default();
        writeln!(sentences, "## {source}").unwrap();
        sentences.push_str(&sentences_listing(text));
        sentences.push('\n');
        writeln!(tokens, "## {source}").unwrap();
        tokens.push_str(&tokens_listing(text));
        tokens.push('\n');
    }
    check("tricky.sentences.txt", &sentences);
    check("tricky.tokens.txt", &tokens);
}

#[test]
fn whole_text_tokens_match_per_sentence_tokens() {
    // Tokenizing a range twice gives the same tokens (no hidden state).
    let text = "He met Gen. Smith. They left at 5 p.m. The end.";
    let all: Vec<TextRange> = split_sentences(text);
    for r in all {
        assert_eq!(tokenize(text, r), tokenize(text, r));
    }
}
