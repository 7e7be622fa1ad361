//! `dyad serve`: the HTTP API and web dashboard over the event store.

use anyhow::{Context, Result};
use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Arguments of `dyad serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The database (made by `dyad ingest`).
    #[arg(long, default_value = "dyad.db")]
    pub db: PathBuf,
    /// Address to listen on. Loopback by default; another address (0.0.0.0:8080) makes the
    /// dashboard reachable from other machines and prints a warning.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Bearer token that enables `POST /api/ingest` (without one, ingest answers 403).
    #[arg(long, env = "DYAD_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Largest request body in bytes.
    #[arg(long, default_value_t = 2 << 20)]
    pub body_limit: usize,
    /// Seconds to answer one request.
    #[arg(long, default_value_t = 10)]
    pub timeout: u64,
    /// Requests handled at once (more wait).
    #[arg(long, default_value_t = 64)]
    pub concurrency: usize,
}

/// Runs `dyad serve` until Ctrl-C.
pub fn run(args: ServeArgs) -> Result<ExitCode> {
    let config = dyad_serve::ServeConfig {
        db: args.db,
        bind: args.bind,
        token: args.token.filter(|t| !t.trim().is_empty()),
        body_limit: args.body_limit,
        request_timeout: Duration::from_secs(args.timeout.max(1)),
        max_concurrency: args.concurrency,
        ..dyad_serve::ServeConfig::default()
    };
    dyad_serve::serve_blocking(config).context("dyad serve")?;
    Ok(ExitCode::SUCCESS)
}
