//! Liveness and readiness.

use axum::{Json, extract::State, http::StatusCode};
use serde_json::{Value, json};

use crate::app::AppState;

/// `GET /healthz`: the process answers.
pub async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// `GET /readyz`: 200 when the database (and Redis, when configured) answer; 503 otherwise.
/// Also this replica's cache counters since it started.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let database = match state.database.ping().await {
        Ok(()) => "ok".to_owned(),
        Err(err) => {
            tracing::warn!(error = %err, "readiness: database");
            "unreachable".to_owned()
        }
    };
    let redis = match &state.redis {
        None => "not configured".to_owned(),
        Some(redis) => match redis.ping().await {
            Ok(()) => "ok".to_owned(),
            Err(err) => {
                tracing::warn!(error = %err, "readiness: redis");
                "unreachable".to_owned()
            }
        },
    };
    let ready = database == "ok" && (redis == "ok" || redis == "not configured");
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let (hits, misses, errors, invalidations) = state.services.cache().stats().snapshot();
    let cache =
        json!({"hits": hits, "misses": misses, "errors": errors, "invalidations": invalidations});
    (
        status,
        Json(
            json!({"status": if ready { "ready" } else { "not ready" }, "database": database, "redis": redis, "cache": cache}),
        ),
    )
}
