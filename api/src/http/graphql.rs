//! GraphQL over HTTP, and GraphiQL.
//!
//! * `POST /graphql` takes `Content-Type: application/json` only (415 otherwise). Browsers
//!   send `text/plain`, `multipart/form-data` and `application/x-www-form-urlencoded` across
//!   origins without a preflight; refusing them keeps a third-party page from running a
//!   mutation with a visitor's credentials (as Apollo Server's CSRF prevention does).
//! * `GET /graphql?query=...&variables=...&operationName=...` runs queries (cacheable by
//!   CDNs); a mutation or subscription over GET is 405 with `Allow: POST`. A browser asking
//!   for `text/html` without a `query` parameter gets GraphiQL.
//! * The response is `application/graphql-response+json` when the client accepts it (with
//!   400 for requests that failed before execution), `application/json` and 200 otherwise.

use std::sync::Arc;

use async_graphql::{http::GraphiQLSource, parser::types::OperationType};
use axum::{
    body::Bytes,
    extract::{Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, Uri, header},
    response::{Html, IntoResponse, Response},
};
use serde::Deserialize;
use tracing::Instrument;

use copnet_domain::{
    cache::{CacheScope, Fill, Lookup},
    rate::Quota,
};

use super::{
    auth::authenticate,
    client_ip::{Peer, client_ip},
    error_response,
};
use crate::{
    app::AppState,
    error::Code,
    graphql::{
        errors::code_errors, operation::operation_type, persisted::Refusal, rate::cost_extension,
    },
};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// The parameters of a GET request.
#[derive(Debug, Deserialize)]
struct GetParams {
    query: Option<String>,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
}

fn accepts(headers: &HeaderMap, media_type: &str) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            item.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case(media_type))
        })
}

/// The media type of the request body, lower-cased, without parameters.
fn content_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(value.split(';').next()?.trim().to_ascii_lowercase())
}

fn bad_request(message: impl Into<String>) -> Response {
    error_response(StatusCode::BAD_REQUEST, Code::BadUserInput, message)
}

/// `GET /graphql`.
pub async fn get(
    State(state): State<AppState>,
    peer: Peer,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let params = match Query::<GetParams>::try_from_uri(&uri) {
        Ok(Query(params)) => params,
        Err(err) => return bad_request(format!("bad query string: {}", err.body_text())),
    };
    let Some(query) = params
        .query
        .or_else(|| params.extensions.is_some().then(String::new))
    else {
        if accepts(&headers, "text/html") {
            return Html(GraphiQLSource::build().endpoint("/graphql").finish()).into_response();
        }
        return bad_request("a GET request needs a `query` parameter");
    };
    let mut request = async_graphql::Request::new(query);
    request.operation_name = params.operation_name;
    match params
        .variables
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
    {
        Ok(variables) => request.variables = variables.unwrap_or_default(),
        Err(err) => return bad_request(format!("variables: not a JSON object: {err}")),
    }
    match params
        .extensions
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
    {
        Ok(extensions) => request.extensions = extensions.unwrap_or_default(),
        Err(err) => return bad_request(format!("extensions: not a JSON object: {err}")),
    }
    if let Err(refusal) = state.persisted.prepare(&mut request).await {
        return refused(refusal);
    }
    // Find out what the request does before running it: only queries run over GET. The
    // document's size is checked first, and the parsed document is kept for execution.
    if let Err(err) = state.limits.check_source(&request.query) {
        return respond(
            &headers,
            async_graphql::Response::from_errors(vec![err]),
            false,
        );
    }
    let name = request.operation_name.clone();
    let operation = match request.parsed_query() {
        Ok(document) => operation_type(document, name.as_deref()),
        Err(err) => {
            return respond(
                &headers,
                async_graphql::Response::from_errors(vec![err]),
                false,
            );
        }
    };
    if matches!(
        operation,
        Some(OperationType::Mutation | OperationType::Subscription)
    ) {
        let mut response = error_response(
            StatusCode::METHOD_NOT_ALLOWED,
            Code::BadUserInput,
            "only queries run over GET: send mutations with POST (and subscriptions over the WebSocket at /graphql/ws)",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    execute(&state, &headers, peer, request, true).await
}

/// `POST /graphql`.
pub async fn post(
    State(state): State<AppState>,
    peer: Peer,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if content_type(&headers).as_deref() != Some("application/json") {
        let mut response = error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Code::BadUserInput,
            "send the request as `Content-Type: application/json`",
        );
        response
            .headers_mut()
            .insert("accept-post", HeaderValue::from_static("application/json"));
        return response;
    }
    if body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return bad_request("batched requests are not supported: send one operation per request");
    }
    let mut request: async_graphql::Request = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(err) => {
            return bad_request(format!(
                "the body is not a GraphQL request (a JSON object with `query`, and optionally `variables` and `operationName`): {err}"
            ));
        }
    };
    if let Err(refusal) = state.persisted.prepare(&mut request).await {
        return refused(refusal);
    }
    execute(&state, &headers, peer, request, false).await
}

