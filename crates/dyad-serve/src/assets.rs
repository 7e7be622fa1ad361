//! The dashboard: static files compiled into the binary, served with a strict
//! Content-Security-Policy (everything from this server, nothing inline, no CDN).

use crate::ApiError;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// One embedded file.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
    /// Vendored files never change within a build; the application files may while developing.
    immutable: bool,
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "index.html",
        content_type: "text/html; charset=utf-8",
        bytes: include_bytes!("../web/index.html"),
        immutable: false,
    },
    Asset {
        name: "app.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../web/app.js"),
        immutable: false,
    },
    Asset {
        name: "style.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../web/style.css"),
        immutable: false,
    },
    Asset {
        name: "d3.min.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../web/vendor/d3.min.js"),
        immutable: true,
    },
    Asset {
        name: "topojson-client.min.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../web/vendor/topojson-client.min.js"),
        immutable: true,
    },
    Asset {
        name: "countries-110m.json",
        content_type: "application/json",
        bytes: include_bytes!("../web/vendor/countries-110m.json"),
        immutable: true,
    },
];

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

fn respond(asset: &Asset) -> Response {
    let cache = if asset.immutable {
        "public, max-age=86400"
    } else {
        "no-cache"
    };
    (
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CACHE_CONTROL, cache),
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        asset.bytes,
    )
        .into_response()
}

/// `GET /`: the dashboard page.
pub(crate) async fn index() -> Response {
    match ASSETS.first() {
        Some(page) => respond(page),
        None => ApiError::internal("no dashboard page embedded").into_response(),
    }
}

/// `GET /assets/{file}`: a script, stylesheet or data file of the dashboard.
pub(crate) async fn asset(Path(name): Path<String>) -> Result<Response, ApiError> {
    ASSETS
        .iter()
        .find(|a| a.name == name)
        .map(respond)
        .ok_or_else(|| ApiError::not_found(format!("no dashboard file {name:?}")))
}
