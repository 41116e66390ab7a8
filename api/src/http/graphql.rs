//! The GraphQL-over-HTTP handler and GraphiQL.

use async_graphql::http::GraphiQLSource;
use async_graphql_axum::GraphQLRequest;
use axum::{
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Response},
};
use tracing::Instrument;

use super::auth::authenticate;
use crate::{app::AppState, error::Code, graphql::RequestContext};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// `GET /graphql`: the GraphiQL IDE.
pub async fn graphiql() -> Html<String> {
    Html(GraphiQLSource::build().endpoint("/graphql").finish())
}

/// `POST /graphql`.
pub async fn execute(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: GraphQLRequest,
) -> Response {
    let actor = match authenticate(&state, &headers).await {
        Ok(actor) => actor,
        Err(rejection) => return rejection.into_response(),
    };
    let request = request.into_inner();
    let span = tracing::info_span!(
        "graphql",
        otel.name = %format!("graphql {}", request.operation_name.as_deref().unwrap_or("anonymous")),
        operation = request.operation_name.as_deref().unwrap_or(""),
        person = actor.person_id().map(|p| p.to_string()).unwrap_or_default(),
    );
    let request = request.data(std::sync::Arc::new(RequestContext::new(
        actor,
        state.services.clone(),
    )));
    let mut response = state.schema.execute(request).instrument(span).await;
    // Parse and validation errors come from async-graphql without a code: they are bad input.
    for error in &mut response.errors {
        let extensions = error.extensions.get_or_insert_with(Default::default);
        if extensions.get("code").is_none() {
            extensions.set("code", Code::BadUserInput.as_str());
        }
    }

    // GraphQL over HTTP: `application/graphql-response+json` when asked for, with 400 for
    // requests that failed before execution; `application/json` and 200 otherwise.
    let wants_graphql_response = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains(GRAPHQL_RESPONSE));
    let request_error = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    let (status, content_type) = if wants_graphql_response {
        let status = if request_error {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        };
        (status, GRAPHQL_RESPONSE)
    } else {
        (StatusCode::OK, "application/json")
    };
    match serde_json::to_vec(&response) {
        Ok(body) => {
            let mut out = (status, body).into_response();
            out.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            out
        }
        Err(err) => {
            tracing::error!(error = %err, "cannot serialize response");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
