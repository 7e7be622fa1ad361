//! Throughput of the readers on the real corpus (`../shared/corpus/news2017.jsonl.gz`):
//! 1. JSONL reading (gunzip, JSON, normalization) of the whole corpus;
//! 2. HTML cleaning: every article rendered as a news page (head metadata, nav, cookie
//!    banner, ad slot, share bar, paragraphs, footer) and cleaned with `clean_html`.
//!
//! `cargo run --release -p dyad-ingest --example bench_ingest [PATH]` prints MB/s and docs/s
//! (one core).

use dyad_ingest::{ReadOptions, clean_html, read_inputs};
use std::path::PathBuf;
use std::time::Instant;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn page(title: &str, text: &str) -> String {
    let mut html = String::with_capacity(text.len() * 2 + 2048);
    html.push_str("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
    html.push_str(&escape(title));
    html.push_str(
        " | Example News</title><meta property=\"og:site_name\" content=\"Example News\">\
        <meta property=\"article:published_time\" content=\"2017-02-07T10:00:00Z\">\
        <script>window.dataLayer=[];function gtag(){dataLayer.push(arguments)}</script>\
        <style>.ad{min-height:250px}</style></head><body>\
        <div class=\"cookie-banner\">We use cookies. <button>Accept</button></div>\
        <header><nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/world\">World</a></li>\
        <li><a href=\"/politics\">Politics</a></li></ul></nav></header>\
        <main><article><h1>",
    );
    html.push_str(&escape(title));
    html.push_str("</h1><div class=\"share-bar\"><a href=\"#\">Share on Twitter</a></div>");
    for (i, paragraph) in text.split(". ").enumerate() {
        if i % 6 == 3 {
            html.push_str("<div class=\"ad\"><span>Advertisement</span></div>");
        }
        html.push_str("<p>");
        html.push_str(&escape(paragraph));
        html.push_str(".</p>\n");
    }
    html.push_str("</article></main><aside class=\"related\"><ul><li><a href=\"/a\">Related story</a></li></ul></aside>\
        <footer><p>&copy; 2017 Example News</p></footer></body></html>");
    html
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/corpus/news2017.jsonl.gz")
        });
    let options = ReadOptions::default();

    let start = Instant::now();
    let mut docs = Vec::new();
    let mut errors = 0;
    for item in read_inputs(std::slice::from_ref(&path), &options) {
        match item {
            Ok(doc) => docs.push(doc),
            Err(_) => errors += 1,
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    let text_bytes: usize = docs.iter().map(|d| d.text().len()).sum();
    println!(
        "jsonl: {} docs, {errors} errors, {:.1} MB text in {seconds:.2} s: {:.1} MB/s, {:.0} docs/s",
        docs.len(),
        text_bytes as f64 / 1e6,
        text_bytes as f64 / 1e6 / seconds,
        docs.len() as f64 / seconds
    );

    let pages: Vec<String> = docs
        .iter()
        .map(|d| page(d.meta.title.as_deref().unwrap_or(""), d.text()))
        .collect();
    let html_bytes: usize = pages.iter().map(String::len).sum();
    let start = Instant::now();
    let mut kept = 0usize;
    for html in &pages {
        if let Ok(clean) = clean_html(html) {
            kept += clean.text.len();
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "html: {} pages, {:.1} MB HTML -> {:.1} MB text in {seconds:.2} s: {:.1} MB/s of HTML, {:.0} docs/s",
        pages.len(),
        html_bytes as f64 / 1e6,
        kept as f64 / 1e6,
        html_bytes as f64 / 1e6 / seconds,
        pages.len() as f64 / seconds
    );
}
