//! One module per subcommand.

pub mod args;
pub mod bench;
pub mod code;
pub mod dead_letter;
pub mod eval;
pub mod export;
pub mod ingest;
pub mod kb;
pub mod query;
pub mod serve;
pub mod setup;

/// Sets the size of the global worker pool (all cores when `None`).
pub fn set_threads(threads: Option<usize>) -> anyhow::Result<()> {
    if let Some(n) = threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .map_err(|e| anyhow::anyhow!("setting up the worker threads: {e}"))?;
    }
    Ok(())
}
