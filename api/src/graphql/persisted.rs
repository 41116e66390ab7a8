//! Persisted queries (`COPNET_PERSISTED_QUERIES`): Apollo's automatic persisted queries
//! (`apq`, the default) and a strict safelist (`safelist`).
//!
//! A client sends `extensions.persistedQuery = {"version": 1, "sha256Hash": "<hex>"}`, with
//! or without the query text. With `apq`, a hash alone runs the document remembered under it
//! (or answers `PERSISTED_QUERY_NOT_FOUND`: send it again with the text, which is checked
//! against the hash and remembered for every replica). With `safelist`, only documents
//! registered with `copnet persisted add` run, sent by hash or as their exact text; anything
//! else is `PERSISTED_QUERY_NOT_IN_LIST`. With `off`, the extension is refused when the text
//! is missing (`PERSISTED_QUERY_NOT_SUPPORTED`) and ignored otherwise.

use std::{num::NonZeroUsize, sync::Mutex};

use copnet_domain::repo::{PersistedDocument, PersistedQueryRepo};
use lru::LruCache;
use sha2::{Digest, Sha256};
use std::sync::Arc;

use crate::error::Code;

/// How persisted queries are handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Documents always come as text.
    Off,
    /// Automatic persisted queries.
    Apq,
    /// Only registered documents run.
    Safelist,
}

impl Mode {
    /// Reads the setting.
    pub fn parse(value: &str) -> Option<Mode> {
        match value.trim().to_ascii_lowercase().as_str() {
            "off" => Some(Mode::Off),
            "apq" => Some(Mode::Apq),
            "safelist" => Some(Mode::Safelist),
            _ => None,
        }
    }
}

/// Why a request is refused before it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// `extensions.code`.
    pub code: Code,
    /// The message (Apollo clients look for `PersistedQueryNotFound`).
    pub message: String,
    /// Whether HTTP answers 200 (the APQ protocol's retry signals) or 400.
    pub ok_status: bool,
}

impl Refusal {
    fn new(code: Code, message: impl Into<String>, ok_status: bool) -> Self {
        Self {
            code,
            message: message.into(),
            ok_status,
        }
    }
}

/// Documents remembered on this replica: hash to text and whether it is safelisted.
const LOCAL_DOCUMENTS: usize = 1024;

/// The persisted-query store of a replica: the shared table, and a small local memory of
/// the documents found there (a document never changes under its hash).
pub struct PersistedQueries {
    mode: Mode,
    repo: Arc<dyn PersistedQueryRepo>,
    max_remembered: u64,
    local: Mutex<LruCache<String, (Arc<str>, bool)>>,
}

/// The SHA-256 of a document's text, lowercase hex.
pub fn hash(document: &str) -> String {
    format!("{:x}", Sha256::digest(document.as_bytes()))
}

/// The hash a request names, if it carries the extension.
fn requested_hash(request: &async_graphql::Request) -> Result<Option<String>, Refusal> {
    let Some(value) = request.extensions.get("persistedQuery") else {
        return Ok(None);
    };
    let bad = || {
        Refusal::new(
            Code::BadUserInput,
            "extensions.persistedQuery must be {\"version\": 1, \"sha256Hash\": \"<64 hex digits>\"}",
            false,
        )
    };
    let value = serde_json::to_value(value).map_err(|_| bad())?;
    if value.get("version").and_then(serde_json::Value::as_u64) != Some(1) {
        return Err(bad());
    }
    let hash = value
        .get("sha256Hash")
        .and_then(serde_json::Value::as_str)
        .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        .ok_or_else(bad)?;
    Ok(Some(hash.to_ascii_lowercase()))
}

impl PersistedQueries {
    /// The store, in `mode`, remembering at most `max_remembered` automatic documents.
    pub fn new(mode: Mode, repo: Arc<dyn PersistedQueryRepo>, max_remembered: u64) -> Self {
        Self {
            mode,
            repo,
            max_remembered,
            local: Mutex::new(LruCache::new(
                NonZeroUsize::new(LOCAL_DOCUMENTS).unwrap_or(NonZeroUsize::MIN),
            )),
        }
    }

    /// Fills in the request's document from its hash, or checks the text it carries against
    /// the hash and the mode; refuses what may not run.
    pub async fn prepare(&self, request: &mut async_graphql::Request) -> Result<(), Refusal> {
        let named = requested_hash(request)?;
        let has_text = !request.query.trim().is_empty();
        match (self.mode, named, has_text) {
            (_, None, _) if self.mode != Mode::Safelist => Ok(()),
            (Mode::Off, Some(_), false) => Err(Refusal::new(
                Code::PersistedQueryNotSupported,
                "PersistedQueryNotSupported",
                true,
            )),
            (Mode::Off, Some(_), true) => Ok(()),
            (_, Some(named), true) => {
                if hash(&request.query) != named {
                    return Err(Refusal::new(
                        Code::BadUserInput,
                        "provided sha does not match query",
                        false,
                    ));
                }
                if self.mode == Mode::Safelist {
                    return self.require_listed(&named).await.map(|_| ());
                }
                self.remember(&named, &request.query).await;
                Ok(())
            }
            (Mode::Apq, Some(named), false) => match self.find(&named).await {
                Some((document, _)) => {
                    request.query = document.to_string();
                    Ok(())
                }
                None => Err(Refusal::new(
                    Code::PersistedQueryNotFound,
                    "PersistedQueryNotFound",
                    true,
                )),
            },
            (_, Some(named), false) => {
                request.query = self.require_listed(&named).await?.to_string();
                Ok(())
            }
            (_, None, _) => {
                // Safelist mode, text only: it runs when its exact text is registered.
                let named = hash(&request.query);
                self.require_listed(&named).await.map(|_| ())
            }
        }
    }

