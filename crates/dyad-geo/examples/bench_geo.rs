//! Gazetteer build/load times, index size and resolution throughput.
//!
//! `cargo run --release -p dyad-geo --example bench_geo`

use dyad_document::{Document, Metadata};
use dyad_geo::{CachePolicy, Gazetteer, Geocoder};
use std::sync::Arc;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile_dir()?;
    let built = Gazetteer::load(&CachePolicy::Dir(dir.clone()))?;
    println!(
        "index build: {:.0} ms, {} records, {} names, index {:.1} MB",
        built.stats().build_ms,
        built.records().len(),
        built.name_count(),
        built.stats().index_bytes as f64 / 1e6
    );
    drop(built);
    let loaded = Gazetteer::load(&CachePolicy::Dir(dir.clone()))?;
    println!("index load from cache: {:.0} ms", loaded.stats().load_ms);
    let _ = std::fs::remove_dir_all(&dir);
    let geocoder = Geocoder::new(Arc::new(loaded));
    let text = include_str!("../../../../shared/corpus/seed/panjshir.txt");
    let doc = Document::new(text.to_string(), Metadata::default());
    let mentions = geocoder.find_candidates(&doc);
    let rounds = 2000;
    let started = Instant::now();
    let mut resolved = 0usize;
    for _ in 0..rounds {
        resolved += geocoder.resolve(&mentions).len();
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "resolution: {:.0} toponyms/s ({} mentions per seed document)",
        resolved as f64 / secs,
        mentions.len()
    );
    let started = Instant::now();
    let mut found = 0usize;
    for _ in 0..200 {
        found += geocoder.places(&doc).len();
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "finding + resolution: {:.0} toponyms/s, {:.2} MB text/s",
        found as f64 / secs,
        (text.len() * 200) as f64 / secs / 1e6
    );
    Ok(())
}

fn tempfile_dir() -> std::io::Result<std::path::PathBuf> {
    let d = std::env::temp_dir().join(format!("dyad-geo-bench-{}", std::process::id()));
    std::fs::create_dir_all(&d)?;
    Ok(d)
}
