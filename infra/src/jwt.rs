//! Bearer-token verification (and signing, for `copnet token` and the demo).
//!
//! Accepted: HS256 with the shared secret, and RS256 or ES256 with a configured PEM public key
//! of an external identity provider. The algorithm comes from an allow-list, never from the
//! token alone: `alg: none`, an algorithm without a configured key, or one left out of the
//! allow-list is refused. `exp`, `iss`, `aud` and `sub` are required.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use copnet_domain::auth::{AuthError, Identity, TokenVerifier};
use jsonwebtoken::{
    Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode, errors::ErrorKind,
};
use serde::{Deserialize, Serialize};

use crate::error::InfraError;

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
}

/// Verifies bearer tokens against the configured keys.
pub struct JwtVerifier {
    keys: Vec<(Algorithm, DecodingKey)>,
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
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    email: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawHeader {
    alg: Option<String>,
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
        if !settings.algorithms.is_empty() {
            let mut allowed = Vec::new();
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
        if keys.is_empty() {
            return Err(InfraError::Config(
                "no usable JWT key: set COPNET_JWT_SECRET or COPNET_JWT_PUBLIC_KEY".into(),
            ));
        }
        Ok(Self {
            keys,
            issuer: settings.issuer.clone(),
            audience: settings.audience.clone(),
        })
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

impl TokenVerifier for JwtVerifier {
    fn verify(&self, token: &str) -> Result<Identity, AuthError> {
        let alg = Self::header_algorithm(token)?;
        let (_, key) = self
            .keys
            .iter()
            .find(|(a, _)| *a == alg)
            .ok_or(AuthError::AlgorithmNotAllowed)?;
        let mut validation = Validation::new(alg);
        validation.leeway = LEEWAY_SECS;
        validation.validate_nbf = true;
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "sub", "iss", "aud"]);
        let data = decode::<Claims>(token, key, &validation).map_err(|e| auth_error(e.kind()))?;
        let subject = data.claims.sub;
        if subject.trim().is_empty() || subject.chars().count() > SUBJECT_MAX {
            return Err(AuthError::MissingClaim);
        }
        let email = data.claims.email.filter(|e| {
            e.len() <= EMAIL_MAX && e.contains('@') && !e.chars().any(char::is_control)
        });
        let exp = &data.claims.exp;
        let seconds = exp
            .as_f64()
            .or_else(|| exp.as_str().and_then(|s| s.trim().parse::<f64>().ok()))
            .ok_or(AuthError::Malformed)?;
        let expires_at =
            chrono::DateTime::from_timestamp(seconds as i64, 0).ok_or(AuthError::Malformed)?;
        Ok(Identity {
            name: Some(clean_name(data.claims.name, &subject)),
            subject,
            email,
            expires_at,
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
