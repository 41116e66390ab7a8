//! Query limits from configuration. Before anything else looks at a request, its source is
//! checked (bytes, tokens), then it is parsed once and measured in linear time (fragments,
//! directives per selection, and, with every fragment spread expanded, fields, aliases and
//! depth); only a document within every limit reaches validation, whose complexity (list
//! fields cost their page size times their items) is checked last. Each refusal is
//! `LIMIT_EXCEEDED`, names the limit in its message and in `extensions.limit`, and gives the
//! configured maximum in `extensions.max`.

mod measure;

use std::sync::Arc;

use async_graphql::{
    Request, ServerError, ServerResult, ValidationResult,
    extensions::{
        Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest, NextValidation,
    },
};

use crate::error::Code;
pub use measure::{Measure, Size, count_tokens, measure};

/// The configured limits.
#[derive(Debug, Clone, Copy)]
pub struct QueryLimits {
    /// Longest document, in bytes.
    pub max_document_bytes: usize,
    /// Most tokens in a document.
    pub max_tokens: usize,
    /// Most fragment definitions in a document.
    pub max_fragments: usize,
    /// Most directives on one field (or other selection).
    pub max_directives: usize,
    /// Most fields, with every fragment spread expanded.
    pub max_fields: usize,
    /// Deepest field nesting, with every fragment spread expanded.
    pub max_depth: usize,
    /// Most aliased fields, with every fragment spread expanded.
    pub max_aliases: usize,
    /// Highest complexity.
    pub max_complexity: usize,
    /// Whether `__schema` and `__type` are answered; when not, asking is `FORBIDDEN`.
    pub introspection: bool,
}

impl ExtensionFactory for QueryLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(*self)
    }
}

fn coded(code: Code, message: String) -> ServerError {
    let mut err = ServerError::new(message, None);
    let mut ext = async_graphql::ErrorExtensionValues::default();
    ext.set("code", code.as_str());
    err.extensions = Some(ext);
    err
}

/// `LIMIT_EXCEEDED` for the limit called `limit` (as in `extensions.limit`).
fn exceeded(limit: &str, max: usize, message: String) -> ServerError {
    let mut err = coded(Code::LimitExceeded, message);
    if let Some(ext) = err.extensions.as_mut() {
        ext.set("limit", limit);
        ext.set("max", max);
    }
    err
}

impl QueryLimits {
    /// Checks the source text: size, then tokens.
    pub fn check_source(&self, source: &str) -> ServerResult<()> {
        if source.len() > self.max_document_bytes {
            return Err(exceeded(
                "documentBytes",
                self.max_document_bytes,
                format!(
                    "the document has {} bytes; the document size limit is {} bytes",
                    source.len(),
                    self.max_document_bytes
                ),
            ));
        }
        if count_tokens(source, self.max_tokens) > self.max_tokens {
            return Err(exceeded(
                "tokens",
                self.max_tokens,
                format!(
                    "the document has more than {0} tokens; the token limit is {0}",
                    self.max_tokens
                ),
            ));
        }
        Ok(())
    }

    /// Checks a parsed document's measure.
    pub fn check_measure(&self, m: &Measure) -> ServerResult<()> {
        if m.introspects && !self.introspection {
            return Err(coded(
                Code::Forbidden,
                "introspection is disabled on this server".into(),
            ));
        }
        let checks = [
            (
                "fragments",
                m.fragments,
                self.max_fragments,
                "fragment definitions",
            ),
            (
                "directives",
                m.max_directives,
                self.max_directives,
                "directives on one field",
            ),
            (
                "fields",
                m.expanded.fields,
                self.max_fields,
                "fields with its fragments expanded",
            ),
        ];
        for (limit, value, max, what) in checks {
            if value > max {
                return Err(exceeded(
                    limit,
                    max,
                    format!("the document has {value} {what}; the {limit} limit is {max}"),
                ));
            }
        }
        if m.expanded.depth > self.max_depth {
            return Err(exceeded(
                "depth",
                self.max_depth,
                format!(
                    "query depth is {}; the depth limit is {}",
                    m.expanded.depth, self.max_depth
                ),
            ));
        }
        if m.expanded.aliases > self.max_aliases {
            return Err(exceeded(
                "aliases",
                self.max_aliases,
                format!(
                    "query uses {} aliases; the alias limit is {}",
                    m.expanded.aliases, self.max_aliases
                ),
            ));
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl Extension for QueryLimits {
    fn resolves_fields(&self) -> bool {
        // Whole requests only: fields keep async-graphql's fast path.
        false
    }

    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        self.check_source(&request.query)?;
        // Parsed here, once; async-graphql reuses the document.
        let measured = measure(request.parsed_query()?).map_err(|cycle| {
            coded(
                Code::BadUserInput,
                format!("fragment `{}` spreads itself", cycle.0),
            )
        })?;
        self.check_measure(&measured)?;
        next.run(ctx, request).await
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        if result.complexity > self.max_complexity {
            return Err(vec![exceeded(
                "complexity",
                self.max_complexity,
                format!(
                    "query complexity is {}; the complexity limit is {} (list fields cost their page size times their items)",
                    result.complexity, self.max_complexity
                ),
            )]);
        }
        Ok(result)
    }
}
