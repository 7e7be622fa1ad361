//! One test group per input format, on the fixtures in `tests/fixtures/` (see its README).

mod common;

use common::fixture;
use dyad_document::Document;
use dyad_ingest::{
    IngestError, IngestErrorKind, InputFormat, JsonlFields, ReadOptions, read_bytes, read_inputs,
};
use jiff::civil::date;
use std::io::Write;
use std::path::PathBuf;

fn read_all(paths: &[PathBuf], options: &ReadOptions) -> (Vec<Document>, Vec<IngestError>) {
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for item in read_inputs(paths, options) {
        match item {
            Ok(doc) => docs.push(doc),
            Err(e) => errors.push(e),
        }
    }
    (docs, errors)
}

fn read_one(name: &str) -> (Vec<Document>, Vec<IngestError>) {
    read_all(&[fixture(name)], &ReadOptions::default())
}

/// Every listed word of the clean text maps back to the same word in `raw`.
fn assert_maps_back(doc: &Document, raw: &str, words: &[&str]) {
    for word in words {
        let clean_at = doc
            .text()
            .find(word)
            .unwrap_or_else(|| panic!("{word} not in text"));
        let raw_at = doc.alignment.to_raw(clean_at);
        assert_eq!(
            raw.get(raw_at..raw_at + word.len()),
            Some(*word),
            "{word}: clean {clean_at} -> raw {raw_at}"
        );
    }
}

#[test]
fn html_article_drops_boilerplate_and_keeps_paragraphs() {
    let (docs, errors) = read_one("article.html");
    assert!(errors.is_empty(), "{errors:?}");
    let doc = &docs[0];
    let expected = "Fighters loyal to Ahmad Massoud said on Wednesday they would not surrender the Panjshir Valley, the last province holding out against the Taliban, as hundreds of Taliban fighters massed near its entrance.
“We prefer peace, but we are ready to defend our valley,” Ali Nazary, a spokesman for the National Resistance Front, told reporters by telephone. He said talks with Taliban envoys in Charikar had produced no agreement.
The Taliban, who seized Kabul on August 15, said they had surrounded the valley and urged its defenders to negotiate. Zabihullah Mujahid, a Taliban spokesman, said the group wanted to resolve the dispute peacefully.
Amrullah Saleh, the former vice-president who has declared himself caretaker president, joined Massoud in the valley after Ashraf Ghani fled the country.
A history of resistance
Massoud’s father, Ahmad Shah Massoud, held the valley against Soviet forces in the 1980s and against the Taliban in the 1990s before he was killed by al-Qaeda operatives on September 9, 2001.";
    assert_eq!(doc.text(), expected);
    for boilerplate in [
        "cookies",
        "Share on",
        "Advertisement",
        "Most read",
        "Subscribe",
        "All rights",
        "Home",
    ] {
        assert!(!doc.text().contains(boilerplate), "{boilerplate} kept");
    }
    let meta = &doc.meta;
    assert_eq!(
        meta.title.as_deref(),
        Some("Panjshir resistance vows to hold out as Taliban mass fighters")
    );
    assert_eq!(meta.published, Some(date(2021, 8, 25)));
    assert_eq!(
        meta.url.as_deref(),
        Some("https://www.kabulledger.example/world/asia/panjshir-resistance-taliban")
    );
    assert_eq!(meta.source.as_deref(), Some("The Kabul Ledger"));
    assert_eq!(meta.language.as_deref(), Some("en"));
    assert!(meta.origin.path.ends_with("article.html"));
    assert_eq!(meta.origin.position, None);
    let raw = std::fs::read_to_string(fixture("article.html")).unwrap();
    assert_maps_back(
        doc,
        &raw,
        &[
            "Fighters",
            "Nazary",
            "Charikar",
            "Zabihullah",
            "resistance",
            "al-Qaeda",
            "2001",
        ],
    );
    // A span across an entity maps to the entity in the raw HTML.
    let quote = doc.text().find('“').unwrap();
    assert_eq!(&raw[doc.alignment.to_raw(quote)..][..7], "&#8220;");
}

