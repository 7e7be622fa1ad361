//! `dyad setup`: compile the knowledge base and the gazetteer into their on-disk caches.
//!
//! Both are compiled into the binary from vendored data, so nothing is downloaded; the first run
//! of any command compiles them too. `setup` does it ahead of time and reports the figures.

use anyhow::Result;
use clap::Args;
use std::process::ExitCode;
use std::time::Instant;

/// Arguments of `dyad setup` (none yet).
#[derive(Args, Debug)]
pub struct SetupArgs {}

/// Runs `dyad setup`.
pub fn run(_args: SetupArgs) -> Result<ExitCode> {
    let start = Instant::now();
    let kb = dyad_kb::KnowledgeBase::load_default()?;
    let report = kb.load_report();
    println!(
        "knowledge base: {} ms ({}), {} actor names, {} verb patterns",
        report.millis,
        if report.from_cache {
            "from cache"
        } else {
            "compiled and cached"
        },
        kb.stats().actor_names,
        kb.stats().patterns
    );
    let gazetteer = dyad_geo::Gazetteer::load(&dyad_geo::CachePolicy::Default)?;
    let stats = gazetteer.stats();
    println!(
        "gazetteer: built in {:.0} ms, loaded in {:.0} ms, index {:.1} MB at {}",
        stats.build_ms,
        stats.load_ms,
        stats.index_bytes as f64 / 1e6,
        stats
            .cache_path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "(memory)".into())
    );
    println!("ready in {:.1} s", start.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}
