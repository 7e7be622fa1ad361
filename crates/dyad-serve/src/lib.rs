//! dyad's HTTP API and web dashboard over the event store.
//!
//! **Reads** a dyad SQLite database (`dyad ingest` writes it) through a small pool of
//! read-only connections. **Serves** on one address (loopback by default):
//! - a JSON API: events with every [`dyad_store::EventQuery`] filter and cursor pagination,
//!   one event with its mentions and evidence spans, one document with its layers, top actors,
//!   event counts per place and country, daily counts by QuadClass or CAMEO root, the actor
//!   network, `POST /api/code` (code an article, store nothing), `POST /api/ingest` (code and
//!   store; needs a bearer token), `/healthz`, and its own OpenAPI 3.1 description at
//!   `/api/openapi.json` (the routes are listed in [`ROUTES`]);
//! - the dashboard at `/`: a map, a timeline, filters, the actor network, an event table and
//!   the evidence view, from files compiled into the binary (no CDN, no build step).
//!
//! **Cache**: successful `GET /api/...` answers are kept (bounded by `cache_bytes`) until the
//! database changes, so a dashboard's repeated aggregates cost microseconds. Without it, every
//! filter is still answered from an index or from the store's daily counts (see
//! `dyad_store`'s schema 3); `examples/load.rs` measures both.
//!
//! **Compression**: answers (JSON and dashboard files) are gzip- or brotli-compressed when the
//! client sends `Accept-Encoding`.
//!
//! **Limits**: request bodies (`body_limit`, 413 above it), time per request
//! (`request_timeout`, 503) and per request head (`header_timeout`, the connection is
//! closed), requests in flight (`max_concurrency`) and open connections (`max_connections`).
//!
//! **Errors**: every 4xx/5xx answer is JSON `{"error": {"code", "message"}}` ([`ApiError`]); a
//! malformed query string, an unknown parameter, a bad date or a negative limit is a 400 naming
//! the parameter, never a 500. Starting fails with a [`ServeError`] (no database, port taken).
//!
//! ```
//! use dyad_serve::{AppState, ServeConfig, router};
//! use tower::ServiceExt;
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let dir = tempfile::tempdir().unwrap();
//! let db = dir.path().join("dyad.db");
//! // A store with one article: "The Taliban attacked the NRF in the Panjshir Valley ..."
//! dyad_serve::synthetic::write_database(&db, 1, 7).unwrap();
//! let app = router(AppState::open(ServeConfig { db, ..ServeConfig::default() }).unwrap());
//! let request = axum::http::Request::get("/api/events?cameo=19&limit=5")
//!     .body(axum::body::Body::empty())
//!     .unwrap();
//! let response = app.oneshot(request).await.unwrap();
//! assert_eq!(response.status(), 200);
//! # });
//! ```
#![deny(missing_docs)]

mod api;
mod assets;
mod cache;
mod code;
mod error;
mod params;
mod pool;
pub mod synthetic;

pub use error::{ApiError, ServeError};
pub use pool::StorePool;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use dyad_document::Pipeline;
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{OnceCell, Semaphore};

/// The OpenAPI 3.1 description served at `/api/openapi.json`.
pub const OPENAPI_JSON: &str = include_str!("openapi.json");

/// Every route the server answers, as `(method, path)` (path parameters in `{braces}`, as in
/// the OpenAPI description, which a test keeps in sync with this list).
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/"),
    ("GET", "/assets/{file}"),
    ("GET", "/healthz"),
    ("GET", "/api/openapi.json"),
    ("GET", "/api/stats"),
    ("GET", "/api/events"),
    ("GET", "/api/events/{id}"),
    ("GET", "/api/documents/{id}"),
    ("GET", "/api/actors"),
    ("GET", "/api/places"),
    ("GET", "/api/timeseries"),
    ("GET", "/api/network"),
    ("POST", "/api/code"),
    ("POST", "/api/ingest"),
];

