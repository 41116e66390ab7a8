//! Service-account API keys (`cpk_<key id>_<secret>`) and calendar feed tokens
//! (`cpf_<token id>_<secret>`), where the secret is 32 random bytes
//! (base64url). Only the SHA-256 of the secret is stored; it is compared in constant time.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use copnet_domain::{
    DomainError, DomainResult,
    auth::ApiKeys,
    ids::{CalendarTokenId, ServiceAccountKeyId},
};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use uuid::Uuid;

const PREFIX: &str = "cpk_";
/// Calendar feed tokens: `cpf_<token id>_<secret>`.
const FEED_PREFIX: &str = "cpf_";

fn issue_with(prefix: &str, id: Uuid) -> DomainResult<(String, String)> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| DomainError::internal(std::io::Error::other(e.to_string())))?;
    let secret = URL_SAFE_NO_PAD.encode(bytes);
    Ok((format!("{prefix}{}_{secret}", id.simple()), hash(&secret)))
}

fn parse_with(prefix: &str, token: &str) -> Option<(Uuid, String)> {
    let rest = token.strip_prefix(prefix)?;
    let (id, secret) = rest.split_once('_')?;
    let id = Uuid::try_parse(id).ok()?;
    (!secret.is_empty() && secret.len() <= 128).then(|| (id, secret.to_owned()))
}

/// The API-key scheme.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiKeyScheme;

fn hash(secret: &str) -> String {
    format!("{:x}", Sha256::digest(secret.as_bytes()))
}

impl ApiKeys for ApiKeyScheme {
    fn issue(&self, key: ServiceAccountKeyId) -> DomainResult<(String, String)> {
        issue_with(PREFIX, key.uuid())
    }

    fn parse(&self, token: &str) -> Option<(ServiceAccountKeyId, String)> {
        parse_with(PREFIX, token).map(|(id, secret)| (id.into(), secret))
    }

    fn issue_feed(&self, token: CalendarTokenId) -> DomainResult<(String, String)> {
        issue_with(FEED_PREFIX, token.uuid())
    }

    fn parse_feed(&self, token: &str) -> Option<(CalendarTokenId, String)> {
        parse_with(FEED_PREFIX, token).map(|(id, secret)| (id.into(), secret))
    }

    fn matches(&self, secret: &str, stored: &str) -> bool {
        hash(secret).as_bytes().ct_eq(stored.as_bytes()).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_key_parses_back_and_matches_only_its_hash() {
        let scheme = ApiKeyScheme;
        let id = ServiceAccountKeyId::generate();
        let (token, stored) = scheme.issue(id).unwrap();
        let (parsed, secret) = scheme.parse(&token).unwrap();
        assert_eq!(parsed, id);
        assert!(scheme.matches(&secret, &stored));
        assert!(!scheme.matches(&format!("{secret}x"), &stored));
        assert!(scheme.parse("eyJhbGciOi.x.y").is_none());
        assert_ne!(scheme.issue(id).unwrap().0, token);
    }
}
