//! Authentication as the domain sees it: a verified identity, or why a token was refused.
//! Verifying JWTs is `infra`'s job; the API edge turns a refusal into HTTP 401.

/// Who a valid token says the caller is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The identity provider's subject (`sub`).
    pub subject: String,
    /// Display name (`name` claim), used when the person is first provisioned.
    pub name: Option<String>,
    /// E-mail address (`email` claim).
    pub email: Option<String>,
}

/// Why a token was refused. Each message is safe to show to the caller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// Not a JWT, or a header or claim that cannot be read.
    #[error("malformed token")]
    Malformed,
    /// Signed with an algorithm this server does not accept (including `none`).
    #[error("token algorithm is not allowed")]
    AlgorithmNotAllowed,
    /// The signature does not match.
    #[error("invalid token signature")]
    BadSignature,
    /// `exp` is in the past (or missing).
    #[error("token expired")]
    Expired,
    /// `nbf` is in the future.
    #[error("token not yet valid")]
    NotYetValid,
    /// `iss` is not the configured issuer.
    #[error("wrong token issuer")]
    WrongIssuer,
    /// `aud` does not name this API.
    #[error("wrong token audience")]
    WrongAudience,
    /// A required claim (`sub`, `exp`, `iss`, `aud`) is missing or empty.
    #[error("token is missing a required claim")]
    MissingClaim,
    /// The `Authorization` header is not `Bearer <token>`.
    #[error("authorization header must be 'Bearer <token>'")]
    BadScheme,
}

/// Verifies bearer tokens.
pub trait TokenVerifier: Send + Sync {
    /// Checks signature, algorithm, expiry, issuer and audience.
    fn verify(&self, token: &str) -> Result<Identity, AuthError>;
}
