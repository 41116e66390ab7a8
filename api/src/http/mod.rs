//! HTTP: routes, middleware, and the GraphQL-over-HTTP edge.
//!
//! * `POST /graphql`: GraphQL over HTTP (`application/json` or
//!   `application/graphql-response+json`, chosen by `Accept`).
//! * `GET /graphql`: GraphiQL.
//! * `GET /graphql/ws`: subscriptions (and queries, mutations) over WebSocket.
//! * `GET /healthz`: the process is up. `GET /readyz`: the database (and Redis, when
//!   configured) answer.

mod auth;
mod graphql;
mod health;
mod ws;

use std::time::Duration;

use axum::{
    Router,
    http::{HeaderName, StatusCode},
    routing::get,
};
use tower_http::{
    cors::CorsLayer,
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    timeout::TimeoutLayer,
    trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer},
};
use tracing::Level;

use crate::{app::AppState, config::Settings};

/// The router with its middleware.
pub fn router(state: AppState, settings: &Settings) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .route("/graphql", get(graphql::graphiql).post(graphql::execute))
        .route("/graphql/ws", get(ws::upgrade))
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