#[test]
fn windows_1252_page_is_decoded() {
    let (docs, errors) = read_one("article-cp1252.html");
    assert!(errors.is_empty(), "{errors:?}");
    let doc = &docs[0];
    assert!(doc.text().contains("“The talks were difficult"));
    assert!(doc.text().contains("The Taliban’s delegation"));
    assert!(doc.text().contains("province’s cafés and markets."));
    assert!(!doc.text().contains("Front page"), "table navigation kept");
    assert!(!doc.text().contains("Contact"), "footer kept");
    assert_eq!(
        doc.meta.title.as_deref(),
        Some("Taliban and Panjshir envoys meet in Charikar")
    );
    assert_eq!(doc.meta.published, Some(date(2021, 8, 26)));
    assert_eq!(doc.meta.source.as_deref(), Some("Valley Courier"));
    let bytes = std::fs::read(fixture("article-cp1252.html")).unwrap();
    let (raw, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
    assert_maps_back(doc, &raw, &["Envoys", "Mawlawi", "cafés", "Muttaqi"]);
}

#[test]
fn jsonl_articles_with_default_field_names() {
    let (docs, errors) = read_one("articles.jsonl");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(docs.len(), 4);
    let positions: Vec<_> = docs
        .iter()
        .map(|d| d.meta.origin.position.clone().unwrap())
        .collect();
    assert_eq!(positions, ["line 1", "line 2", "line 3", "line 4"]);
    // `headline`, `published`, `outlet`, `link`, `content`: the fallback names.
    let airport = &docs[1];
    assert_eq!(
        airport.meta.title.as_deref(),
        Some("Evacuation flights resume at Kabul airport after blasts")
    );
    assert_eq!(airport.meta.published, Some(date(2021, 8, 27)));
    assert_eq!(airport.meta.source.as_deref(), Some("The Kabul Ledger"));
    assert_eq!(
        airport.meta.external_id.as_deref(),
        Some("kl-2021-08-26-014")
    );
    assert!(
        airport.text().contains("service members.\nThe Pentagon"),
        "CRLF not normalized"
    );
    // HTML in the text field is cleaned; RFC 2822 date; numeric id.
    let cabinet = &docs[2];
    assert_eq!(
        cabinet.text(),
        "The Taliban on Tuesday named a caretaker government led by Mohammad Hasan Akhund.\nSirajuddin Haqqani, whose network is designated a terrorist group by the United States, was named interior minister."
    );
    assert_eq!(cabinet.meta.published, Some(date(2021, 9, 7)));
    assert_eq!(cabinet.meta.external_id.as_deref(), Some("4711"));
    assert_eq!(docs[3].meta.language.as_deref(), Some("en"));
    // Alignment into the JSON string value: CRLF removal shifts offsets.
    let raw = "Evacuation flights resumed at Kabul’s Hamid Karzai International Airport on Friday, a day after two suicide bombings killed dozens of Afghans and 13 US service members.\r\nThe Pentagon said the Islamic State affiliate in Khorasan province was behind the attack. President Joe Biden vowed to hunt down those responsible.";
    assert_maps_back(airport, raw, &["Evacuation", "Pentagon", "Biden"]);
}

#[test]
fn jsonl_bad_lines_are_errors_and_the_rest_is_read() {
    let (docs, errors) = read_one("articles-with-bad-line.jsonl");
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].meta.origin.position.as_deref(), Some("line 1"));
    assert_eq!(docs[1].meta.origin.position.as_deref(), Some("line 6"));
    let positions: Vec<_> = errors.iter().map(|e| e.position.clone().unwrap()).collect();
    assert_eq!(positions, ["line 2", "line 4", "line 5"]);
    assert!(matches!(errors[0].kind, IngestErrorKind::Json(_)));
    assert!(matches!(
        errors[1].kind,
        IngestErrorKind::NotAnObject { .. }
    ));
    assert!(matches!(
        errors[2].kind,
        IngestErrorKind::MissingText { .. }
    ));
    let message = errors[0].to_string();
    assert!(
        message.contains("articles-with-bad-line.jsonl: line 2: invalid JSON"),
        "{message}"
    );
}

