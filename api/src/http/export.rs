//! `GET /export/indicators/{id}.csv`: an indicator's series as CSV for partner reporting,
//! with the same authorization as `Indicator.series` and the same `?token=` as calendar
//! feeds (a spreadsheet cannot send headers). `from` and `to` (RFC 3339) bound the window as
//! in the API.

use axum::{
    extract::{Path, Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use copnet_domain::DomainError;
use serde::Deserialize;

use super::{
    calendar::{actor, internal},
    error_response,
};
use crate::{
    app::AppState,
    error::Code,
    graphql::{
        ids::{Kind, decode_as},
        types::indicator::window,
    },
};

/// The export's query string.
#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    token: Option<String>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
}

fn not_found() -> Response {
    error_response(StatusCode::NOT_FOUND, Code::NotFound, "indicator not found")
}

/// `GET /export/indicators/{id}.csv`.
pub async fn indicator(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(query): Query<ExportQuery>,
) -> Response {
    let Some(raw) = file.strip_suffix(".csv") else {
        return not_found();
    };
    let Ok(id) = decode_as::<uuid::Uuid>("id", Kind::Indicator, &raw.to_owned().into()) else {
        return not_found();
    };
    let actor = match actor(&state, query.token.as_deref()).await {
        Ok(actor) => actor,
        Err(refused) => return refused,
    };
    let access = match state.services.access_of(actor).await {
        Ok(access) => access,
        Err(err) => return internal(&err),
    };
    let found = match state.services.indicator(&access, id.into()).await {
        Ok(found) => found,
        Err(DomainError::NotFound(_)) => return not_found(),
        Err(err) => return internal(&err),
    };
    let Ok((from, to)) = window(found.period, query.from, query.to) else {
        return error_response(
            StatusCode::BAD_REQUEST,
            Code::BadUserInput,
            "to must be after from",
        );
    };
    let points = match state.services.series(&access, &found, from, to).await {
        Ok(points) => points,
        Err(err) => return internal(&err),
    };
    match copnet_infra::indicator_csv::render(&found, &points) {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (header::CACHE_CONTROL, "private, max-age=300"),
            ],
            body,
        )
            .into_response(),
        Err(err) => internal(&err),
    }
}