/// How to serve. `Default` is loopback port 8080 on `dyad.db` with conservative limits.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// The database (`dyad ingest` makes it).
    pub db: PathBuf,
    /// Where to listen; loopback unless told otherwise.
    pub bind: SocketAddr,
    /// Bearer token for `POST /api/ingest`; `None` disables ingest (403).
    pub token: Option<String>,
    /// Largest request body in bytes (413 above it). Default 2 MiB.
    pub body_limit: usize,
    /// Longest time to answer one request (503 after it). Default 10 s.
    pub request_timeout: Duration,
    /// Longest time a client may take to send a request head (the connection is closed after
    /// it), and to send its body (408). Default 10 s.
    pub header_timeout: Duration,
    /// Requests handled at once; more wait. Default 64.
    pub max_concurrency: usize,
    /// Open connections; more wait to be accepted. Default 256.
    pub max_connections: usize,
    /// Read-only database connections. Default: twice the cores, 2 to 8.
    pub pool_size: usize,
    /// Articles coded at once by `POST /api/code` and `/api/ingest`. Default 2.
    pub coding_concurrency: usize,
    /// Bytes of JSON answers kept for repeated `GET /api/...` requests until the database
    /// changes; 0 turns the cache off. Default 64 MiB.
    pub cache_bytes: usize,
}

impl Default for ServeConfig {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        ServeConfig {
            db: PathBuf::from("dyad.db"),
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            token: None,
            body_limit: 2 << 20,
            request_timeout: Duration::from_secs(10),
            header_timeout: Duration::from_secs(10),
            max_concurrency: 64,
            max_connections: 256,
            pool_size: (cores * 2).clamp(2, 8),
            coding_concurrency: 2,
            cache_bytes: 64 << 20,
        }
    }
}

/// What the handlers share: the configuration, the connection pool, the coding pipeline
/// (built on first use) and the ingest writer lock. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    config: ServeConfig,
    pool: Arc<StorePool>,
    cache: Arc<cache::ResponseCache>,
    pipeline: OnceCell<Arc<Pipeline>>,
    coding: Arc<Semaphore>,
    writer: Arc<std::sync::Mutex<()>>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("config", &self.inner.config)
            .field("pool", &self.inner.pool)
            .finish()
    }
}

impl AppState {
    /// Opens the database read-only; fails when it is missing or needs a migration.
    pub fn open(config: ServeConfig) -> Result<AppState, ServeError> {
        if config.body_limit == 0 || config.max_concurrency == 0 || config.max_connections == 0 {
            return Err(ServeError::Config(
                "body limit, concurrency and connections must be at least 1".into(),
            ));
        }
        let pool = StorePool::open(&config.db, config.pool_size)?;
        Ok(AppState {
            inner: Arc::new(Inner {
                pool: Arc::new(pool),
                cache: Arc::new(cache::ResponseCache::new(&config.db, config.cache_bytes)),
                pipeline: OnceCell::new(),
                coding: Arc::new(Semaphore::new(config.coding_concurrency.max(1))),
                writer: Arc::new(std::sync::Mutex::new(())),
                config,
            }),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &ServeConfig {
        &self.inner.config
    }

    pub(crate) fn pool(&self) -> &Arc<StorePool> {
        &self.inner.pool
    }

    pub(crate) fn ingest_enabled(&self) -> bool {
        self.inner.config.token.is_some()
    }

    pub(crate) fn writer(&self) -> Arc<std::sync::Mutex<()>> {
        Arc::clone(&self.inner.writer)
    }

    /// The default pipeline, built once (loading the knowledge base takes a moment).
    pub(crate) async fn pipeline(&self) -> Result<Arc<Pipeline>, ApiError> {
        let pipeline = self
            .inner
            .pipeline
            .get_or_try_init(|| async {
                tokio::task::spawn_blocking(|| {
                    dyad_pipeline::default_pipeline(&dyad_pipeline::PipelineOptions::default())
                        .map(Arc::new)
                        .map_err(|e| {
                            tracing::error!(error = %e, "building the pipeline");
                            ApiError::new(
                                StatusCode::SERVICE_UNAVAILABLE,
                                "coder_unavailable",
                                format!("the event coder could not be loaded: {e}"),
                            )
                        })
                })
                .await
                .map_err(ApiError::internal)?
            })
            .await?;
        Ok(Arc::clone(pipeline))
    }

    pub(crate) async fn coding_permit(
        &self,
    ) -> Result<tokio::sync::OwnedSemaphorePermit, ApiError> {
        Arc::clone(&self.inner.coding)
            .acquire_owned()
            .await
            .map_err(ApiError::internal)
    }
}

/// The application: every route of [`ROUTES`] with the body-size, timeout and concurrency
/// limits of the state's configuration, JSON errors, and a JSON 404 for anything else.
pub fn router(state: AppState) -> Router {
    let config = state.config().clone();
    let cache = Arc::clone(&state.inner.cache);
    Router::new()
        .route("/", get(assets::index))
        .route("/assets/{file}", get(assets::asset))
        .route("/healthz", get(api::healthz))
        .route("/api/openapi.json", get(api::openapi))
        .route("/api/stats", get(api::stats))
        .route("/api/events", get(api::events))
        .route("/api/events/{id}", get(api::event))
        .route("/api/documents/{id}", get(api::document))
        .route("/api/actors", get(api::actors))
        .route("/api/places", get(api::places))
        .route("/api/timeseries", get(api::timeseries))
        .route("/api/network", get(api::network))
        .route("/api/code", post(code::code))
        .route("/api/ingest", post(code::ingest))
        .fallback(not_found)
        .with_state(state)
        // Innermost first: the response cache, the body limit, then the time limits, then the concurrency
        // limit, and outermost the rewrite of any non-JSON error into the JSON error shape.
        .layer(axum::middleware::from_fn_with_state(cache, cache::cached))
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            config.body_limit,
        ))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            config.header_timeout,
        ))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            config.request_timeout,
        ))
        .layer(tower::limit::ConcurrencyLimitLayer::new(
            config.max_concurrency,
        ))
        .layer(axum::middleware::map_response(json_errors))
        // Outermost, so error rewriting and the cache see plain bodies: gzip or brotli when
        // the client accepts it (level 4: most of the gain for little CPU).
        .layer(
            tower_http::compression::CompressionLayer::new()
                .quality(tower_http::compression::CompressionLevel::Precise(4)),
        )
}