#[test]
fn jsonl_custom_field_names() {
    let line = br#"{"story": "Kabul fell on August 15.", "hed": "Kabul falls", "when": "2021-08-15", "uid": "x1"}"#;
    let options = ReadOptions {
        jsonl_fields: JsonlFields {
            text: vec!["story".into()],
            title: vec!["hed".into()],
            date: vec!["when".into()],
            id: vec!["uid".into()],
            ..JsonlFields::default()
        },
        ..ReadOptions::default()
    };
    let docs = read_bytes("custom.jsonl", line, &options);
    let doc = docs[0].as_ref().unwrap();
    assert_eq!(doc.text(), "Kabul fell on August 15.");
    assert_eq!(doc.meta.title.as_deref(), Some("Kabul falls"));
    assert_eq!(doc.meta.published, Some(date(2021, 8, 15)));
    assert_eq!(doc.meta.external_id.as_deref(), Some("x1"));
}

#[test]
fn over_long_jsonl_line_is_skipped_with_its_line_number() {
    let mut input = Vec::new();
    input.extend_from_slice(b"{\"text\": \"Kabul fell.\"}\n");
    input.extend_from_slice(b"{\"text\": \"");
    input.extend(std::iter::repeat_n(b'x', 300_000));
    input.extend_from_slice(b"\"}\n{\"text\": \"Panjshir held out.\"}\n");
    let options = ReadOptions {
        max_document_bytes: 10_000,
        ..ReadOptions::default()
    };
    let items = read_bytes("big.jsonl", &input, &options);
    assert_eq!(items.len(), 3);
    assert_eq!(items[0].as_ref().unwrap().text(), "Kabul fell.");
    let error = items[1].as_ref().unwrap_err();
    assert!(matches!(
        error.kind,
        IngestErrorKind::TooLarge { limit: 10_000 }
    ));
    assert_eq!(
        error.to_string().split(": ").take(2).collect::<Vec<_>>(),
        ["big.jsonl", "line 2"]
    );
    assert_eq!(items[2].as_ref().unwrap().text(), "Panjshir held out.");
}

#[test]
fn rss_items_become_documents() {
    let (docs, errors) = read_one("feed.rss");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(docs.len(), 3);
    let first = &docs[0];
    assert_eq!(
        first.text(),
        "Fighters loyal to Ahmad Massoud said on Wednesday they would not surrender the Panjshir Valley.\n“We prefer peace, but we are ready to defend our valley,” said Ali Nazary of the National Resistance Front."
    );
    assert_eq!(first.meta.published, Some(date(2021, 8, 25)));
    assert_eq!(first.meta.external_id.as_deref(), Some("kl-2021-08-25-001"));
    assert_eq!(
        first.meta.source.as_deref(),
        Some("The Kabul Ledger - World")
    );
    assert_eq!(first.meta.origin.position.as_deref(), Some("item 1"));
    // Escaped HTML in <description>.
    assert_eq!(
        docs[1].text(),
        "Evacuation flights resumed at Kabul’s airport on Friday, a day after two suicide bombings.\nThe Pentagon blamed the Islamic State affiliate in Khorasan province."
    );
    assert_eq!(
        docs[2].meta.title.as_deref(),
        Some("Taliban & resistance envoys meet in Charikar")
    );
    assert_eq!(docs[2].meta.published, Some(date(2021, 8, 26)));
    assert_eq!(
        docs[2].meta.url.as_deref(),
        Some("https://www.kabulledger.example/world/asia/charikar-talks")
    );
}

