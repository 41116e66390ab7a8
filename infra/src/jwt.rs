//! Bearer-token verification (and signing, for `copnet token` and the demo).
//!
//! Accepted: HS256 with the shared secret, and RS256 or ES256 with a configured PEM public key
//! of an external identity provider or with the key its JWKS URL publishes under the token's
//! `kid` (see [`crate::jwks`]). The algorithm comes from an allow-list, never from the token
//! alone: `alg: none`, an algorithm without a configured key, or one left out of the
//! allow-list is refused. `exp`, `iss`, `aud` and `sub` are required.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use copnet_domain::auth::{AuthError, Identity, TokenVerifier};
use jsonwebtoken::{
    Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode, errors::ErrorKind,
};
use serde::{Deserialize, Serialize};

use crate::{error::InfraError, jwks::Jwks};

/// Longest accepted `sub`.
const SUBJECT_MAX: usize = 255;
/// Longest kept `name` (longer names are cut).
const NAME_MAX: usize = 120;
/// Longest kept `email` (longer ones are dropped).
const EMAIL_MAX: usize = 320;
/// Clock skew tolerated on `exp` and `nbf`, in seconds (an open WebSocket closes at `exp`
/// itself).
const LEEWAY_SECS: u64 = 5;

/// What to verify tokens with.
#[derive(Debug, Clone)]
pub struct JwtSettings {
    /// Shared HS256 secret, if HS256 is accepted.
    pub secret: Option<Vec<u8>>,
    /// PEM public key (RSA or EC P-256) of an external identity provider.
    pub public_key_pem: Option<String>,
    /// Allow-list of algorithm names; empty means every algorithm that has a key.
    pub algorithms: Vec<String>,
    /// Required `iss`.
    pub issuer: String,
    /// Required `aud`.
    pub audience: String,
    /// An identity provider's JWKS URL, and the least time between two fetches of it.
    pub jwks: Option<(String, std::time::Duration)>,
    /// The claim naming the organizations (slugs, a string or a list) a person belongs to.
    pub organization_claim: Option<String>,
    /// The claim holding the display name (`name`).
    pub name_claim: String,
    /// The claim holding the e-mail address (`email`).
    pub email_claim: String,
}

/// Verifies bearer tokens against the configured keys.
pub struct JwtVerifier {
    keys: Vec<(Algorithm, DecodingKey)>,
    /// Algorithms a JWKS key may be used with (the allow-list's RS256 and ES256).
    jwks_algorithms: Vec<Algorithm>,
    jwks: Option<Jwks>,
    organization_claim: Option<String>,
    name_claim: String,
    email_claim: String,
    issuer: String,
    audience: String,
}

impl std::fmt::Debug for JwtVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let algorithms: Vec<Algorithm> = self.keys.iter().map(|(a, _)| *a).collect();
        f.debug_struct("JwtVerifier")
            .field("algorithms", &algorithms)
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .finish()
    }
}

#[derive(Debug, Deserialize)]
struct Claims {
    sub: String,
    /// Validated by `jsonwebtoken` (a number, or a string of one); read here for its time.
    exp: serde_json::Value,
    /// The other claims: the name, e-mail and organization claims, as configured.
    #[serde(flatten)]
    other: std::collections::HashMap<String, serde_json::Value>,
}

#[derive(Debug, Deserialize)]
struct RawHeader {
    alg: Option<String>,
}

fn claim_or(name: &str, default: &str) -> String {
    let name = name.trim();
    if name.is_empty() { default } else { name }.to_owned()
}

/// Most organizations taken from one token's claim.
const CLAIMED_ORGANIZATIONS_MAX: usize = 20;

/// The organization slugs of a claim: a string (comma- or space-separated) or a list.
fn claimed_organizations(value: Option<&serde_json::Value>) -> Vec<String> {
    let mut out: Vec<String> = match value {
        Some(serde_json::Value::String(s)) => s
            .split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(serde_json::Value::as_str)
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect(),
        _ => Vec::new(),
    };
    out.retain(|s| s.len() <= 64);
    out.sort();
    out.dedup();
    out.truncate(CLAIMED_ORGANIZATIONS_MAX);
    out
}

