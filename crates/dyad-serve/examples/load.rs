//! A bounded load test of `dyad serve` on loopback.
//!
//! Builds (or reuses) a database of synthetic coded articles with at least `--events` events
//! (default 100,000), starts the server on 127.0.0.1 (a free port), and sends requests at a
//! fixed rate (`--rate`, default 200 req/s) from `--connections` keep-alive connections
//! (default 8) for `--seconds` (default 10, after 2 s of warm-up): event-list pages with random filters and cursors,
//! and daily time series. Then it prints requests/s and p50/p90/p99 latency per route and
//! stops. Only loopback is ever contacted. `--no-cache` turns the server's response cache off,
//! so every request runs its SQL.
//!
//! ```sh
//! cargo run --release -p dyad-serve --example load -- --events 100000 --seconds 10 --rate 200
//! ```
//!
//! `--all-routes` sends four requests in ten to the other dashboard routes (network, top
//! actors, places, one event with its mentions) instead.
//!
//! Measured (100,207 events, 2 cores shared with the load generator and with other builds,
//! load average 3.4 to 6.7), schema 3, without the cache, at 200 req/s: 200 req/s, p50 2.0 ms,
//! p99 14 ms (event list p99 11 ms, time series 14 ms); with `--all-routes` p50 1.7 ms, p99
//! 24 ms (places p99 49 ms, network 10 ms, top actors 11 ms, one event 9 ms). With the cache p50
//! 0.3 ms, p99 4 ms. Without the cache schema 2 saturated at 164 req/s (p50 9 ms, p99
//! 156 ms), schema 1 at 32 req/s.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

struct Options {
    events: u64,
    seconds: u64,
    rate: u64,
    connections: usize,
    db: PathBuf,
    cache: bool,
    all_routes: bool,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        events: 100_000,
        seconds: 10,
        rate: 200,
        connections: 8,
        db: std::env::temp_dir().join("dyad-load-100k.db"),
        cache: true,
        all_routes: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--no-cache" {
            o.cache = false;
            continue;
        }
        if flag == "--all-routes" {
            o.all_routes = true;
            continue;
        }
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        let number = || {
            value
                .parse::<u64>()
                .map_err(|e| format!("{flag} {value}: {e}"))
        };
        match flag.as_str() {
            "--events" => o.events = number()?,
            "--seconds" => o.seconds = number()?.clamp(1, 120),
            "--rate" => o.rate = number()?.clamp(1, 5000),
            "--connections" => o.connections = number()?.clamp(1, 64) as usize,
            "--db" => o.db = PathBuf::from(&value),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    Ok(o)
}

/// Makes sure the database holds at least `events` events.
fn prepare(o: &Options) -> Result<u64, String> {
    let count = |db: &std::path::Path| -> Result<u64, String> {
        // Read-write: an older database is migrated first.
        let store = dyad_store::Store::open(db).map_err(|e| e.to_string())?;
        store
            .count(&dyad_store::EventQuery::default())
            .map_err(|e| e.to_string())
    };
    let mut have = if o.db.exists() { count(&o.db)? } else { 0 };
    let mut seed = 1;
    while have < o.events {
        // About five events per article.
        let articles = ((o.events - have) / 5 + 50) as usize;
        let started = Instant::now();
        let summary = dyad_serve::synthetic::write_database_with(
            &o.db,
            articles,
            seed,
            dyad_document::Date::constant(2020, 1, 1),
            730,
        )
        .map_err(|e| e.to_string())?;
        eprintln!(
            "load: stored {} articles ({} events) in {:.1} s",
            summary.stored,
            summary.new_events,
            started.elapsed().as_secs_f64()
        );
        have = count(&o.db)?;
        seed += 1;
    }
    Ok(have)
}