#[test]
fn atom_entries_become_documents() {
    let (docs, errors) = read_one("feed.atom");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(docs.len(), 2);
    assert_eq!(
        docs[0].meta.url.as_deref(),
        Some("https://valleycourier.example/2021/09/06/panjshir-control")
    );
    assert_eq!(docs[0].meta.published, Some(date(2021, 9, 6)));
    assert_eq!(docs[0].meta.source.as_deref(), Some("Valley Courier"));
    // XHTML summary; no <published>: <updated> is the date.
    assert_eq!(
        docs[1].text(),
        "The Taliban on Tuesday named a caretaker government led by Mohammad Hasan Akhund.\nSirajuddin Haqqani was named interior minister."
    );
    assert_eq!(docs[1].meta.published, Some(date(2021, 9, 7)));
    assert_eq!(
        docs[1].meta.external_id.as_deref(),
        Some("tag:valleycourier.example,2021:caretaker-government")
    );
}

#[test]
fn warc_html_responses_become_documents() {
    let (docs, errors) = read_one("crawl.warc.gz");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        docs.len(),
        2,
        "request, image, redirect and metadata records are skipped"
    );
    let airport = &docs[0];
    assert_eq!(
        airport.meta.url.as_deref(),
        Some("https://www.kabulledger.example/world/asia/kabul-airport-evacuation")
    );
    assert_eq!(
        airport.meta.external_id.as_deref(),
        Some("urn:uuid:6f1c2b1e-0000-4000-8000-000000000003")
    );
    assert_eq!(airport.meta.published, Some(date(2021, 8, 27)));
    assert_eq!(
        airport.meta.origin.position.as_deref(),
        Some("record 3 (byte 653)")
    );
    assert!(!airport.text().contains("cookies"));
    assert!(
        airport
            .text()
            .starts_with("Evacuation flights resumed at Kabul’s")
    );
    // Windows-1252 body named only by the HTTP header, gzip content encoding, WARC-Date.
    let charikar = &docs[1];
    assert!(
        charikar
            .text()
            .contains("“Both sides agreed to meet again,” said an elder")
    );
    assert!(charikar.text().contains("in a café."));
    assert!(!charikar.text().contains("Front page"));
    assert_eq!(charikar.meta.published, Some(date(2021, 8, 26)));
}

#[test]
fn truncated_warc_keeps_earlier_records_and_reports_the_cut() {
    let (docs, errors) = read_one("crawl-truncated.warc.gz");
    assert_eq!(docs.len(), 1);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].position.as_deref(), Some("record 4 (byte 2058)"));
    assert!(
        matches!(errors[0].kind, IngestErrorKind::Gzip(_)),
        "{}",
        errors[0]
    );
}

#[test]
fn gzip_is_detected_by_magic_and_extension() {
    let jsonl = std::fs::read(fixture("articles.jsonl")).unwrap();
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(&jsonl).unwrap();
    let gz = encoder.finish().unwrap();
    // No helpful name: magic bytes, then sniffing.
    let items = read_bytes("upload", &gz, &ReadOptions::default());
    assert_eq!(items.iter().filter(|i| i.is_ok()).count(), 4);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("articles.jsonl.gz");
    std::fs::write(&path, &gz).unwrap();
    let (docs, errors) = read_all(&[path], &ReadOptions::default());
    assert_eq!((docs.len(), errors.len()), (4, 0));
}