impl JwtVerifier {
    /// Builds the key set; fails on an unreadable key or an allow-list that names an
    /// unsupported algorithm or leaves nothing usable.
    pub fn new(settings: &JwtSettings) -> Result<Self, InfraError> {
        let mut keys = Vec::new();
        if let Some(secret) = &settings.secret {
            keys.push((Algorithm::HS256, DecodingKey::from_secret(secret)));
        }
        if let Some(pem) = &settings.public_key_pem {
            let pem = pem.as_bytes();
            if let Ok(key) = DecodingKey::from_rsa_pem(pem) {
                keys.push((Algorithm::RS256, key));
            } else if let Ok(key) = DecodingKey::from_ec_pem(pem) {
                keys.push((Algorithm::ES256, key));
            } else {
                return Err(InfraError::Config(
                    "COPNET_JWT_PUBLIC_KEY is neither an RSA nor an EC (P-256) public key in PEM"
                        .into(),
                ));
            }
        }
        let mut allowed = vec![Algorithm::HS256, Algorithm::RS256, Algorithm::ES256];
        if !settings.algorithms.is_empty() {
            allowed = Vec::new();
            for name in &settings.algorithms {
                let alg = match name.trim() {
                    "HS256" => Algorithm::HS256,
                    "RS256" => Algorithm::RS256,
                    "ES256" => Algorithm::ES256,
                    other => {
                        return Err(InfraError::Config(format!(
                            "COPNET_JWT_ALGORITHMS: unsupported algorithm {other:?} (HS256, RS256, ES256)"
                        )));
                    }
                };
                allowed.push(alg);
            }
            keys.retain(|(alg, _)| allowed.contains(alg));
        }
        let jwks_algorithms: Vec<Algorithm> = allowed
            .into_iter()
            .filter(|a| matches!(a, Algorithm::RS256 | Algorithm::ES256))
            .collect();
        let jwks = match &settings.jwks {
            Some(_) if jwks_algorithms.is_empty() => {
                return Err(InfraError::Config(
                    "COPNET_JWT_JWKS_URL is set but COPNET_JWT_ALGORITHMS allows neither RS256 nor ES256"
                        .into(),
                ));
            }
            Some((url, min_refresh)) => Some(Jwks::new(url, *min_refresh)?),
            None => None,
        };
        if keys.is_empty() && jwks.is_none() {
            return Err(InfraError::Config(
                "no usable JWT key: set COPNET_JWT_SECRET, COPNET_JWT_PUBLIC_KEY or COPNET_JWT_JWKS_URL"
                    .into(),
            ));
        }
        Ok(Self {
            keys,
            jwks_algorithms,
            jwks,
            organization_claim: settings
                .organization_claim
                .clone()
                .filter(|c| !c.trim().is_empty()),
            name_claim: claim_or(&settings.name_claim, "name"),
            email_claim: claim_or(&settings.email_claim, "email"),
            issuer: settings.issuer.clone(),
            audience: settings.audience.clone(),
        })
    }

    /// Fetches the identity provider's keys now, when a JWKS URL is configured.
    pub async fn prime(&self) {
        if let Some(jwks) = &self.jwks {
            jwks.prime().await;
        }
    }

    /// The key to check the token with: the JWKS key its `kid` names (when a JWKS URL is
    /// configured and the token names one), else the configured key of its algorithm.
    async fn key_for(&self, token: &str, alg: Algorithm) -> Result<DecodingKey, AuthError> {
        if let Some(jwks) = &self.jwks {
            let kid = jsonwebtoken::decode_header(token)
                .map_err(|_| AuthError::Malformed)?
                .kid;
            if let Some(kid) = kid {
                if !self.jwks_algorithms.contains(&alg) {
                    return Err(AuthError::AlgorithmNotAllowed);
                }
                let (key_alg, key) = jwks.key(&kid).await.ok_or(AuthError::BadSignature)?;
                // A key is used with its own algorithm only.
                if key_alg != alg {
                    return Err(AuthError::AlgorithmNotAllowed);
                }
                return Ok(key);
            }
        }
        self.keys
            .iter()
            .find(|(a, _)| *a == alg)
            .map(|(_, key)| key.clone())
            .ok_or(AuthError::AlgorithmNotAllowed)
    }

    fn header_algorithm(token: &str) -> Result<Algorithm, AuthError> {
        let header = token.split('.').next().ok_or(AuthError::Malformed)?;
        let bytes = URL_SAFE_NO_PAD
            .decode(header)
            .map_err(|_| AuthError::Malformed)?;
        let raw: RawHeader = serde_json::from_slice(&bytes).map_err(|_| AuthError::Malformed)?;
        match raw.alg.as_deref() {
            None => Err(AuthError::Malformed),
            Some(alg) if alg.eq_ignore_ascii_case("none") => Err(AuthError::AlgorithmNotAllowed),
            Some(_) => jsonwebtoken::decode_header(token)
                .map(|h| h.alg)
                .map_err(|_| AuthError::AlgorithmNotAllowed),
        }
    }
}