/// A persisted-query refusal: 200 for the APQ protocol's signals (clients retry with the
/// text), 400 otherwise.
fn refused(refusal: Refusal) -> Response {
    let status = if refusal.ok_status {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    error_response(status, refusal.code, refusal.message)
}

/// Authenticates, runs the request, and writes the response.
async fn execute(
    state: &AppState,
    headers: &HeaderMap,
    peer: Peer,
    request: async_graphql::Request,
    over_get: bool,
) -> Response {
    let client = client_ip(state.rate.client_ip_header.as_ref(), headers, peer);
    let actor = match authenticate(state, headers).await {
        Ok(caller) => caller.actor,
        Err(rejection) => return rejection.into_response(),
    };
    let span = tracing::info_span!(
        "graphql",
        otel.name = %format!("graphql {}", request.operation_name.as_deref().unwrap_or("anonymous")),
        operation = request.operation_name.as_deref().unwrap_or(""),
        person = actor.person_id().map(|p| p.to_string()).unwrap_or_default(),
    );
    let anonymous = matches!(actor, copnet_domain::Actor::Anonymous);
    // Anonymous answers are the same for everyone: served from the shared cache when it
    // holds this request's (every mutation drops them all, see `graphql::invalidation`).
    let fill = if anonymous {
        match cached(state, &request).await {
            Ok(body) => return answer_cached(state, headers, client, body, over_get).await,
            Err(fill) => fill,
        }
    } else {
        None
    };
    let context = Arc::new(state.request_context(actor, super::request_id(headers), client));
    let batches = context.batches().clone();
    let request = request.data(Arc::clone(&context));
    let mut response = batches
        .drive(state.schema.execute(request))
        .instrument(span)
        .await;
    if let Some(fill) = fill
        && response.errors.is_empty()
        && let Ok(body) = serde_json::to_vec(&response)
    {
        state.services.cache().fill(fill, body).await;
    }
    let quota = context.drawn().get();
    if let Some(quota) = &quota
        && let Ok(value) = async_graphql::Value::from_json(cost_extension(quota))
    {
        response.extensions.insert("cost".to_owned(), value);
    }
    let mut out = respond(headers, response, over_get);
    if let Some(quota) = quota {
        limited(&mut out, &quota);
    }
    if over_get && !matches!(actor, copnet_domain::Actor::Anonymous) {
        out.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    out
}

/// A cached answer: it costs one point, and says so in `extensions.cost`.
async fn answer_cached(
    state: &AppState,
    headers: &HeaderMap,
    client: Option<std::net::IpAddr>,
    body: Vec<u8>,
    over_get: bool,
) -> Response {
    let Some(budget) = state.rate.budget(copnet_domain::Actor::Anonymous, client) else {
        return respond_body(headers, StatusCode::OK, body, over_get);
    };
    let quota = budget.limiter.take(&budget.key, budget.limit, 1).await;
    let mut value: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(_) => return respond_body(headers, StatusCode::OK, body, over_get),
    };
    if !quota.allowed {
        value = serde_json::json!({"data": null, "errors": [{
            "message": format!("rate limit exceeded: retry in {} s", quota.retry_after_secs),
            "extensions": {"code": Code::RateLimited.as_str(), "cost": cost_extension(&quota)},
        }]});
    }
    value["extensions"]["cost"] = cost_extension(&quota);
    let body = serde_json::to_vec(&value).unwrap_or(body);
    let mut out = respond_body(headers, StatusCode::OK, body, over_get);
    limited(&mut out, &quota);
    out
}

/// An operation refused for its caller's spent budget is HTTP 429 with `Retry-After`.
fn limited(out: &mut Response, quota: &Quota) {
    if quota.allowed || quota.retry_after_secs == 0 {
        return;
    }
    *out.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    out.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from(quota.retry_after_secs),
    );
}

/// The cached answer to an anonymous request, or where to store it once computed.
async fn cached(
    state: &AppState,
    request: &async_graphql::Request,
) -> Result<Vec<u8>, Option<Fill>> {
    let key = serde_json::to_string(&(
        &request.query,
        &request.operation_name,
        &request.variables,
        &request.extensions,
    ))
    .map_err(|_| None)?;
    match state
        .services
        .cache()
        .lookup(CacheScope::Anonymous, &key)
        .await
    {
        Lookup::Hit(body) => Ok(body),
        Lookup::Miss(fill) => Err(Some(fill)),
        Lookup::Bypass => Err(None),
    }
}

/// Writes a serialized GraphQL response without errors.
fn respond_body(
    headers: &HeaderMap,
    status: StatusCode,
    body: Vec<u8>,
    over_get: bool,
) -> Response {
    let content_type = if accepts(headers, GRAPHQL_RESPONSE) {
        GRAPHQL_RESPONSE
    } else {
        "application/json"
    };
    let mut out = (status, body).into_response();
    let out_headers = out.headers_mut();
    out_headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if over_get {
        // Shared caches must keep answers apart by credential and media type.
        out_headers.insert(
            header::VARY,
            HeaderValue::from_static("Accept, Authorization"),
        );
    }
    out
}

/// Serializes a GraphQL response, negotiating its media type and status.
fn respond(headers: &HeaderMap, mut response: async_graphql::Response, over_get: bool) -> Response {
    // Responses from the schema are coded already; errors found here before it are not.
    code_errors(&mut response.errors);
    let wants_graphql_response = accepts(headers, GRAPHQL_RESPONSE);
    let request_error = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    let unavailable = response.errors.iter().any(|e| {
        e.extensions
            .as_ref()
            .and_then(|x| x.get("code"))
            .is_some_and(|c| *c == async_graphql::Value::from(Code::Unavailable.as_str()))
    });
    let (status, content_type) = if unavailable {
        // The database is out of reach: a status load balancers and clients retry on.
        (
            StatusCode::SERVICE_UNAVAILABLE,
            if wants_graphql_response {
                GRAPHQL_RESPONSE
            } else {
                "application/json"
            },
        )
    } else if wants_graphql_response {
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
            let mut out = respond_body(headers, status, body, over_get);
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
