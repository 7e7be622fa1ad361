//! The read-only JSON routes over the store.

use crate::params::Params;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use dyad_store::CountBy;
use dyad_store::aggregate::SeriesBy;
use serde_json::{Value, json};
use std::collections::BTreeMap;

type ApiResult = Result<Json<Value>, ApiError>;

/// `GET /healthz`: the server is up and its database answers.
pub(crate) async fn healthz(State(state): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult {
    Params::parse(raw.as_deref(), false, &[])?;
    let events = state
        .pool()
        .run(|store| Ok(store.count(&Default::default())?))
        .await?;
    Ok(Json(json!({"status": "ok", "events": events})))
}

/// `GET /api/stats`: totals and the range of event days.
pub(crate) async fn stats(State(state): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult {
    Params::parse(raw.as_deref(), false, &[])?;
    let (stats, range) = state
        .pool()
        .run(|store| Ok((store.stats()?, store.day_range()?)))
        .await?;
    Ok(Json(json!({
        "documents": stats.documents,
        "near_duplicates": stats.near_duplicates,
        "events": stats.events,
        "mentions": stats.mentions,
        "dead_letters": stats.dead_letters,
        "first_day": range.as_ref().map(|r| &r.0),
        "last_day": range.as_ref().map(|r| &r.1),
        "ingest_enabled": state.ingest_enabled(),
    })))
}

/// `GET /api/events`: one page of matching events, oldest id first, with a cursor.
pub(crate) async fn events(State(state): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult {
    let params = Params::parse(raw.as_deref(), true, &["after_id", "limit"])?;
    let mut query = params.event_query()?;
    let limit = params.integer("limit", 1, 1000, Some(50))?.unwrap_or(50) as usize;
    query.after_id = params.integer("after_id", 0, i64::MAX, None)?;
    let first_page = query.after_id.is_none();
    // One more than asked tells whether another page follows.
    query.limit = Some(limit + 1);
    let (mut rows, total) = state
        .pool()
        .run(move |store| {
            let rows = store.query(&query)?;
            let total = if first_page {
                let all = dyad_store::EventQuery {
                    after_id: None,
                    limit: None,
                    ..query.clone()
                };
                Some(store.count(&all)?)
            } else {
                None
            };
            Ok((rows, total))
        })
        .await?;
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next = if more {
        rows.last().map(|r| r.id)
    } else {
        None
    };
    Ok(Json(json!({
        "events": rows,
        "next_after_id": next,
        "total": total,
    })))
}

fn parse_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| {
        ApiError::bad_request(
            "bad_parameter",
            format!("event id must be a positive whole number, not {raw:?}"),
        )
    })
}

/// `GET /api/events/{id}`: one event with every mention and its evidence spans.
pub(crate) async fn event(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    Params::parse(raw.as_deref(), false, &[])?;
    let id = parse_id(&id)?;
    let (event, mentions) = state
        .pool()
        .run(move |store| Ok((store.event(id)?, store.mentions(id)?)))
        .await?;
    match event {
        Some(event) => Ok(Json(json!({"event": event, "mentions": mentions}))),
        None => Err(ApiError::not_found(format!("no event with id {id}"))),
    }
}

/// `GET /api/documents/{id}`: a stored document in the JSON contract, with every layer.
pub(crate) async fn document(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(raw.as_deref(), false, &[])?;
    if id.is_empty() || id.len() > 128 {
        return Err(ApiError::bad_request(
            "bad_parameter",
            "a document id looks like sha256: followed by 32 hex digits",
        ));
    }
    let shown = id.clone();
    let json = state
        .pool()
        .run(move |store| Ok(store.document_json(&id)?))
        .await?;
    match json {
        Some(json) => Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response()),
        None => Err(ApiError::not_found(format!(
            "no document with id {shown:?}"
        ))),
    }
}

/// `GET /api/actors`: the actors in most matching events.
pub(crate) async fn actors(State(state): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult {
    let params = Params::parse(raw.as_deref(), true, &["limit"])?;
    let query = params.event_query()?;
    let limit = params.integer("limit", 1, 500, Some(20))?.unwrap_or(20) as usize;
    let actors = state
        .pool()
        .run(move |store| Ok(store.top_actors(&query, limit)?))
        .await?;
    Ok(Json(json!({ "actors": actors })))
}

/// `GET /api/places`: matching events per place and per country.
pub(crate) async fn places(State(state): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult {
    let params = Params::parse(raw.as_deref(), true, &["limit"])?;
    let query = params.event_query()?;
    let limit = params.integer("limit", 1, 5000, Some(500))?.unwrap_or(500) as usize;
    let (places, countries) = state
        .pool()
        .run(move |store| {
            Ok((
                store.place_counts(&query, limit)?,
                store.count_by(&query, CountBy::Country)?,
            ))
        })
        .await?;
    let countries: Vec<Value> = countries
        .into_iter()
        .filter(|(code, _)| !code.is_empty())
        .map(|(code, count)| json!({"country_code": code, "count": count}))
        .collect();
    Ok(Json(json!({ "places": places, "countries": countries })))
}

/// `GET /api/timeseries`: matching events per day, split by QuadClass or CAMEO root.
pub(crate) async fn timeseries(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref(), true, &["by"])?;
    let query = params.event_query()?;
    let by_name = params
        .choice("by", &["quad_class", "root"])?
        .unwrap_or_else(|| "quad_class".to_string());
    let by = if by_name == "root" {
        SeriesBy::Root
    } else {
        SeriesBy::QuadClass
    };
    let rows = state
        .pool()
        .run(move |store| Ok(store.daily_counts(&query, by)?))
        .await?;
    // Serialized straight from the rows (thousands of them for a root split), not through a
    // `serde_json::Value` tree; the keys in the order `json!` writes them (sorted).
    #[derive(serde::Serialize)]
    struct Row<'a> {
        count: u64,
        day: &'a str,
        key: &'a str,
    }
    #[derive(serde::Serialize)]
    struct Answer<'a> {
        by: &'a str,
        rows: Vec<Row<'a>>,
    }
    let rows = rows
        .iter()
        .map(|r| Row {
            count: r.count,
            day: &r.day,
            key: &r.key,
        })
        .collect();
    Ok(Json(Answer { by: &by_name, rows }).into_response())
}

/// `GET /api/network`: the heaviest source → target edges and their actors.
pub(crate) async fn network(State(state): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult {
    let params = Params::parse(raw.as_deref(), true, &["limit"])?;
    let query = params.event_query()?;
    let limit = params.integer("limit", 1, 500, Some(60))?.unwrap_or(60) as usize;
    let edges = state
        .pool()
        .run(move |store| Ok(store.actor_edges(&query, limit)?))
        .await?;
    let mut nodes: BTreeMap<&str, (&str, u64)> = BTreeMap::new();
    for e in &edges {
        nodes.entry(&e.source).or_insert((&e.source_name, 0)).1 += e.count;
        nodes.entry(&e.target).or_insert((&e.target_name, 0)).1 += e.count;
    }
    let nodes: Vec<Value> = nodes
        .into_iter()
        .map(|(id, (name, count))| json!({"id": id, "name": name, "count": count}))
        .collect();
    Ok(Json(json!({ "nodes": nodes, "edges": edges })))
}

/// `GET /api/openapi.json`: the OpenAPI 3.1 description of these routes.
pub(crate) async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        crate::OPENAPI_JSON,
    )
        .into_response()
}
