//! The API driven in-process (no port): answers, cursor pagination, and abuse — malformed
//! query strings, huge and invalid bodies, missing and wrong tokens, unknown routes. Every
//! bad input is a 4xx with the JSON error shape, never a 500.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use dyad_serve::{AppState, OPENAPI_JSON, ROUTES, ServeConfig, router};
use serde_json::Value;
use std::sync::OnceLock;
use tower::ServiceExt;

/// One database for all tests: 60 synthetic articles (about 300 events).
fn database() -> &'static std::path::Path {
    static DB: OnceLock<(tempfile::TempDir, std::path::PathBuf)> = OnceLock::new();
    let (_, path) = DB.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("dyad.db");
        dyad_serve::synthetic::write_database(&path, 60, 11).expect("synthetic database");
        (dir, path)
    });
    path
}

fn app_with(token: Option<&str>) -> Router {
    let config = ServeConfig {
        db: database().to_path_buf(),
        token: token.map(str::to_string),
        body_limit: 64 * 1024,
        ..ServeConfig::default()
    };
    router(AppState::open(config).expect("open the database"))
}

fn app() -> Router {
    app_with(None)
}

async fn send(app: &Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = app.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 24)
        .await
        .expect("body");
    let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, value)
}

async fn get(app: &Router, uri: &str) -> (StatusCode, Value) {
    send(app, Request::get(uri).body(Body::empty()).expect("request")).await
}

fn post(uri: &str, content_type: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut builder = Request::post(uri);
    if let Some(ct) = content_type {
        builder = builder.header(header::CONTENT_TYPE, ct);
    }
    builder.body(body.into()).expect("request")
}

/// The answer is an error in the JSON shape, with the given status.
fn assert_error(uri: &str, (status, body): &(StatusCode, Value), expected: StatusCode) {
    assert_eq!(*status, expected, "{uri}: {body}");
    assert!(
        body["error"]["code"].is_string() && body["error"]["message"].is_string(),
        "{uri}: not the JSON error shape: {body}"
    );
}

#[tokio::test]
async fn events_come_in_pages_with_a_cursor() {
    let app = app();
    let (status, first) = get(&app, "/api/events?limit=7").await;
    assert_eq!(status, 200);
    let total = first["total"].as_u64().expect("total on the first page");
    assert!(total > 100, "{total}");
    let mut ids: Vec<i64> = Vec::new();
    let mut page = first;
    loop {
        for e in page["events"].as_array().expect("events") {
            ids.push(e["id"].as_i64().expect("id"));
        }
        match page["next_after_id"].as_i64() {
            Some(cursor) => {
                page = get(&app, &format!("/api/events?limit=7&after_id={cursor}"))
                    .await
                    .1;
                assert!(page["total"].is_null(), "total only on the first page");
            }
            None => break,
        }
    }
    assert_eq!(ids.len() as u64, total);
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "ids ascending, no repeats"
    );
}