    async fn require_listed(&self, hash: &str) -> Result<Arc<str>, Refusal> {
        match self.find(hash).await {
            Some((document, true)) => Ok(document),
            Some((_, false)) | None => Err(Refusal::new(
                Code::PersistedQueryNotInList,
                "this operation is not on the server's safelist: register it with `copnet persisted add`",
                false,
            )),
        }
    }

    /// The document under a hash: from this replica's memory, else the table. A document
    /// remembered here as not safelisted is looked up again (it may have been listed since).
    async fn find(&self, hash: &str) -> Option<(Arc<str>, bool)> {
        let local = self
            .local
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(hash)
            .cloned();
        if let Some((document, true)) = local {
            return Some((document, true));
        }
        if let Some(found) = local.filter(|_| self.mode != Mode::Safelist) {
            return Some(found);
        }
        match self.repo.find(hash).await {
            Ok(Some(PersistedDocument {
                document,
                safelisted,
                ..
            })) => {
                let document: Arc<str> = document.into();
                self.local
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .put(hash.to_owned(), (Arc::clone(&document), safelisted));
                Some((document, safelisted))
            }
            Ok(None) => None,
            Err(err) => {
                tracing::warn!(error = %err, "persisted queries: lookup failed");
                None
            }
        }
    }

    /// Remembers a document sent with its hash, for every replica; failures only cost the
    /// next request its text.
    async fn remember(&self, hash: &str, document: &str) {
        let known = self
            .local
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(hash);
        if known {
            return;
        }
        // Only documents that parse are worth remembering.
        if async_graphql::parser::parse_query(document).is_err() {
            return;
        }
        match self
            .repo
            .remember(hash, document, self.max_remembered)
            .await
        {
            Ok(true) => {
                self.local
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .put(hash.to_owned(), (document.into(), false));
            }
            Ok(false) => {
                tracing::warn!(
                    max = self.max_remembered,
                    "persisted queries: the store is full; the document was not remembered"
                );
            }
            Err(err) => tracing::warn!(error = %err, "persisted queries: remembering failed"),
        }
    }
}

/// A document registered on the safelist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    /// Its file.
    pub file: std::path::PathBuf,
    /// The SHA-256 of its text: what clients send as `sha256Hash`.
    pub hash: String,
    /// Its operations' names (`<anonymous>` for an unnamed one).
    pub operations: Vec<String>,
    /// Whether it was not on the list before.
    pub new: bool,
}

/// Why a file cannot be registered.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    /// The file cannot be read.
    #[error("{file}: {source}")]
    Read {
        /// Which.
        file: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// It is not a GraphQL document with at least one operation.
    #[error("{file}: {message}")]
    Invalid {
        /// Which.
        file: std::path::PathBuf,
        /// Why.
        message: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] copnet_domain::DomainError),
}

/// Registers each file's text (one GraphQL document, with its operations and fragments) on
/// the safelist under the SHA-256 of the text. Every file is checked before any is stored.
pub async fn register_files(
    repo: &dyn PersistedQueryRepo,
    files: &[std::path::PathBuf],
) -> Result<Vec<Registered>, RegisterError> {
    use async_graphql::parser::types::DocumentOperations;

    let mut checked = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).map_err(|source| RegisterError::Read {
            file: file.clone(),
            source,
        })?;
        let invalid = |message: String| RegisterError::Invalid {
            file: file.clone(),
            message,
        };
        let document = async_graphql::parser::parse_query(&text)
            .map_err(|e| invalid(format!("not a GraphQL document: {e}")))?;
        let operations: Vec<String> = match &document.operations {
            DocumentOperations::Single(_) => vec!["<anonymous>".to_owned()],
            DocumentOperations::Multiple(named) => {
                named.keys().map(|name| name.to_string()).collect()
            }
        };
        checked.push((file.clone(), text, operations));
    }
    let mut out = Vec::new();
    for (file, text, operations) in checked {
        let hash = hash(&text);
        let new = repo.safelist(&hash, &text).await?;
        out.push(Registered {
            file,
            hash,
            operations,
            new,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_the_lowercase_hex_sha256_of_the_text() {
        assert_eq!(
            hash("{ __typename }"),
            "7f56e67dd21ab3f30d1ff8b7bed08893f0a0db86449836189b361dd1e56ddb4b"
        );
    }
}
