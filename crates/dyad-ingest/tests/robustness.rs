//! No input makes a reader panic or hang: random bytes, random HTML-ish markup, and every
//! truncation of the fixtures, fed to every reader.

mod common;

use dyad_ingest::{InputFormat, ReadOptions, clean_html, read_bytes};
use proptest::prelude::*;

const FORMATS: [Option<InputFormat>; 6] = [
    None,
    Some(InputFormat::Text),
    Some(InputFormat::Html),
    Some(InputFormat::Jsonl),
    Some(InputFormat::Feed),
    Some(InputFormat::Warc),
];

/// Reads `bytes` with every format; every document must satisfy the document invariants.
fn read_with_every_format(name: &str, bytes: &[u8]) {
    for format in FORMATS {
        let options = ReadOptions {
            format,
            max_document_bytes: 1 << 20,
            ..ReadOptions::default()
        };
        for doc in read_bytes(name, bytes, &options).into_iter().flatten() {
            doc.validate().unwrap();
            assert!(!doc.text().is_empty());
        }
    }
}

fn html_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<div>".to_string()),
        Just("</div>".to_string()),
        Just("<p class=share>".to_string()),
        Just("<article>".to_string()),
        Just("<table><tr><td>".to_string()),
        Just("<script>".to_string()),
        Just("</script>".to_string()),
        Just("<!--".to_string()),
        Just("-->".to_string()),
        Just("<![CDATA[".to_string()),
        Just("&amp;".to_string()),
        Just("&#x2019;".to_string()),
        Just("&#0;".to_string()),
        Just("&notin".to_string()),
        Just("<meta charset=\"windows-1252\">".to_string()),
        Just("<a href='x'>".to_string()),
        Just("<br/>".to_string()),
        Just("\r\n".to_string()),
        Just("e\u{301}".to_string()),
        Just("<svg><title>x</title>".to_string()),
        Just("<title>".to_string()),
        "[a-zA-Z ’“”.,]{0,12}",
        "[<>&;/=\"' a-z]{0,6}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        read_with_every_format("random", &bytes);
    }

    #[test]
    fn random_html_never_panics_and_aligns_inside_the_input(
        pieces in proptest::collection::vec(html_piece(), 0..60)
    ) {
        let html = pieces.concat();
        if let Ok(clean) = clean_html(&html) {
            prop_assert!(!clean.text.is_empty());
            // Every clean character boundary maps to somewhere inside the raw input.
            for (i, _) in clean.text.char_indices() {
                prop_assert!(clean.alignment.to_raw(i) <= html.len() + clean.text.len());
            }
        }
        read_with_every_format("random.html", html.as_bytes());
    }

    #[test]
    fn random_json_lines_never_panic(
        lines in proptest::collection::vec("[{}\\[\\]\":, a-z0-9\\\\\n]{0,40}", 0..20)
    ) {
        let input = lines.join("\n");
        let options = ReadOptions::default();
        for doc in read_bytes("random.jsonl", input.as_bytes(), &options).into_iter().flatten() {
            doc.validate().unwrap();
        }
    }
}

/// Every prefix of a fixture is read without panicking.
fn every_cut(name: &str, bytes: &[u8], step: usize) {
    for cut in (0..bytes.len()).step_by(step) {
        read_with_every_format(name, &bytes[..cut]);
    }
}

#[test]
fn truncated_warc_gz_at_every_cut_point() {
    let bytes = common::crawl_warc_gz();
    for cut in 0..bytes.len() {
        let options = ReadOptions::default();
        let items = read_bytes("crawl.warc.gz", &bytes[..cut], &options);
        // Never more documents than the whole file has.
        assert!(items.iter().filter(|i| i.is_ok()).count() <= 2, "cut {cut}");
    }
}

#[test]
fn truncated_uncompressed_warc_at_every_cut_point() {
    let members = common::crawl_warc_members();
    let mut warc = Vec::new();
    for member in members {
        let mut decoder = flate2::read::GzDecoder::new(member.as_slice());
        std::io::Read::read_to_end(&mut decoder, &mut warc).unwrap();
    }
    every_cut("crawl.warc", &warc, 3);
}

#[test]
fn truncated_feeds_jsonl_and_html() {
    for (name, step) in [
        ("feed.rss", 5),
        ("feed.atom", 5),
        ("articles.jsonl", 5),
        ("article.html", 17),
        ("article-cp1252.html", 7),
    ] {
        let bytes = std::fs::read(common::fixture(name)).unwrap();
        every_cut(name, &bytes, step);
    }
}

#[test]
fn pathological_markup_is_bounded() {
    // Shapes that make naive HTML parsers quadratic or recursive.
    let cases = [
        "<div>".repeat(100_000),
        "<b>".repeat(50_000),
        "<a>".repeat(20_000),
        "<table>".repeat(20_000),
        "<p>".repeat(50_000),
        "<!--".repeat(50_000),
        "&".repeat(100_000),
        "<".repeat(100_000),
        format!("<script>{}", "x".repeat(100_000)),
    ];
    for html in cases {
        let _ = clean_html(&html);
    }
}
