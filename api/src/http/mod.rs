//! HTTP: routes, middleware, and the GraphQL-over-HTTP edge.
//!
//! * `POST /graphql` (`Content-Type: application/json` only) and `GET /graphql` (queries
//!   only): GraphQL over HTTP, answered as `application/json` or
//!   `application/graphql-response+json`, chosen by `Accept`; GraphiQL for browsers.
//! * `GET /graphql/ws`: subscriptions (and queries, mutations) over WebSocket.
//! * `GET /calendar/communities/{id}.ics`, `GET /calendar/clusters/{id}.ics`: calendar
//!   feeds (RFC 5545), read anonymously or with a person's `?token=`.
//! * `GET /healthz`: the process is up. `GET /readyz`: the database (and Redis, when
//!   configured) answer.

mod auth;
mod calendar;
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
    trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer},
};
use tracing::Level;

use crate::{app::AppState, config::Settings, error::Code};

/// A GraphQL-shaped error body (`{"errors": [{"message", "extensions": {"code"}}]}`) for
/// requests refused before they reach GraphQL.
pub fn error_response(status: StatusCode, code: Code, message: impl Into<String>) -> Response {
    let body = json!({"errors": [{
        "message": message.into(),
        "extensions": {"code": code.as_str()}
    }]});
    (status, Json(body)).into_response()
}

/// The router with its middleware.
pub fn router(state: AppState, settings: &Settings) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/graphql/ws", get(ws::upgrade))
        .route("/calendar/communities/{file}", get(calendar::community))
        .route("/calendar/clusters/{file}", get(calendar::cluster))
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
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}