async fn not_found(uri: axum::http::Uri) -> ApiError {
    let path: String = uri.path().chars().take(200).collect();
    ApiError::not_found(format!(
        "no route {path}; see /api/openapi.json for the API"
    ))
}

/// Rewrites error answers made by layers or extractors (plain text) into the JSON shape, and
/// marks every answer `nosniff`.
async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let mut response = if (status.is_client_error() || status.is_server_error()) && !is_json {
        let (parts, body) = response.into_parts();
        let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
        let text = String::from_utf8_lossy(&text).trim().to_string();
        let message = if text.is_empty() {
            status
                .canonical_reason()
                .unwrap_or("request failed")
                .to_string()
        } else {
            text
        };
        let mut fresh =
            ApiError::new(status, error::code_for_status(status), message).into_response();
        for name in [header::ALLOW, header::WWW_AUTHENTICATE] {
            if let Some(v) = parts.headers.get(&name) {
                fresh.headers_mut().insert(name, v.clone());
            }
        }
        fresh
    } else {
        response
    };
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// Opens the database, binds `config.bind` and serves until Ctrl-C. Prints the address; warns
/// when it is not a loopback address.
pub async fn serve(config: ServeConfig) -> Result<(), ServeError> {
    let state = AppState::open(config.clone())?;
    let listener = TcpListener::bind(config.bind)
        .await
        .map_err(|source| ServeError::Bind {
            address: config.bind.to_string(),
            source,
        })?;
    let address = listener.local_addr()?;
    if !address.ip().is_loopback() {
        eprintln!(
            "dyad serve: warning: listening on {address}, reachable from other machines; \
             the API has no authentication except for POST /api/ingest"
        );
    }
    eprintln!(
        "dyad serve: http://{address}/ (database {})",
        config.db.display()
    );
    serve_listener(listener, router(state), &config, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

/// [`serve`] on a new multi-threaded tokio runtime, for callers that are not async (the CLI).
pub fn serve_blocking(config: ServeConfig) -> Result<(), ServeError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(serve(config))
}

/// Serves `app` on an already bound listener until `shutdown` completes, with the
/// connection limits of `config` (request-head timeout, open connections). Tests bind port 0
/// and pass their own shutdown.
pub async fn serve_listener(
    listener: TcpListener,
    app: Router,
    config: &ServeConfig,
    shutdown: impl Future<Output = ()>,
) -> Result<(), ServeError> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let connections = Arc::new(Semaphore::new(config.max_connections.max(1)));
    let header_timeout = config.header_timeout;
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&connections).acquire_owned() => match permit {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment, do not spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let _permit = permit;
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .keep_alive(true);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            if let Err(e) = connection.await {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
        });
    }
    // Let answers in progress finish, for a bounded time.
    let _ = tokio::time::timeout(
        Duration::from_secs(5),
        connections.acquire_many(config.max_connections.max(1) as u32),
    )
    .await;
    Ok(())
}
