//! `POST /api/code` (code an article, store nothing) and `POST /api/ingest` (code and store,
//! behind a bearer token).

use crate::params::Params;
use crate::{ApiError, AppState};
use axum::extract::{RawQuery, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use dyad_document::{Document, JsonOptions, Pipeline};
use dyad_ingest::{InputFormat, ReadOptions};
use serde::Deserialize;
use std::sync::Arc;

/// The JSON body of `POST /api/code` and `POST /api/ingest`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticleBody {
    /// Plain article text.
    text: Option<String>,
    /// An HTML page (main content is extracted).
    html: Option<String>,
    /// Publication date `YYYY-MM-DD`, the anchor for relative dates.
    published: Option<String>,
    /// Outlet name.
    source: Option<String>,
    /// Headline.
    title: Option<String>,
}

/// What was posted, ready for the reader.
struct Posted {
    bytes: Vec<u8>,
    format: InputFormat,
    published: Option<jiff::civil::Date>,
    source: Option<String>,
    title: Option<String>,
}

const MEDIA_TYPES: &str =
    "application/json ({\"text\": ...} or {\"html\": ...}), text/plain or text/html";

fn parse_published(value: Option<String>) -> Result<Option<jiff::civil::Date>, ApiError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v.parse::<jiff::civil::Date>().map(Some).map_err(|_| {
            ApiError::bad_request(
                "bad_parameter",
                format!("`published` is {v:?}; expected a date as YYYY-MM-DD"),
            )
        }),
    }
}

/// Reads the body (bounded by the body limit) and classifies it by Content-Type.
async fn read_posted(
    state: &AppState,
    headers: &HeaderMap,
    raw_query: Option<&str>,
    body: axum::body::Body,
    allow_jsonl: bool,
) -> Result<Posted, ApiError> {
    let media = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
    let Some(media) = media else {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!("no Content-Type: send {MEDIA_TYPES}"),
        ));
    };
    let format = match media.as_str() {
        "application/json" => None,
        "text/plain" => Some(InputFormat::Text),
        "text/html" | "application/xhtml+xml" => Some(InputFormat::Html),
        "application/x-ndjson" | "application/jsonl" if allow_jsonl => Some(InputFormat::Jsonl),
        other => {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                format!("cannot code a {other} body: send {MEDIA_TYPES}"),
            ));
        }
    };
    let params = Params::parse(raw_query, false, &["published", "source"])?;
    let bytes = read_body(body, state.config().body_limit).await?;
    match format {
        None => {
            let body: ArticleBody = serde_json::from_slice(&bytes).map_err(|e| {
                ApiError::bad_request(
                    "bad_json",
                    format!("the body is not a valid article object: {e}"),
                )
            })?;
            let (bytes, format) = match (body.text, body.html) {
                (Some(text), None) => (text.into_bytes(), InputFormat::Text),
                (None, Some(html)) => (html.into_bytes(), InputFormat::Html),
                _ => {
                    return Err(ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "missing_text",
                        "give exactly one of `text` or `html`",
                    ));
                }
            };
            Ok(Posted {
                bytes,
                format,
                published: parse_published(body.published.or(params.text("published")?))?,
                source: body.source.or(params.text("source")?),
                title: body.title,
            })
        }
        Some(format) => {
            if format == InputFormat::Text && std::str::from_utf8(&bytes).is_err() {
                return Err(ApiError::bad_request(
                    "invalid_utf8",
                    "a text/plain body must be UTF-8 (send HTML with its charset as text/html)",
                ));
            }
            Ok(Posted {
                bytes: bytes.to_vec(),
                format,
                published: parse_published(params.text("published")?)?,
                source: params.text("source")?,
                title: None,
            })
        }
    }
}

/// Collects a body of at most `limit` bytes; 413 above it, 408 when the client is too slow.
pub(crate) async fn read_body(
    body: axum::body::Body,
    limit: usize,
) -> Result<axum::body::Bytes, ApiError> {
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        let inner = e.into_inner();
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(inner.as_ref());
        while let Some(err) = source {
            if err.is::<http_body_util::LengthLimitError>() {
                return too_large(limit);
            }
            if err.is::<tower_http::timeout::TimeoutError>() {
                return ApiError::new(
                    StatusCode::REQUEST_TIMEOUT,
                    "request_timeout",
                    "the request body was not received in time",
                );
            }
            source = err.source();
        }
        ApiError::bad_request(
            "bad_body",
            format!("could not read the request body: {inner}"),
        )
    })
}

pub(crate) fn too_large(limit: usize) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        format!("the body is larger than {limit} bytes (server option --body-limit)"),
    )
}