#[tokio::test]
async fn filters_aggregates_and_one_event() {
    let app = app();
    let all = get(&app, "/api/events?limit=1").await.1["total"]
        .as_u64()
        .unwrap_or(0);
    let (_, conflict) = get(&app, "/api/events?quad_class=4&country=af&limit=1000").await;
    let rows = conflict["events"].as_array().expect("events");
    assert!(!rows.is_empty() && (rows.len() as u64) < all);
    assert!(
        rows.iter()
            .all(|e| e["quad_class"] == 4 && e["country_code"] == "AF")
    );
    // The Panjshir story is article 0: one event with its mention and evidence spans.
    let (_, found) = get(&app, "/api/events?actor=AFGINSTAL&cameo=190&text=Panjshir").await;
    let id = found["events"][0]["id"]
        .as_i64()
        .expect("the Panjshir attack");
    let (status, one) = get(&app, &format!("/api/events/{id}")).await;
    assert_eq!(status, 200);
    let mention = &one["mentions"][0];
    assert_eq!(mention["evidence"], "attacked");
    let document = mention["document"].as_str().expect("document id");
    let (status, doc) = get(&app, &format!("/api/documents/{document}")).await;
    assert_eq!(status, 200);
    let index = mention["index"].as_u64().expect("index") as usize;
    assert_eq!(doc["events"][index]["pattern"], "ATTACK");
    assert_eq!(doc["events"][index]["evidence"]["text"], "attacked");
    for uri in [
        "/api/places?limit=5",
        "/api/actors?limit=5",
        "/api/network?limit=5",
        "/api/timeseries?by=root&from=2021-07-01&to=2021-07-31",
        "/api/stats",
        "/healthz",
    ] {
        let (status, body) = get(&app, uri).await;
        assert_eq!(status, 200, "{uri}: {body}");
    }
    let (_, places) = get(&app, "/api/places?limit=5").await;
    assert_eq!(places["places"].as_array().map(Vec::len), Some(5));
    // FTS syntax in the search text is quoted, not interpreted.
    let (status, _) = get(&app, "/api/events?text=%22AND%20OR%20NEAR(%20*").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn malformed_query_strings_are_400_not_500() {
    let app = app();
    for uri in [
        "/api/events?limit=-1",
        "/api/events?limit=abc",
        "/api/events?limit=100000",
        "/api/events?limit=0",
        "/api/events?after_id=-3",
        "/api/events?from=2021-02-30",
        "/api/events?from=20210101",
        "/api/events?to=yesterday",
        "/api/events?from=2021-09-01&to=2021-08-01",
        "/api/events?quad_class=0",
        "/api/events?quad_class=x",
        "/api/events?bbox=1,2",
        "/api/events?bbox=1,2,3,inf",
        "/api/events?cameo=19%27%20OR%201=1",
        "/api/events?country=Afghanistan",
        "/api/events?negated=maybe",
        "/api/events?modality=certain",
        "/api/events?colour=red",
        "/api/events?%ZZ=1",
        "/api/events?limit=1&limit=2",
        "/api/events/abc",
        "/api/events/-1",
        "/api/events/99999999999999999999999",
        "/api/timeseries?by=week",
        "/api/places?limit=0",
        "/api/network?limit=-5",
        "/api/actors?from=2021-8-1",
        "/healthz?verbose=1",
    ] {
        let answer = get(&app, uri).await;
        assert_error(uri, &answer, StatusCode::BAD_REQUEST);
    }
    let long = format!("/api/events?actor={}", "a".repeat(500));
    assert_error(&long, &get(&app, &long).await, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_json() {
    let app = app();
    for uri in [
        "/nope",
        "/api/event",
        "/api/events/1/x",
        "/assets/secret.txt",
    ] {
        assert_error(uri, &get(&app, uri).await, StatusCode::NOT_FOUND);
    }
    let answer = get(&app, "/api/events/999999").await;
    assert_error("/api/events/999999", &answer, StatusCode::NOT_FOUND);
    let answer = get(&app, "/api/documents/sha256:0000").await;
    assert_error("document", &answer, StatusCode::NOT_FOUND);
    let delete = Request::delete("/api/events")
        .body(Body::empty())
        .expect("request");
    let answer = send(&app, delete).await;
    assert_error(
        "DELETE /api/events",
        &answer,
        StatusCode::METHOD_NOT_ALLOWED,
    );
}

#[tokio::test]
async fn bodies_too_large_invalid_or_garbage_are_4xx() {
    let app = app();
    // Over the 64 KiB limit of these tests, with a length and streamed without one.
    let big = "The Taliban attacked. ".repeat(4000);
    let answer = send(&app, post("/api/code", Some("text/plain"), big.clone())).await;
    assert_error("big", &answer, StatusCode::PAYLOAD_TOO_LARGE);
    let chunks: Vec<Result<String, std::io::Error>> =
        (0..100).map(|_| Ok(big[..2000].to_string())).collect();
    let streamed = Body::from_stream(futures_util::stream::iter(chunks));
    let answer = send(&app, post("/api/code", Some("text/plain"), streamed)).await;
    assert_error("streamed", &answer, StatusCode::PAYLOAD_TOO_LARGE);
    let cases: Vec<(Option<&str>, Vec<u8>, StatusCode)> = vec![
        (
            Some("text/plain"),
            vec![0xff, 0xfe, b'a', 0xc3],
            StatusCode::BAD_REQUEST,
        ),
        (
            Some("application/json"),
            vec![b'{', 0xff, b'}'],
            StatusCode::BAD_REQUEST,
        ),
        (
            Some("application/json"),
            b"{not json".to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            Some("application/json"),
            br#"{"text": 5}"#.to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            Some("application/json"),
            br#"{"text": "x", "colour": 1}"#.to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            Some("application/json"),
            br#"{"text": "x", "published": "yesterday"}"#.to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            Some("application/json"),
            br#"[1, 2, 3]"#.to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            Some("application/json"),
            b"{}".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Some("application/json"),
            br#"{"text": "a", "html": "<p>b</p>"}"#.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Some("application/json"),
            br#"{"text": "   \n  "}"#.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Some("text/plain"),
            b"".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Some("text/html"),
            b"<script>var x = 1;</script>".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Some("image/png"),
            vec![0x89, b'P', b'N', b'G'],
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            None,
            b"The Taliban attacked.".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
    ];
    for (content_type, body, expected) in cases {
        let label = format!("{content_type:?} {:?}", String::from_utf8_lossy(&body));
        let answer = send(&app, post("/api/code", content_type, body)).await;
        assert_error(&label, &answer, expected);
    }
    let answer = send(&app, post("/api/code?colour=red", Some("text/plain"), "x")).await;
    assert_error("query on code", &answer, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn ingest_needs_the_token() {
    let disabled = app();
    let answer = send(
        &disabled,
        post("/api/ingest", Some("text/plain"), "The Taliban attacked."),
    )
    .await;
    assert_error("no token configured", &answer, StatusCode::FORBIDDEN);
    assert_eq!(answer.1["error"]["code"], "ingest_disabled");

    let app = app_with(Some("s3cret"));
    let answer = send(
        &app,
        post("/api/ingest", Some("text/plain"), "The Taliban attacked."),
    )
    .await;
    assert_error("no Authorization", &answer, StatusCode::UNAUTHORIZED);
    for authorization in ["Bearer wrong", "Bearer s3cre", "Bearer s3cret2", "Bearer "] {
        let request = Request::post("/api/ingest")
            .header(header::CONTENT_TYPE, "text/plain")
            .header(header::AUTHORIZATION, authorization)
            .body(Body::from("The Taliban attacked."))
            .expect("request");
        let answer = send(&app, request).await;
        assert_error(authorization, &answer, StatusCode::FORBIDDEN);
    }
    let request = Request::post("/api/ingest")
        .header(header::CONTENT_TYPE, "text/plain")
        .header(header::AUTHORIZATION, "Basic czNjcmV0")
        .body(Body::from("x"))
        .expect("request");
    assert_error(
        "Basic",
        &send(&app, request).await,
        StatusCode::UNAUTHORIZED,
    );
}

#[tokio::test]
async fn the_openapi_description_documents_every_route() {
    let spec: Value = serde_json::from_str(OPENAPI_JSON).expect("openapi.json is JSON");
    assert_eq!(spec["openapi"], "3.1.0");
    let paths = spec["paths"].as_object().expect("paths");
    for (method, path) in ROUTES {
        assert!(
            paths
                .get(*path)
                .and_then(|p| p.get(method.to_lowercase()))
                .is_some(),
            "{method} {path} is not in openapi.json"
        );
    }
    for (path, operations) in paths {
        for method in operations.as_object().expect("operations").keys() {
            assert!(
                ROUTES
                    .iter()
                    .any(|(m, p)| p == path && m.eq_ignore_ascii_case(method)),
                "openapi.json documents {method} {path}, which the server does not answer"
            );
        }
    }
    // Every listed route is really routed (a missing route answers "no route ...").
    let app = app();
    for (method, path) in ROUTES {
        let uri = path.replace("{id}", "1").replace("{file}", "app.js");
        let request = Request::builder()
            .method(*method)
            .uri(&uri)
            .body(Body::empty())
            .expect("request");
        let response = app.clone().oneshot(request).await.expect("infallible");
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 24)
            .await
            .expect("body");
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("no route"),
            "{method} {path} is not routed: {status} {text}"
        );
        assert!(status.as_u16() < 500, "{method} {path}: {status}");
    }
}

#[tokio::test]
async fn the_dashboard_is_served_offline() {
    let app = app();
    let response = app
        .clone()
        .oneshot(Request::get("/").body(Body::empty()).expect("request"))
        .await
        .expect("infallible");
    assert_eq!(response.status(), 200);
    let csp = response
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(csp.contains("default-src 'self'"), "{csp}");
    let page = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .expect("body");
    let page = String::from_utf8_lossy(&page);
    // Nothing is loaded from another host.
    assert!(!page.contains("http://") && !page.contains("https://"));
    for asset in [
        "/assets/app.js",
        "/assets/style.css",
        "/assets/d3.min.js",
        "/assets/topojson-client.min.js",
        "/assets/countries-110m.json",
    ] {
        let response = app
            .clone()
            .oneshot(Request::get(asset).body(Body::empty()).expect("request"))
            .await
            .expect("infallible");
        assert_eq!(response.status(), 200, "{asset}");
    }
}

/// Coding and ingesting for real: builds the default pipeline once (a moment).
#[tokio::test(flavor = "multi_thread")]
async fn code_and_ingest_a_sentence() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = dir.path().join("ingest.db");
    dyad_serve::synthetic::write_database(&db, 1, 1).expect("database");
    let app = router(
        AppState::open(ServeConfig {
            db: db.clone(),
            token: Some("s3cret".into()),
            ..ServeConfig::default()
        })
        .expect("open"),
    );
    let sentence =
        "The Taliban attacked the National Resistance Front in the Panjshir Valley on Monday.";
    let body = serde_json::json!({"text": sentence, "published": "2021-08-25", "source": "BBC"});
    let (status, doc) = send(
        &app,
        post("/api/code", Some("application/json"), body.to_string()),
    )
    .await;
    assert_eq!(status, 200, "{doc}");
    assert_eq!(doc["text"], sentence);
    assert_eq!(doc["published"], "2021-08-25");
    assert_eq!(doc["sentences"].as_array().map(Vec::len), Some(1));
    let (status, raw) = send(
        &app,
        post(
            "/api/code?published=2021-08-25",
            Some("text/html; charset=utf-8"),
            format!(
                "<html><body><nav>Home</nav><article><p>{sentence}</p></article></body></html>"
            ),
        ),
    )
    .await;
    assert_eq!(status, 200, "{raw}");
    assert_eq!(raw["text"], sentence);
    // /api/code stored nothing; /api/ingest with the token stores the article.
    let before = get(&app, "/api/stats").await.1["documents"].clone();
    assert_eq!(before, 1);
    let request = Request::post("/api/ingest?published=2021-08-25&source=BBC")
        .header(header::CONTENT_TYPE, "text/plain")
        .header(header::AUTHORIZATION, "Bearer s3cret")
        .body(Body::from(sentence))
        .expect("request");
    let (status, report) = send(&app, request).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["stored"], 1);
    let after = get(&app, "/api/stats").await.1["documents"].clone();
    assert_eq!(after, 2);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

    /// Any query string on any read route is answered below 500.
    #[test]
    fn no_query_string_makes_a_500(
        route in proptest::sample::select(vec![
            "/api/events", "/api/actors", "/api/places", "/api/timeseries", "/api/network", "/api/stats",
        ]),
        key in proptest::sample::select(vec![
            "actor", "cameo", "plover", "quad_class", "from", "to", "country", "bbox", "text",
            "limit", "after_id", "by", "negated", "modality", "x",
        ]),
        value in "[ -~]{0,24}",
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        let encoded: String = form_encode(&value);
        let uri = format!("{route}?{key}={encoded}");
        let (status, body) = runtime.block_on(get(&app(), &uri));
        proptest::prop_assert!(status.as_u16() < 500, "{} -> {} {}", uri, status, body);
        if !status.is_success() {
            proptest::prop_assert!(body["error"]["message"].is_string(), "{} -> {}", uri, body);
        }
    }
}

fn form_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn answers_are_compressed_when_the_client_accepts_it() {
    let app = app();
    for (uri, encoding) in [
        ("/api/events?limit=50", "gzip"),
        ("/api/events?limit=50", "br"),
        ("/assets/d3.min.js", "gzip"),
        ("/", "br"),
    ] {
        let request = Request::get(uri)
            .header(header::ACCEPT_ENCODING, encoding)
            .body(Body::empty())
            .expect("request");
        let response = app.clone().oneshot(request).await.expect("infallible");
        assert_eq!(response.status(), 200, "{uri}");
        assert_eq!(
            response
                .headers()
                .get(header::CONTENT_ENCODING)
                .and_then(|v| v.to_str().ok()),
            Some(encoding),
            "{uri}"
        );
    }
    // Without Accept-Encoding the answer is plain JSON.
    let (status, page) = get(&app, "/api/events?limit=5").await;
    assert_eq!(status, 200);
    assert!(page["events"].is_array());
}
