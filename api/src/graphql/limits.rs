//! Query limits from configuration: depth, complexity (list fields cost their page size times
//! their items) and aliases. Each refusal is `LIMIT_EXCEEDED` and names the limit and the
//! measured value.

use std::sync::Arc;

use async_graphql::{
    ServerError, ServerResult, ValidationResult, Variables,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextValidation},
    parser::types::{ExecutableDocument, Selection, SelectionSet},
};

use crate::error::Code;

/// The configured limits.
#[derive(Debug, Clone, Copy)]
pub struct QueryLimits {
    /// Deepest selection nesting.
    pub max_depth: usize,
    /// Highest complexity.
    pub max_complexity: usize,
    /// Most aliased fields in one document.
    pub max_aliases: usize,
    /// Whether `__schema` and `__type` are answered; when not, asking is `FORBIDDEN`.
    pub introspection: bool,
}

impl ExtensionFactory for QueryLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(*self)
    }
}

fn limit_error(message: String) -> ServerError {
    coded(Code::LimitExceeded, message)
}

fn coded(code: Code, message: String) -> ServerError {
    let mut err = ServerError::new(message, None);
    let mut ext = async_graphql::ErrorExtensionValues::default();
    ext.set("code", code.as_str());
    err.extensions = Some(ext);
    err
}

fn introspects(set: &SelectionSet) -> bool {
    set.items.iter().any(|item| match &item.node {
        Selection::Field(field) => matches!(field.node.name.node.as_str(), "__schema" | "__type"),
        Selection::InlineFragment(fragment) => introspects(&fragment.node.selection_set.node),
        Selection::FragmentSpread(_) => false,
    })
}

fn count_aliases(set: &SelectionSet) -> usize {
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(field) => {
                usize::from(field.node.alias.is_some())
                    + count_aliases(&field.node.selection_set.node)
            }
            Selection::InlineFragment(fragment) => count_aliases(&fragment.node.selection_set.node),
            Selection::FragmentSpread(_) => 0,
        })
        .sum()
}

#[async_trait::async_trait]
impl Extension for QueryLimits {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let aliases: usize = document
            .operations
            .iter()
            .map(|(_, op)| count_aliases(&op.node.selection_set.node))
            .chain(
                document
                    .fragments
                    .values()
                    .map(|f| count_aliases(&f.node.selection_set.node)),
            )
            .sum();
        let introspection = document
            .operations
            .iter()
            .any(|(_, op)| introspects(&op.node.selection_set.node))
            || document
                .fragments
                .values()
                .any(|f| introspects(&f.node.selection_set.node));
        if introspection && !self.introspection {
            return Err(coded(
                Code::Forbidden,
                "introspection is disabled on this server".into(),
            ));
        }
        if aliases > self.max_aliases {
            return Err(limit_error(format!(
                "query uses {aliases} aliases; the alias limit is {}",
                self.max_aliases
            )));
        }
        Ok(document)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        if result.depth > self.max_depth {
            return Err(vec![limit_error(format!(
                "query depth is {}; the depth limit is {}",
                result.depth, self.max_depth
            ))]);
        }
        if result.complexity > self.max_complexity {
            return Err(vec![limit_error(format!(
                "query complexity is {}; the complexity limit is {} (list fields cost their page size times their items)",
                result.complexity, self.max_complexity
            ))]);
        }
        Ok(result)
    }
}