/// Sends one GET on a keep-alive connection and reads the whole answer; returns the status.
async fn get(
    stream: &mut BufReader<TcpStream>,
    path: &str,
    buffer: &mut Vec<u8>,
) -> std::io::Result<u16> {
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    stream.get_mut().write_all(request.as_bytes()).await?;
    let mut line = String::new();
    stream.read_line(&mut line).await?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut length = 0usize;
    loop {
        line.clear();
        if stream.read_line(&mut line).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        if line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    buffer.resize(length, 0);
    stream.read_exact(buffer).await?;
    Ok(status)
}

const ACTORS: &[&str] = &["Taliban", "AFG", "RUS", "Hamas", "UKR", "USA", "protesters"];

/// The request mix: half event-list pages (with filters and cursors), half time series; with
/// `all_routes`, four requests in ten go to the other dashboard routes instead (network, top
/// actors, places, one event with its mentions).
fn path_for(i: u64, all_routes: bool) -> (&'static str, String) {
    let pick = |n: usize| (i.wrapping_mul(2_654_435_761) >> 7) as usize % n;
    if all_routes && i % 10 >= 6 {
        let filter = match pick(3) {
            0 => String::new(),
            1 => format!("?actor={}", ACTORS[pick(ACTORS.len())]),
            _ => format!("?quad_class={}", 1 + pick(4)),
        };
        return match i % 10 {
            6 => ("network", format!("/api/network{filter}")),
            7 => ("actors", format!("/api/actors{filter}")),
            8 => ("places", format!("/api/places{filter}")),
            _ => (
                "event",
                format!("/api/events/{}", 1 + (i.wrapping_mul(7919)) % 90_000),
            ),
        };
    }
    match i % 6 {
        0 => ("events", "/api/events?limit=50".to_string()),
        1 => (
            "events",
            format!(
                "/api/events?limit=50&after_id={}",
                (i.wrapping_mul(7919)) % 90_000
            ),
        ),
        2 => (
            "events",
            format!(
                "/api/events?limit=50&actor={}&cameo=1{}",
                ACTORS[pick(ACTORS.len())],
                pick(10)
            ),
        ),
        3 => ("timeseries", "/api/timeseries".to_string()),
        4 => (
            "timeseries",
            format!("/api/timeseries?quad_class={}", 1 + pick(4)),
        ),
        _ => (
            "timeseries",
            format!(
                "/api/timeseries?by=root&actor={}",
                ACTORS[pick(ACTORS.len())]
            ),
        ),
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!(
                "load: {e}\nusage: load [--events N] [--seconds S] [--rate R] [--connections C] [--db PATH] [--no-cache] [--all-routes]"
            );
            return std::process::ExitCode::from(2);
        }
    };
    let events = match tokio::task::block_in_place(|| prepare(&o)) {
        Ok(n) => n,
        Err(e) => {
            eprintln!("load: building the database: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let config = dyad_serve::ServeConfig {
        db: o.db.clone(),
        bind: SocketAddr::from(([127, 0, 0, 1], 0)),
        cache_bytes: if o.cache { 64 << 20 } else { 0 },
        ..dyad_serve::ServeConfig::default()
    };
    let state = match dyad_serve::AppState::open(config.clone()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("load: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let listener = match tokio::net::TcpListener::bind(config.bind).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("load: binding loopback: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let address = listener.local_addr().unwrap_or(config.bind);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let _ = dyad_serve::serve_listener(listener, dyad_serve::router(state), &config, async {
            let _ = stopped.await;
        })
        .await;
    });
    eprintln!(
        "load: {events} events in {}; {} req/s for {} s over {} connections to http://{address}",
        o.db.display(),
        o.rate,
        o.seconds,
        o.connections
    );

    // A short warm-up (not measured): the first requests for each question fill the cache.
    let warm_until = Instant::now() + Duration::from_secs(2);
    let deadline = warm_until + Duration::from_secs(o.seconds);
    let per_connection = Duration::from_secs_f64(o.connections as f64 / o.rate as f64);
    let mut workers = Vec::new();
    for w in 0..o.connections {
        workers.push(tokio::spawn(async move {
            let mut samples: Vec<(&'static str, Duration, u16)> = Vec::new();
            let Ok(stream) = TcpStream::connect(address).await else {
                return samples;
            };
            let mut stream = BufReader::new(stream);
            let mut buffer = Vec::new();
            let mut ticker = tokio::time::interval(per_connection);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut i = w as u64;
            while Instant::now() < deadline {
                ticker.tick().await;
                let (route, path) = path_for(i, o.all_routes);
                i += o.connections as u64;
                let started = Instant::now();
                let status = get(&mut stream, &path, &mut buffer).await.unwrap_or(0);
                if started >= warm_until || status == 0 {
                    samples.push((route, started.elapsed(), status));
                }
                if status == 0 {
                    break;
                }
            }
            samples
        }));
    }
    let mut all: Vec<(&'static str, Duration, u16)> = Vec::new();
    for w in workers {
        if let Ok(samples) = w.await {
            all.extend(samples);
        }
    }
    let elapsed = warm_until.elapsed().as_secs_f64();
    let _ = stop.send(());
    let _ = tokio::time::timeout(Duration::from_secs(10), server).await;

    let mut by_route: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    let mut errors = 0;
    for (route, latency, status) in &all {
        if *status != 200 {
            errors += 1;
        }
        by_route.entry(route).or_default().push(*latency);
        by_route.entry("all").or_default().push(*latency);
    }
    println!(
        "{} requests in {elapsed:.1} s = {:.0} req/s, {errors} not 200 ({events} events)",
        all.len(),
        all.len() as f64 / elapsed
    );
    println!(
        "{:<12} {:>8} {:>9} {:>9} {:>9} {:>9}",
        "route", "requests", "p50 ms", "p90 ms", "p99 ms", "max ms"
    );
    for (route, mut latencies) in by_route {
        latencies.sort();
        println!(
            "{:<12} {:>8} {:>9.2} {:>9.2} {:>9.2} {:>9.2}",
            route,
            latencies.len(),
            percentile(&latencies, 0.5),
            percentile(&latencies, 0.9),
            percentile(&latencies, 0.99),
            percentile(&latencies, 1.0)
        );
    }
    if errors > 0 {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}