fn auth_error(kind: &ErrorKind) -> AuthError {
    match kind {
        ErrorKind::ExpiredSignature => AuthError::Expired,
        ErrorKind::ImmatureSignature => AuthError::NotYetValid,
        ErrorKind::InvalidIssuer => AuthError::WrongIssuer,
        ErrorKind::InvalidAudience => AuthError::WrongAudience,
        ErrorKind::InvalidSignature => AuthError::BadSignature,
        ErrorKind::InvalidAlgorithm | ErrorKind::MissingAlgorithm => AuthError::AlgorithmNotAllowed,
        ErrorKind::MissingRequiredClaim(_) => AuthError::MissingClaim,
        _ => AuthError::Malformed,
    }
}

fn clean_name(name: Option<String>, subject: &str) -> String {
    let name: String = name
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(NAME_MAX)
        .collect();
    let name = name.trim();
    if name.is_empty() {
        subject.chars().take(NAME_MAX).collect()
    } else {
        name.to_owned()
    }
}

#[async_trait::async_trait]
impl TokenVerifier for JwtVerifier {
    async fn verify(&self, token: &str) -> Result<Identity, AuthError> {
        let alg = Self::header_algorithm(token)?;
        let key = self.key_for(token, alg).await?;
        let mut validation = Validation::new(alg);
        validation.leeway = LEEWAY_SECS;
        validation.validate_nbf = true;
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "sub", "iss", "aud"]);
        let data = decode::<Claims>(token, &key, &validation).map_err(|e| auth_error(e.kind()))?;
        let subject = data.claims.sub;
        if subject.trim().is_empty() || subject.chars().count() > SUBJECT_MAX {
            return Err(AuthError::MissingClaim);
        }
        let text = |claim: &str| {
            data.claims
                .other
                .get(claim)
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
        };
        let (name, email) = (text(&self.name_claim), text(&self.email_claim));
        let email = email.filter(|e| {
            e.len() <= EMAIL_MAX && e.contains('@') && !e.chars().any(char::is_control)
        });
        let exp = &data.claims.exp;
        let seconds = exp
            .as_f64()
            .or_else(|| exp.as_str().and_then(|s| s.trim().parse::<f64>().ok()))
            .ok_or(AuthError::Malformed)?;
        let expires_at =
            chrono::DateTime::from_timestamp(seconds as i64, 0).ok_or(AuthError::Malformed)?;
        let organizations = match &self.organization_claim {
            Some(claim) => claimed_organizations(data.claims.other.get(claim)),
            None => Vec::new(),
        };
        Ok(Identity {
            name: Some(clean_name(name, &subject)),
            subject,
            email,
            expires_at,
            organizations,
        })
    }
}

#[derive(Debug, Serialize)]
struct IssuedClaims<'a> {
    sub: &'a str,
    name: &'a str,
    iss: &'a str,
    aud: &'a str,
    iat: i64,
    exp: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
}

/// Issues HS256 tokens with the shared secret.
pub struct JwtSigner {
    key: EncodingKey,
    issuer: String,
    audience: String,
}

impl std::fmt::Debug for JwtSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtSigner")
            .field("issuer", &self.issuer)
            .finish()
    }
}

impl JwtSigner {
    /// A signer for the shared secret.
    pub fn new(secret: &[u8], issuer: &str, audience: &str) -> Self {
        Self {
            key: EncodingKey::from_secret(secret),
            issuer: issuer.to_owned(),
            audience: audience.to_owned(),
        }
    }

    /// A token for `subject`, valid for `ttl`.
    pub fn sign(
        &self,
        subject: &str,
        name: &str,
        email: Option<&str>,
        ttl: std::time::Duration,
    ) -> Result<String, InfraError> {
        let now = chrono::Utc::now().timestamp();
        let ttl = i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX / 2);
        let claims = IssuedClaims {
            sub: subject,
            name,
            iss: &self.issuer,
            aud: &self.audience,
            iat: now,
            exp: now.saturating_add(ttl),
            email,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.key)
            .map_err(|e| InfraError::Config(format!("cannot sign token: {e}")))
    }
}
