//! `dyad bench`: throughput and peak memory of the stages on a real corpus.
//!
//! Every figure is single-threaded (per core) unless the report says otherwise.

use dyad_document::{Document, Metadata, Stage};
use dyad_ingest::{InputFormat, ReadOptions};
use std::path::Path;
use std::time::Instant;

/// Figures from [`bench_text`].
#[derive(Debug, Clone, Default)]
pub struct TextBenchReport {
    /// Articles in the corpus.
    pub documents: usize,
    /// Bytes of HTML cleaned.
    pub html_bytes: usize,
    /// Seconds spent reading and cleaning the HTML renderings.
    pub html_seconds: f64,
    /// Bytes of plain text split and tokenized.
    pub text_bytes: usize,
    /// Sentences found.
    pub sentences: usize,
    /// Tokens found.
    pub tokens: usize,
    /// Seconds spent splitting and tokenizing.
    pub text_seconds: f64,
    /// Peak resident memory of the process, in KiB (Linux only).
    pub peak_rss_kib: Option<u64>,
}

impl std::fmt::Display for TextBenchReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mb = |b: usize, s: f64| b as f64 / 1e6 / s.max(1e-9);
        writeln!(f, "documents                {}", self.documents)?;
        writeln!(
            f,
            "read+clean HTML          {:.1} MB/s per core ({:.1} MB in {:.2} s)",
            mb(self.html_bytes, self.html_seconds),
            self.html_bytes as f64 / 1e6,
            self.html_seconds
        )?;
        writeln!(
            f,
            "split+tokenize           {:.0} sentences/s per core, {:.0} tokens/s, {:.1} MB/s ({} sentences in {:.2} s)",
            self.sentences as f64 / self.text_seconds.max(1e-9),
            self.tokens as f64 / self.text_seconds.max(1e-9),
            mb(self.text_bytes, self.text_seconds),
            self.sentences,
            self.text_seconds
        )?;
        match self.peak_rss_kib {
            Some(k) => writeln!(f, "peak memory              {:.1} MiB", k as f64 / 1024.0),
            None => writeln!(
                f,
                "peak memory              (not available on this platform)"
            ),
        }
    }
}

/// Peak resident set size of this process in KiB (`VmHWM`), on Linux.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Renders an article as a realistic news page: navigation, scripts, a cookie banner,
/// share widgets and a footer around the paragraphs, as crawlers find them.
pub fn render_news_page(title: &str, text: &str, date: Option<&str>) -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut html = String::with_capacity(text.len() * 2 + 4096);
    html.push_str("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    html.push_str(&format!("<title>{}</title>", esc(title)));
    if let Some(d) = date {
        html.push_str(&format!(
            "<meta property=\"article:published_time\" content=\"{d}T08:00:00Z\">"
        ));
    }
    html.push_str("<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}</script>");
    html.push_str("<style>body{font-family:sans-serif}.nav a{margin:0 4px}</style></head><body>");
    html.push_str("<div class=\"cookie-banner\" id=\"cookie-consent\">We use cookies to improve your experience. <button>Accept all</button></div>");
    html.push_str("<header><nav class=\"nav\"><a href=\"/\">Home</a><a href=\"/world\">World</a><a href=\"/politics\">Politics</a><a href=\"/business\">Business</a><a href=\"/opinion\">Opinion</a></nav></header>");
    html.push_str("<main><article>");
    html.push_str(&format!("<h1>{}</h1>", esc(title)));
    html.push_str(
        "<div class=\"share\"><a href=\"#\">Share on Facebook</a><a href=\"#\">Tweet</a></div>",
    );
    for para in text.split('\n').filter(|p| !p.trim().is_empty()) {
        html.push_str("<p>");
        html.push_str(&esc(para));
        html.push_str("</p>");
    }
    html.push_str("<div class=\"ad\" id=\"ad-slot-2\">Advertisement</div>");
    html.push_str("</article><aside><h3>Most read</h3><ul><li><a href=\"/a\">Markets rally</a></li><li><a href=\"/b\">Weather</a></li></ul></aside></main>");
    html.push_str("<footer><p>© News Corp. All rights reserved.</p><a href=\"/privacy\">Privacy</a></footer></body></html>");
    html
}

