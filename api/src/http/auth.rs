//! Authentication at the edge: `Authorization: Bearer <JWT>` becomes an [`Actor`]; no header
//! means anonymous; a bad token is HTTP 401 with `extensions.code = "UNAUTHENTICATED"`. An
//! unknown subject is provisioned as a person on first use.

use axum::{
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use copnet_domain::{Actor, auth::AuthError, ids::ServiceAccountId};

use crate::{
    app::AppState,
    error::{ApiError, Code},
};

/// Why a request was refused before reaching GraphQL.
#[derive(Debug)]
pub enum Rejection {
    /// The credential is bad.
    Unauthenticated(AuthError),
    /// Provisioning failed.
    Internal(ApiError),
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        match self {
            Rejection::Unauthenticated(reason) => {
                let mut response = super::error_response(
                    StatusCode::UNAUTHORIZED,
                    Code::Unauthenticated,
                    reason.to_string(),
                );
                let challenge =
                    format!("Bearer error=\"invalid_token\", error_description=\"{reason}\"");
                if let Ok(value) = HeaderValue::from_str(&challenge) {
                    response
                        .headers_mut()
                        .insert(header::WWW_AUTHENTICATE, value);
                }
                response
            }
            Rejection::Internal(err) => {
                super::error_response(StatusCode::INTERNAL_SERVER_ERROR, err.code, err.message)
            }
        }
    }
}

/// Resolves the caller of a request.
pub async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Actor, Rejection> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(Actor::Anonymous);
    };
    let value = value
        .to_str()
        .map_err(|_| Rejection::Unauthenticated(AuthError::BadScheme))?;
    authenticate_bearer(state, value).await
}

/// Resolves the caller from an `Authorization` value (`Bearer <JWT or API key>`).
pub async fn authenticate_bearer(state: &AppState, value: &str) -> Result<Actor, Rejection> {
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(Rejection::Unauthenticated(AuthError::BadScheme))?;
    if let Some((account, secret)) = state.api_keys.parse(token) {
        return service_account(state, account, &secret).await;
    }
    let identity = state
        .verifier
        .verify(token)
        .map_err(Rejection::Unauthenticated)?;
    let name = identity.name.as_deref().unwrap_or(&identity.subject);
    let person = state
        .services
        .provision_person(&identity.subject, name, identity.email.as_deref())
        .await
        .map_err(|e| Rejection::Internal(e.into()))?;
    Ok(Actor::Person {
        id: person.id,
        platform_admin: state.platform_admins.contains(&identity.subject),
    })
}

/// A service account's API key: it must name an existing, unrevoked account and match its
/// stored hash.
async fn service_account(
    state: &AppState,
    id: ServiceAccountId,
    secret: &str,
) -> Result<Actor, Rejection> {
    let found = state
        .services
        .service_account_credentials(id)
        .await
        .map_err(|e| Rejection::Internal(e.into()))?;
    match found {
        Some((account, hash))
            if account.revoked_at.is_none() && state.api_keys.matches(secret, &hash) =>
        {
            Ok(Actor::ServiceAccount { id: account.id })
        }
        _ => Err(Rejection::Unauthenticated(AuthError::BadApiKey)),
    }
}
