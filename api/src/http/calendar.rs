//! Calendar feeds: `GET /calendar/communities/{id}.ics` and `GET /calendar/clusters/{id}.ics`
//! (RFC 5545), with the same visibility as the API. A calendar application cannot send
//! headers, so a person reads their feeds with `?token=` (made by `createCalendarToken`,
//! revocable); without a token a feed holds what anonymous callers see.

use axum::{
    extract::{Path, Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{Duration, Utc};
use copnet_domain::{Actor, DomainError, service::FeedOf};
use serde::Deserialize;

use super::error_response;
use crate::{
    app::AppState,
    error::Code,
    graphql::ids::{Kind, decode_as},
};

/// How far back a feed reaches.
const PAST_DAYS: i64 = 180;
/// How far ahead.
const AHEAD_DAYS: i64 = 366;

/// The feed's query string.
#[derive(Debug, Deserialize)]
pub struct FeedQuery {
    token: Option<String>,
}

/// `GET /calendar/communities/{id}.ics`.
pub async fn community(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(query): Query<FeedQuery>,
) -> Response {
    feed(&state, &file, Kind::Community, query).await
}

/// `GET /calendar/clusters/{id}.ics`.
pub async fn cluster(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(query): Query<FeedQuery>,
) -> Response {
    feed(&state, &file, Kind::Cluster, query).await
}

fn not_found() -> Response {
    error_response(StatusCode::NOT_FOUND, Code::NotFound, "calendar not found")
}

/// The person a feed token names; anonymous without a token.
pub(super) async fn actor(state: &AppState, token: Option<&str>) -> Result<Actor, Response> {
    let Some(token) = token else {
        return Ok(Actor::Anonymous);
    };
    let refused = || {
        error_response(
            StatusCode::UNAUTHORIZED,
            Code::Unauthenticated,
            "invalid or revoked calendar token",
        )
    };
    let (id, secret) = state.api_keys.parse_feed(token).ok_or_else(refused)?;
    match state.services.calendar_token(id).await {
        Ok(Some((found, hash))) if state.api_keys.matches(&secret, &hash) => Ok(Actor::Person {
            id: found.person_id,
            platform_admin: false,
        }),
        Ok(_) => Err(refused()),
        Err(err) => Err(internal(&err)),
    }
}

pub(super) fn internal(err: &DomainError) -> Response {
    tracing::error!(error = ?err, "calendar feed");
    error_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        Code::Internal,
        "internal error",
    )
}

async fn feed(state: &AppState, file: &str, kind: Kind, query: FeedQuery) -> Response {
    let Some(raw) = file.strip_suffix(".ics") else {
        return not_found();
    };
    let Ok(id) = decode_as::<uuid::Uuid>("id", kind, &raw.to_owned().into()) else {
        return not_found();
    };
    let actor = match actor(state, query.token.as_deref()).await {
        Ok(actor) => actor,
        Err(refused) => return refused,
    };
    let access = match state.services.access_of(actor).await {
        Ok(access) => access,
        Err(err) => return internal(&err),
    };
    let of = match kind {
        Kind::Cluster => FeedOf::Cluster(id.into()),
        _ => FeedOf::Community(id.into()),
    };
    let now = Utc::now();
    let (from, to) = (
        now - Duration::days(PAST_DAYS),
        now + Duration::days(AHEAD_DAYS),
    );
    let events = match state.services.feed(&access, of, from, to).await {
        Ok(events) => events,
        Err(DomainError::NotFound(_)) => return not_found(),
        Err(err) => return internal(&err),
    };
    let rows: Vec<_> = events.iter().map(|e| e.item().clone()).collect();
    let body = copnet_infra::ics::render("copnet events", &rows, from, to);
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        body,
    )
        .into_response()
}
