//! Shared helpers of the integration tests: fixture paths and the WARC fixture builder.
#![allow(dead_code)]

use flate2::Compression;
use flate2::GzBuilder;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The repository's `tests/fixtures/`.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

pub fn fixture(name: &str) -> PathBuf {
    fixtures().join(name)
}

/// `../shared` beside the repository, if present.
pub fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    dir.is_dir().then_some(dir)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    // mtime 0 and no file name: the output is the same on every run.
    let mut encoder = GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn record(
    kind: &str,
    id: u32,
    uri: Option<&str>,
    date: &str,
    content_type: &str,
    block: &[u8],
) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(b"WARC/1.0\r\n");
    out.extend_from_slice(format!("WARC-Type: {kind}\r\n").as_bytes());
    out.extend_from_slice(
        format!("WARC-Record-ID: <urn:uuid:6f1c2b1e-0000-4000-8000-{id:012}>\r\n").as_bytes(),
    );
    out.extend_from_slice(format!("WARC-Date: {date}\r\n").as_bytes());
    if let Some(uri) = uri {
        out.extend_from_slice(format!("WARC-Target-URI: {uri}\r\n").as_bytes());
    }
    out.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", block.len()).as_bytes());
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

const AIRPORT_HTML: &str = r##"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Evacuation flights resume at Kabul airport after blasts | The Kabul Ledger</title>
<meta property="og:site_name" content="The Kabul Ledger">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Evacuation flights resume at Kabul airport after blasts","datePublished":"2021-08-27T06:15:00Z"}</script>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<div class="cookie-banner">This site uses cookies. <button>OK</button></div>
<article>
<h1>Evacuation flights resume at Kabul airport after blasts</h1>
<p>Evacuation flights resumed at Kabul’s Hamid Karzai International Airport on Friday, a day after two suicide bombings killed dozens of Afghans and 13 US service members.</p>
<p>The Pentagon said the Islamic State affiliate in Khorasan province was behind the attack.</p>
<div class="share-tools"><a href="#">Share</a></div>
</article>
<footer>© 2021 The Kabul Ledger</footer>
</body></html>
"##;

const CHARIKAR_HTML: &str = "<html><head><title>Envoys meet in Charikar</title></head><body>\
<div id=\"menu\"><a href=\"/\">Front page</a> | <a href=\"/news\">News</a></div>\
<div id=\"content\"><p>Envoys of the Taliban and of the resistance met in Charikar on Thursday.</p>\
<p>\u{201c}Both sides agreed to meet again,\u{201d} said an elder from Jabal Saraj, sipping tea in a caf\u{e9}.</p></div>\
</body></html>";

/// The records of `crawl.warc.gz`, each its own gzip member, as crawlers write them.
pub fn crawl_warc_members() -> Vec<Vec<u8>> {
    let mut records = Vec::new();
    records.push(record(
        "warcinfo",
        1,
        None,
        "2021-08-27T08:00:00Z",
        "application/warc-fields",
        b"software: dyad-fixture-builder\r\nformat: WARC File Format 1.0\r\n",
    ));
    let request = b"GET /world/asia/kabul-airport-evacuation HTTP/1.1\r\nHost: www.kabulledger.example\r\nUser-Agent: dyad-test\r\n\r\n";
    records.push(record(
        "request",
        2,
        Some("https://www.kabulledger.example/world/asia/kabul-airport-evacuation"),
        "2021-08-27T08:00:01Z",
        "application/http; msgtype=request",
        request,
    ));
    let mut response =
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nServer: nginx\r\n\r\n"
            .to_vec();
    response.extend_from_slice(AIRPORT_HTML.as_bytes());
    records.push(record(
        "response",
        3,
        Some("https://www.kabulledger.example/world/asia/kabul-airport-evacuation"),
        "2021-08-27T08:00:02Z",
        "application/http; msgtype=response",
        &response,
    ));
    // Windows-1252 body, charset only in the HTTP header, gzip content encoding.
    let (body, _, _) = encoding_rs::WINDOWS_1252.encode(CHARIKAR_HTML);
    let mut response = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=windows-1252\r\nContent-Encoding: gzip\r\nDate: Thu, 26 Aug 2021 12:00:00 GMT\r\n\r\n".to_string()
    .into_bytes();
    response.extend_from_slice(&gzip(&body));
    records.push(record(
        "response",
        4,
        Some("https://valleycourier.example/2021/08/26/charikar"),
        "2021-08-26T12:00:00Z",
        "application/http; msgtype=response",
        &response,
    ));
    let mut image = b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n\r\n".to_vec();
    image.extend((0..600u32).map(|i| (i * 37 % 251) as u8));
    records.push(record(
        "response",
        5,
        Some("https://www.kabulledger.example/img/panjshir.jpg"),
        "2021-08-27T08:00:03Z",
        "application/http; msgtype=response",
        &image,
    ));
    let redirect = b"HTTP/1.1 301 Moved Permanently\r\nLocation: https://www.kabulledger.example/\r\nContent-Type: text/html\r\n\r\n<html><body>Moved</body></html>";
    records.push(record(
        "response",
        6,
        Some("http://kabulledger.example/"),
        "2021-08-27T08:00:04Z",
        "application/http; msgtype=response",
        redirect,
    ));
    records.push(record(
        "metadata",
        7,
        Some("https://www.kabulledger.example/world/asia/kabul-airport-evacuation"),
        "2021-08-27T08:00:05Z",
        "application/warc-fields",
        b"fetchTimeMs: 212\r\n",
    ));
    records.iter().map(|r| gzip(r)).collect()
}

pub fn crawl_warc_gz() -> Vec<u8> {
    crawl_warc_members().concat()
}

/// The same crawl cut in the middle of the fourth record's gzip member.
pub fn crawl_truncated_warc_gz() -> Vec<u8> {
    let members = crawl_warc_members();
    let mut out = members[..3].concat();
    out.extend_from_slice(&members[3][..members[3].len() / 2]);
    out
}
