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
    /// When the token expires (`exp`): an open WebSocket authenticated with it closes then.
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// Slugs of the organizations the identity provider says the person belongs to (the
    /// configured organization claim); each known one becomes an `ORG_MEMBER` affiliation on
    /// sign-in. Empty when no claim is configured.
    pub organizations: Vec<String>,
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
    /// A service-account API key that is unknown, revoked, expired or wrong.
    #[error("invalid, expired or revoked API key")]
    BadApiKey,
    /// The `Authorization` header is not `Bearer <token>`.
    #[error("authorization header must be 'Bearer <token>'")]
    BadScheme,
}

/// Verifies bearer tokens.
#[async_trait::async_trait]
pub trait TokenVerifier: Send + Sync {
    /// Checks signature, algorithm, expiry, issuer and audience (fetching an identity
    /// provider's new signing key when the token names one not yet known).
    async fn verify(&self, token: &str) -> Result<Identity, AuthError>;
}

/// Issues and checks service-account API keys. Only a hash of the secret is stored.
pub trait ApiKeys: Send + Sync {
    /// A new service-account key: the token to hand out once, and the hash to store.
    fn issue(&self, key: crate::ids::ServiceAccountKeyId) -> crate::DomainResult<(String, String)>;
    /// Splits a presented token into the key it names and its secret; `None` when the token
    /// is not an API key.
    fn parse(&self, token: &str) -> Option<(crate::ids::ServiceAccountKeyId, String)>;
    /// Whether the secret matches the stored hash (in constant time).
    fn matches(&self, secret: &str, hash: &str) -> bool;
    /// A new calendar feed token: the token to hand out once, and the hash to store.
    fn issue_feed(
        &self,
        token: crate::ids::CalendarTokenId,
    ) -> crate::DomainResult<(String, String)>;
    /// Splits a presented feed token into its id and secret; `None` when it is not one.
    fn parse_feed(&self, token: &str) -> Option<(crate::ids::CalendarTokenId, String)>;
}