/// Reads the corpus (`news2017.jsonl.gz` or any input dyad reads), then measures, on one
/// thread, (1) reading + cleaning each article rendered as a full news page, and
/// (2) sentence splitting + tokenization of the plain texts.
pub fn bench_text(corpus: &Path, limit: Option<usize>) -> Result<TextBenchReport, String> {
    let options = ReadOptions::default();
    let mut articles: Vec<(String, String, Option<String>)> = Vec::new();
    for item in dyad_ingest::read_inputs(&[corpus.to_path_buf()], &options) {
        let doc = item.map_err(|e| e.to_string())?;
        articles.push((
            doc.meta.title.clone().unwrap_or_default(),
            doc.text().to_string(),
            doc.meta.published.map(|d| d.to_string()),
        ));
        if limit.is_some_and(|l| articles.len() >= l) {
            break;
        }
    }
    let mut report = TextBenchReport {
        documents: articles.len(),
        ..Default::default()
    };

    let pages: Vec<String> = articles
        .iter()
        .map(|(t, x, d)| render_news_page(t, x, d.as_deref()))
        .collect();
    let html_options = ReadOptions {
        format: Some(InputFormat::Html),
        ..ReadOptions::default()
    };
    let start = Instant::now();
    for (i, page) in pages.iter().enumerate() {
        report.html_bytes += page.len();
        for doc in
            dyad_ingest::read_bytes(&format!("page-{i}.html"), page.as_bytes(), &html_options)
                .into_iter()
                .flatten()
        {
            std::hint::black_box(doc.text().len());
        }
    }
    report.html_seconds = start.elapsed().as_secs_f64();
    drop(pages);

    let stage = dyad_text::TextStage;
    let mut docs: Vec<Document> = articles
        .into_iter()
        .map(|(_, text, _)| Document::new(text, Metadata::default()))
        .collect();
    let start = Instant::now();
    for doc in &mut docs {
        report.text_bytes += doc.text().len();
        stage.process(doc).map_err(|e| e.to_string())?;
        report.sentences += doc.sentences.len();
        report.tokens += doc.tokens.len();
    }
    report.text_seconds = start.elapsed().as_secs_f64();
    report.peak_rss_kib = peak_rss_kib();
    Ok(report)
}

/// Figures from [`bench_ingest`].
#[derive(Debug, Clone, Default)]
pub struct IngestBenchReport {
    /// Worker threads used.
    pub threads: usize,
    /// Articles read.
    pub documents: usize,
    /// Bytes of article text.
    pub text_bytes: usize,
    /// Event mentions stored.
    pub mentions: usize,
    /// Seconds end to end (read, code, store).
    pub seconds: f64,
    /// Database size on disk after the run, in bytes.
    pub db_bytes: u64,
    /// Bytes of article text stored in the database.
    pub stored_text_bytes: u64,
    /// Peak resident memory of the process, in KiB.
    pub peak_rss_kib: Option<u64>,
}

impl std::fmt::Display for IngestBenchReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.seconds.max(1e-9);
        writeln!(f, "threads                  {}", self.threads)?;
        writeln!(
            f,
            "ingest end to end        {:.0} articles/s, {:.2} MB/s, {:.0} events/s ({} articles, {} event mentions in {:.2} s)",
            self.documents as f64 / s,
            self.text_bytes as f64 / 1e6 / s,
            self.mentions as f64 / s,
            self.documents,
            self.mentions,
            self.seconds
        )?;
        let per_1000 = |bytes: u64| bytes as f64 / 1e6 / (self.documents.max(1) as f64 / 1000.0);
        writeln!(
            f,
            "database                 {:.2} MB per 1,000 articles ({:.2} MB excluding article text)",
            per_1000(self.db_bytes),
            per_1000(self.db_bytes.saturating_sub(self.stored_text_bytes))
        )?;
        match self.peak_rss_kib {
            Some(k) => writeln!(f, "peak memory              {:.1} MiB", k as f64 / 1024.0),
            None => writeln!(
                f,
                "peak memory              (not available on this platform)"
            ),
        }
    }
}

