//! Authentication at the edge: `Authorization: Bearer <JWT>` becomes an [`Actor`]; no header
//! means anonymous; a bad token is HTTP 401 with `extensions.code = "UNAUTHENTICATED"`. An
//! unknown subject is provisioned as a person on first use.

use axum::{
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use copnet_domain::{Actor, auth::AuthError, ids::ServiceAccountKeyId};

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
                let status = if err.code == Code::Unavailable {
                    StatusCode::SERVICE_UNAVAILABLE
                } else {
                    StatusCode::INTERNAL_SERVER_ERROR
                };
                super::error_response(status, err.code, err.message)
            }
        }
    }
}

/// A verified caller.
#[derive(Debug, Clone, Copy)]
pub struct Caller {
    /// Who.
    pub actor: Actor,
    /// When the credential expires (a JWT's `exp`, an API key's expiry); `None` lasts until
    /// revoked.
    pub expires_at: Option<DateTime<Utc>>,
    /// The API key presented, for a service account.
    pub key: Option<ServiceAccountKeyId>,
}

impl Caller {
    /// No credential.
    pub const ANONYMOUS: Caller = Caller {
        actor: Actor::Anonymous,
        expires_at: None,
        key: None,
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
    if let Some((key, secret)) = state.api_keys.parse(token) {
        return api_key(state, key, &secret).await;
    }
    let identity = state
        .verifier
        .verify(token)
        .await
        .map_err(Rejection::Unauthenticated)?;
    let name = identity.name.as_deref().unwrap_or(&identity.subject);
    let person = state
        .services
        .provision_person(&identity.subject, name, identity.email.as_deref())
        .await
        .map_err(|e| Rejection::Internal(e.into()))?;
    if !identity.organizations.is_empty() {
        sync_claimed(state, person.id, identity.organizations).await?;
    }
    Ok(Caller {
        actor: Actor::Person {
            id: person.id,
            platform_admin: state.platform_admins.contains(&identity.subject),
        },
        expires_at: Some(identity.expires_at),
        key: None,
    })
}

/// Affiliates the person with the organizations their token claims, once per claim on this
/// replica.
async fn sync_claimed(
    state: &AppState,
    person: copnet_domain::ids::PersonId,
    organizations: Vec<String>,
) -> Result<(), Rejection> {
    let key = (person, organizations);
    let synced = state
        .synced_claims
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&key)
        .is_some();
    if synced {
        return Ok(());
    }
    state
        .services
        .affiliate_claimed(person, &key.1)
        .await
        .map_err(|e| Rejection::Internal(e.into()))?;
    state
        .synced_claims
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .put(key, ());
    Ok(())
}

/// The key's expiry when it still authenticates (`Some(None)`: it does not expire), `None`
/// when it no longer does (revoked, expired, gone).
pub async fn key_deadline(
    state: &AppState,
    key: ServiceAccountKeyId,
) -> Result<Option<Option<DateTime<Utc>>>, Rejection> {
    let found = state
        .services
        .active_api_key(key)
        .await
        .map_err(|e| Rejection::Internal(e.into()))?;
    Ok(found.map(|k| k.expires_at))
}

/// A service account's API key: it must name an unexpired key of an unrevoked account and
/// match its stored hash.
async fn api_key(
    state: &AppState,
    key: ServiceAccountKeyId,
    secret: &str,
) -> Result<Caller, Rejection> {
    let found = state
        .services
        .authenticate_api_key(state.api_keys.as_ref(), key, secret)
        .await
        .map_err(|e| Rejection::Internal(e.into()))?;
    let (account, key) = found.ok_or(Rejection::Unauthenticated(AuthError::BadApiKey))?;
    Ok(Caller {
        actor: Actor::ServiceAccount { id: account.id },
        expires_at: key.expires_at,
        key: Some(key.id),
    })
}
