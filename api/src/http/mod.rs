//! HTTP: routes, middleware, and the GraphQL-over-HTTP edge.
//!
//! * `POST /graphql` (`Content-Type: application/json` only) and `GET /graphql` (queries
//!   only): GraphQL over HTTP, answered as `application/json` or
//!   `application/graphql-response+json`, chosen by `Accept`; GraphiQL for browsers.
//! * `GET /graphql/ws`: subscriptions (and queries, mutations) over WebSocket.
//! * `GET /calendar/communities/{id}.ics`, `GET /calendar/clusters/{id}.ics`: calendar
//!   feeds (RFC 5545), read anonymously or with a person's `?token=`.
//! * `GET /export/indicators/{id}.csv`: an indicator's series as CSV, with the same
//!   `?token=`.
//! * `GET /healthz`: the process is up. `GET /readyz`: the database (and Redis, when
//!   configured) answer.

mod auth;
mod calendar;
mod client_ip;
mod export;
mod graphql;
mod health;
mod ws;

use std::time::Duration;

use axum::{
    Json, Router,
    http::{HeaderName, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
};
use serde_json::json;
use tower_http::{
    cors::CorsLayer,
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    timeout::TimeoutLayer,
    trace::{DefaultOnResponse, TraceLayer},
};
use tracing::Level;

use crate::{app::AppState, config::Settings, error::Code};

/// A GraphQL-shaped error body: `{"errors": [{"message", "extensions": {"code"}}]}`.
pub fn error_body(code: Code, message: impl Into<String>) -> serde_json::Value {
    json!({"errors": [{
        "message": message.into(),
        "extensions": {"code": code.as_str()}
    }]})
}

/// [`error_body`] as the response to a request refused before it reaches GraphQL.
pub fn error_response(status: StatusCode, code: Code, message: impl Into<String>) -> Response {
    (status, Json(error_body(code, message))).into_response()
}

/// The request's id: its `x-request-id` (the client's, or the one made for it on arrival).
pub fn request_id(headers: &axum::http::HeaderMap) -> std::sync::Arc<str> {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty())
        .map_or_else(|| uuid::Uuid::now_v7().to_string().into(), Into::into)
}

/// The span of a request: its method and path, never its query string (calendar feeds carry
/// their secret token there, GET /graphql its variables).
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        version = ?request.version(),
    )
}

/// The router with its middleware.
pub fn router(state: AppState, settings: &Settings) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/graphql/ws", get(ws::upgrade))
        .route("/calendar/communities/{file}", get(calendar::community))
        .route("/calendar/clusters/{file}", get(calendar::cluster))
        .route("/export/indicators/{file}", get(export::indicator))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(settings.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(settings.request_timeout_secs),
        ))
        .layer(CorsLayer::permissive())
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .map_err(|_| std::io::Error::other("poisoned"))?
                .extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn request_logs_name_the_path_but_never_the_query_string() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            let request =
                axum::http::Request::get("/calendar/communities/abc.ics?token=cpf_secret")
                    .body(axum::body::Body::empty())
                    .unwrap();
            let span = request_span(&request);
            let _entered = span.enter();
            tracing::info!("answered");
        });
        let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        assert!(text.contains("/calendar/communities/abc.ics"), "{text}");
        assert!(!text.contains("cpf_secret"), "{text}");
    }
}