/// Ingests the corpus into a fresh database at `db` with the default pipeline on the current
/// rayon pool and reports end-to-end throughput, database size and peak memory.
pub fn bench_ingest(
    corpus: &Path,
    db: &Path,
    limit: Option<usize>,
) -> Result<IngestBenchReport, String> {
    use crate::ingest::{IngestOptions, ingest};
    let _ = std::fs::remove_file(db);
    let mut store = dyad_store::Store::open(db).map_err(|e| e.to_string())?;
    let pipeline =
        crate::default_pipeline(&crate::PipelineOptions::default()).map_err(|e| e.to_string())?;
    let inputs = dyad_ingest::read_inputs(&[corpus.to_path_buf()], &ReadOptions::default());
    let inputs: Box<dyn Iterator<Item = _>> = match limit {
        Some(n) => Box::new(inputs.take(n)),
        None => Box::new(inputs),
    };
    let report = ingest(
        &mut store,
        &pipeline,
        inputs,
        IngestOptions::default(),
        |_| {},
    )
    .map_err(|e| e.to_string())?;
    let stored_text_bytes = store.text_bytes().map_err(|e| e.to_string())?;
    // What `dyad ingest` does after a bulk load into a new database (not timed: the
    // figure is the coding and storing rate).
    store.vacuum().map_err(|e| e.to_string())?;
    drop(store);
    let db_bytes = std::fs::metadata(db).map(|m| m.len()).unwrap_or(0);
    Ok(IngestBenchReport {
        threads: rayon::current_num_threads(),
        documents: report.read,
        text_bytes: report.bytes,
        mentions: report.store.mentions,
        seconds: report.seconds,
        db_bytes,
        stored_text_bytes,
        peak_rss_kib: peak_rss_kib(),
    })
}

/// Per-stage time of the default pipeline on one thread.
#[derive(Debug, Clone, Default)]
pub struct StageBenchReport {
    /// Articles coded.
    pub documents: usize,
    /// Sentences coded.
    pub sentences: usize,
    /// Stage names and the seconds each took in total.
    pub stages: Vec<(&'static str, f64)>,
    /// Seconds to build the pipeline (knowledge base, models, gazetteer).
    pub setup_seconds: f64,
}

impl std::fmt::Display for StageBenchReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let total: f64 = self.stages.iter().map(|(_, s)| s).sum();
        writeln!(
            f,
            "{} articles, {} sentences; pipeline built in {:.2} s",
            self.documents, self.sentences, self.setup_seconds
        )?;
        for (name, seconds) in &self.stages {
            writeln!(
                f,
                "  {name:<16} {:>8.3} s  {:>5.1}%  {:>10.0} sentences/s",
                seconds,
                100.0 * seconds / total.max(1e-9),
                self.sentences as f64 / seconds.max(1e-9)
            )?;
        }
        writeln!(
            f,
            "  {:<16} {:>8.3} s          {:>10.0} sentences/s, {:.0} articles/s per core",
            "all",
            total,
            self.sentences as f64 / total.max(1e-9),
            self.documents as f64 / total.max(1e-9)
        )
    }
}

/// Times every stage of the default pipeline over the corpus, on the calling thread.
pub fn bench_stages(corpus: &Path, limit: Option<usize>) -> Result<StageBenchReport, String> {
    let start = Instant::now();
    let pipeline =
        crate::default_pipeline(&crate::PipelineOptions::default()).map_err(|e| e.to_string())?;
    let setup_seconds = start.elapsed().as_secs_f64();
    let mut docs = Vec::new();
    for item in dyad_ingest::read_inputs(&[corpus.to_path_buf()], &ReadOptions::default()) {
        docs.push(item.map_err(|e| e.to_string())?);
        if limit.is_some_and(|l| docs.len() >= l) {
            break;
        }
    }
    let mut timings = Vec::new();
    let mut report = StageBenchReport {
        documents: docs.len(),
        setup_seconds,
        ..Default::default()
    };
    for doc in &mut docs {
        pipeline
            .run_timed(doc, &mut timings)
            .map_err(|e| e.to_string())?;
        report.sentences += doc.sentences.len();
    }
    report.stages = pipeline
        .stage_names()
        .into_iter()
        .zip(timings.iter().map(|d| d.as_secs_f64()))
        .collect();
    Ok(report)
}
