//! Authentication at the edge: `Authorization: Bearer <JWT>` becomes an [`Actor`]; no header
//! means anonymous; a bad token is HTTP 401 with `extensions.code = "UNAUTHENTICATED"`. An
//! unknown subject is provisioned as a person on first use.

use axum::{
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
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

/// A verified caller.
#[derive(Debug, Clone, Copy)]
pub struct Caller {
    /// Who.
    pub actor: Actor,
    /// When the credential expires (a JWT's `exp`); API keys last until revoked.
    pub expires_at: Option<DateTime<Utc>>,
}

impl Caller {
    const ANONYMOUS: Caller = Caller {
        actor: Actor::Anonymous,
        expires_at: None,
    };
}

/// Resolves the caller of a request.
pub async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Caller, Rejection> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(Caller::ANONYMOUS);
    };
    let value = value
        .to_str()
        .map_err(|_| Rejection::Unauthenticated(AuthError::BadScheme))?;
    authenticate_bearer(state, value).await
}

/// Resolves the caller from an `Authorization` value (`Bearer <JWT or API key>`).
pub async fn authenticate_bearer(state: &AppState, value: &str) -> Result<Caller, Rejection> {
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(Rejection::Unauthenticated(AuthError::BadScheme))?;
    if let Some((account, secret)) = state.api_keys.parse(token) {
        let actor = service_account(state, account, &secret).await?;
        return Ok(Caller {
            actor,
            expires_at: None,
        });
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
    Ok(Caller {
        actor: Actor::Person {
            id: person.id,
            platform_admin: state.platform_admins.contains(&identity.subject),
        },
        expires_at: Some(identity.expires_at),
    })
}

/// Whether a service account still authenticates (exists and is not revoked).
pub async fn still_active(state: &AppState, id: ServiceAccountId) -> Result<bool, Rejection> {
    let found = state
        .services
        .service_account_credentials(id)
        .await
        .map_err(|e| Rejection::Internal(e.into()))?;
    Ok(found.is_some_and(|(account, _)| account.revoked_at.is_none()))
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
