//! End-to-end tests of `dyad code`: the binary on the seed, the fixtures and broken inputs.

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

fn seed() -> Option<PathBuf> {
    let p = repo().join("../shared/corpus/seed/panjshir.txt");
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipping: ../shared is not beside the repository");
        None
    }
}

fn dyad(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(args)
        .output()
        .expect("the dyad binary runs")
}

fn dyad_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the dyad binary runs");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(input)
        .expect("write stdin");
    child.wait_with_output().expect("dyad finishes")
}

fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("every output line is JSON"))
        .collect()
}

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("docs/document.schema.json")).expect("schema file"),
    )
    .expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

/// Validates against the JSON Schema and checks that every span's text is what its code point
/// offsets cover.
fn check_contract(doc: &Value) {
    let v = validator();
    let errors: Vec<String> = v.iter_errors(doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "schema violations: {errors:#?}");
    let text: Vec<char> = doc["text"].as_str().unwrap().chars().collect();
    let check = |span: &Value| {
        let (s, e) = (
            span["start"].as_u64().unwrap() as usize,
            span["end"].as_u64().unwrap() as usize,
        );
        let covered: String = text[s..e].iter().collect();
        assert_eq!(covered, span["text"].as_str().unwrap(), "span {s}..{e}");
    };
    for layer in [
        "sentences",
        "tokens",
        "entities",
        "quotes",
        "dates",
        "places",
    ] {
        for span in doc[layer].as_array().into_iter().flatten() {
            check(span);
        }
    }
    for event in doc["events"].as_array().into_iter().flatten() {
        check(&event["evidence"]);
        check(&event["source"]);
    }
}

#[test]
fn seed_gives_one_valid_document_with_29_sentences() {
    let Some(seed) = seed() else { return };
    let out = dyad(&[
        "code",
        seed.to_str().unwrap(),
        "--published",
        "2021-08-25",
        "--tokens",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs = lines(&out);
    assert_eq!(docs.len(), 1);
    let doc = &docs[0];
    check_contract(doc);
    assert_eq!(doc["published"], "2021-08-25");
    assert_eq!(doc["sentences"].as_array().unwrap().len(), 29);
    assert!(doc["id"].as_str().unwrap().starts_with("sha256:"));
    // Re-running gives the same id (content hash).
    let again = lines(&dyad(&["code", seed.to_str().unwrap()]));
    assert_eq!(again[0]["id"], doc["id"]);
}

#[test]
fn each_fixture_format_yields_valid_documents() {
    for (name, at_least) in [
        ("article.html", 1),
        ("article-cp1252.html", 1),
        ("articles.jsonl", 3),
        ("feed.rss", 3),
        ("feed.atom", 1),
        ("crawl.warc.gz", 1),
    ] {
        let path = fixture(name);
        let out = dyad(&["code", path.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let docs = lines(&out);
        assert!(docs.len() >= at_least, "{name}: {} documents", docs.len());
        for doc in &docs {
            check_contract(doc);
            assert!(
                !doc["sentences"].as_array().unwrap().is_empty(),
                "{name}: no sentences"
            );
        }
    }
}

#[test]
fn html_boilerplate_is_dropped() {
    let out = dyad(&["code", fixture("article.html").to_str().unwrap()]);
    let docs = lines(&out);
    let text = docs[0]["text"].as_str().unwrap().to_lowercase();
    for junk in [
        "accept all",
        "cookie",
        "<script",
        "subscribe to our newsletter",
    ] {
        assert!(!text.contains(junk), "boilerplate {junk:?} left in: {text}");
    }
    assert!(docs[0]["title"].is_string());
}

#[test]
fn a_bad_line_goes_to_the_dead_letter_and_the_rest_comes_out() {
    let dir = tempfile::tempdir().unwrap();
    let dead = dir.path().join("dead.jsonl");
    let out = dyad(&[
        "code",
        fixture("articles-with-bad-line.jsonl").to_str().unwrap(),
        "--dead-letter",
        dead.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!lines(&out).is_empty(), "the good lines still come out");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("articles-with-bad-line.jsonl") && stderr.contains("line"),
        "stderr names the file and line: {stderr}"
    );
    let dead_text = std::fs::read_to_string(&dead).unwrap();
    let letter: Value = serde_json::from_str(dead_text.lines().next().unwrap()).unwrap();
    assert!(
        letter["path"]
            .as_str()
            .unwrap()
            .ends_with("articles-with-bad-line.jsonl")
    );
    assert!(letter["reason"].as_str().is_some());
}

#[test]
fn strict_stops_at_the_first_failure() {
    let out = dyad(&[
        "code",
        "--strict",
        fixture("articles-with-bad-line.jsonl").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn broken_inputs_never_take_down_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.html");
    let bytes: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&garbage, &bytes).unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    let good = dir.path().join("good.txt");
    std::fs::write(&good, "The Taliban met with all embassies in Kabul.").unwrap();
    let out = dyad(&[
        "code",
        garbage.to_str().unwrap(),
        fixture("crawl-truncated.warc.gz").to_str().unwrap(),
        empty.to_str().unwrap(),
        good.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs = lines(&out);
    assert!(
        docs.iter()
            .any(|d| d["text"] == "The Taliban met with all embassies in Kabul."),
        "the good document still comes out"
    );
}

#[test]
fn stdin_is_read_with_a_format() {
    let out = dyad_stdin(
        &["code", "-", "--input-format", "html", "--source", "Test Wire"],
        b"<html><head><title>Talks</title></head><body><p>Mujahid said the Taliban had met with all embassies.</p></body></html>",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs = lines(&out);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["source"], "Test Wire");
    assert_eq!(docs[0]["title"], "Talks");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(
        dyad(&["code", "--published", "25/08/2021"]).status.code(),
        Some(2)
    );
    assert_eq!(dyad(&["no-such-command"]).status.code(), Some(2));
}

#[test]
fn gzip_input_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.txt.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&path).unwrap(),
        flate2::Compression::default(),
    );
    gz.write_all("Russia and Ukraine agreed to talks. Both sides met in Minsk.".as_bytes())
        .unwrap();
    gz.finish().unwrap();
    let out = dyad(&["code", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs = lines(&out);
    assert_eq!(docs[0]["sentences"].as_array().unwrap().len(), 2);
}