#[test]
fn directories_are_read_recursively_in_order_with_sidecars() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("b.txt"), "Kabul fell on August 15.\r\n").unwrap();
    std::fs::write(
        root.join("b.txt.json"),
        r#"{"title": "Kabul falls", "published": "2021-08-15", "source": "Wire", "id": "w-1", "language": "en"}"#,
    )
    .unwrap();
    std::fs::write(root.join("a.txt"), "Panjshir held out.").unwrap();
    std::fs::write(
        root.join("a.json"),
        r#"{"title": "Panjshir holds", "url": "https://x.example/a"}"#,
    )
    .unwrap();
    std::fs::write(root.join(".hidden.txt"), "never read").unwrap();
    std::fs::create_dir(root.join("sub")).unwrap();
    std::fs::copy(fixture("article.html"), root.join("sub/c.html")).unwrap();
    let (docs, errors) = read_all(&[root.to_path_buf()], &ReadOptions::default());
    assert!(errors.is_empty(), "{errors:?}");
    let titles: Vec<_> = docs
        .iter()
        .map(|d| d.meta.title.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        titles,
        [
            "Panjshir holds",
            "Kabul falls",
            "Panjshir resistance vows to hold out as Taliban mass fighters"
        ]
    );
    assert_eq!(docs[0].meta.url.as_deref(), Some("https://x.example/a"));
    let b = &docs[1];
    assert_eq!(b.text(), "Kabul fell on August 15.");
    assert_eq!(b.meta.published, Some(date(2021, 8, 15)));
    assert_eq!(b.meta.external_id.as_deref(), Some("w-1"));
    assert_eq!(b.meta.language.as_deref(), Some("en"));
}

#[test]
fn command_line_date_and_source_override_the_input() {
    let options = ReadOptions {
        published: Some(date(2021, 8, 25)),
        source: Some("BBC".into()),
        ..ReadOptions::default()
    };
    let (docs, _) = read_all(&[fixture("articles.jsonl")], &options);
    assert!(
        docs.iter()
            .all(|d| d.meta.published == Some(date(2021, 8, 25)))
    );
    assert!(docs.iter().all(|d| d.meta.source.as_deref() == Some("BBC")));
}

#[test]
fn explicit_format_beats_sniffing() {
    let html = b"<p>Kabul fell.</p>";
    let as_text = ReadOptions {
        format: Some("text".parse().unwrap()),
        ..ReadOptions::default()
    };
    assert_eq!(
        read_bytes("-", html, &as_text)[0].as_ref().unwrap().text(),
        "<p>Kabul fell.</p>"
    );
    assert_eq!(
        read_bytes("-", html, &ReadOptions::default())[0]
            .as_ref()
            .unwrap()
            .text(),
        "Kabul fell."
    );
    assert_eq!("atom".parse::<InputFormat>().unwrap(), InputFormat::Feed);
    assert!("pdf".parse::<InputFormat>().is_err());
}

#[test]
fn broken_inputs_are_clean_errors() {
    let options = ReadOptions::default();
    let kind = |name: &str, bytes: &[u8]| {
        let items = read_bytes(name, bytes, &options);
        assert_eq!(items.len(), 1, "{name}");
        items.into_iter().next().unwrap().unwrap_err().kind
    };
    assert!(matches!(kind("empty.txt", b""), IngestErrorKind::Empty));
    let garbage: Vec<u8> = (0..4000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    assert!(matches!(
        kind("garbage.txt", &garbage),
        IngestErrorKind::Binary { .. }
    ));
    assert!(matches!(
        kind("nul.html", &[0u8; 100]),
        IngestErrorKind::Binary { .. }
    ));
    assert!(matches!(
        kind("blank.txt", b" \n\t\n"),
        IngestErrorKind::NoText
    ));
    assert!(matches!(
        kind("markup.html", b"<html><script>x()</script></html>"),
        IngestErrorKind::NoText
    ));
    let deep = "<div>".repeat(100_000) + "Kabul";
    assert!(matches!(
        kind("deep.html", deep.as_bytes()),
        IngestErrorKind::TooDeep { .. }
    ));
    assert!(matches!(
        kind("x.rss", b"<html><body>no feed</body></html>"),
        IngestErrorKind::NotAFeed { .. }
    ));
    assert!(matches!(
        kind("x.warc", b"HTTP/1.1 200 OK\r\n\r\n"),
        IngestErrorKind::Warc(_)
    ));
    assert!(matches!(
        kind("x.gz", &[0x1f, 0x8b, 8, 0, 0, 0]),
        IngestErrorKind::Gzip(_)
    ));
    let missing = read_all(&[PathBuf::from("/nonexistent/dyad/x.txt")], &options).1;
    assert!(matches!(missing[0].kind, IngestErrorKind::Io(_)));
}