/// Reads the posted article into documents (one, or several for JSON Lines).
fn documents(posted: Posted, limit: usize) -> Result<Vec<Document>, ApiError> {
    let name = match posted.format {
        InputFormat::Html => "posted.html",
        InputFormat::Jsonl => "posted.jsonl",
        _ => "posted.txt",
    };
    let options = ReadOptions {
        format: Some(posted.format),
        published: posted.published,
        source: posted.source,
        max_document_bytes: limit,
        ..ReadOptions::default()
    };
    let mut docs = Vec::new();
    for item in dyad_ingest::read_bytes(name, &posted.bytes, &options) {
        match item {
            Ok(mut doc) => {
                if posted.title.is_some() {
                    doc.meta.title = posted.title.clone();
                }
                docs.push(doc);
            }
            Err(e) => {
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "unreadable",
                    format!("cannot read the article: {e}"),
                ));
            }
        }
    }
    if docs.is_empty() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unreadable",
            "the body holds no article text",
        ));
    }
    Ok(docs)
}

/// `POST /api/code`: codes the posted article and returns the document JSON; stores nothing.
pub(crate) async fn code(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    request: Request,
) -> Result<Response, ApiError> {
    let (parts, body) = request.into_parts();
    let posted = read_posted(&state, &parts.headers, raw.as_deref(), body, false).await?;
    let limit = state.config().body_limit;
    let mut docs = documents(posted, limit)?;
    let mut doc = docs.swap_remove(0);
    let pipeline = state.pipeline().await?;
    let _permit = state.coding_permit().await?;
    let json = tokio::task::spawn_blocking(move || {
        pipeline.run(&mut doc).map_err(|e| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "not_coded",
                format!("the article could not be coded: {e}"),
            )
        })?;
        Ok::<_, ApiError>(doc.to_json_line(JsonOptions::default()))
    })
    .await
    .map_err(ApiError::internal)??;
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
}

/// Checks `Authorization: Bearer <token>` against the configured token.
fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(expected) = state.config().token.as_deref() else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "ingest_disabled",
            "ingest disabled: start the server with --token or DYAD_TOKEN to enable POST /api/ingest",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match given {
        None => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "send the ingest token as `Authorization: Bearer <token>`",
        )),
        Some(token) if constant_time_eq(token.as_bytes(), expected.as_bytes()) => Ok(()),
        Some(_) => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "the ingest token is wrong",
        )),
    }
}

/// Compares without an early exit, so timing does not tell how much of a token matched.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = a.len() ^ b.len();
    for (i, x) in a.iter().enumerate() {
        diff |= usize::from(x ^ b.get(i).copied().unwrap_or(0));
    }
    diff == 0
}

/// `POST /api/ingest`: codes the posted article(s) and stores them.
pub(crate) async fn ingest(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    request: Request,
) -> Result<Response, ApiError> {
    let (parts, body) = request.into_parts();
    authorize(&state, &parts.headers)?;
    let posted = read_posted(&state, &parts.headers, raw.as_deref(), body, true).await?;
    let docs = documents(posted, state.config().body_limit)?;
    let ids: Vec<String> = docs.iter().map(|d| d.id().to_string()).collect();
    let pipeline: Arc<Pipeline> = state.pipeline().await?;
    let _permit = state.coding_permit().await?;
    let writer = state.writer();
    let db = state.pool().path().to_path_buf();
    let report = tokio::task::spawn_blocking(move || {
        // One writer at a time; SQLite would serialize them anyway, this avoids busy waits.
        let _guard = writer.lock().unwrap_or_else(|e| e.into_inner());
        let mut store = dyad_store::Store::open(&db)?;
        let report = dyad_pipeline::ingest::ingest(
            &mut store,
            &pipeline,
            docs.into_iter().map(Ok),
            dyad_pipeline::ingest::IngestOptions::default(),
            |_| {},
        )?;
        Ok::<_, ApiError>(report)
    })
    .await
    .map_err(ApiError::internal)??;
    let s = report.store;
    Ok((
        StatusCode::OK,
        axum::Json(serde_json::json!({
            "documents": ids,
            "stored": s.stored,
            "already_present": s.already_present,
            "near_duplicates": s.near_duplicates,
            "failed": report.failed,
            "mentions": s.mentions,
            "new_events": s.new_events,
            "merged_mentions": s.merged_mentions,
        })),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::constant_time_eq;

    #[test]
    fn token_comparison() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secret2"));
        assert!(!constant_time_eq(b"", b"x"));
    }
}
