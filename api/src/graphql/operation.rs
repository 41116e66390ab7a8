//! Which operation of a document a request runs, decided once for every caller that must
//! know before execution (GET refuses writes, the cache drops on writes, subscriptions are
//! shared).

use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType};

/// The type of the operation a request runs, chosen as async-graphql's execution chooses it:
/// the named one, or without a name the document's only one. `None` when execution would
/// refuse the request instead (an unknown name, a name for an anonymous operation, several
/// operations and no name), so that such a request runs nothing.
pub fn operation_type(document: &ExecutableDocument, name: Option<&str>) -> Option<OperationType> {
    match (&document.operations, name) {
        (DocumentOperations::Single(operation), None) => Some(operation.node.ty),
        (DocumentOperations::Single(_), Some(_)) => None,
        (DocumentOperations::Multiple(operations), Some(name)) => {
            operations.get(name).map(|operation| operation.node.ty)
        }
        (DocumentOperations::Multiple(operations), None) => {
            let mut all = operations.values();
            match (all.next(), all.next()) {
                (Some(only), None) => Some(only.node.ty),
                _ => None,
            }
        }
    }
}

/// Whether a request runs a mutation (parsing its document, which the request keeps).
pub fn runs_mutation(request: &mut async_graphql::Request) -> async_graphql::ServerResult<bool> {
    let name = request.operation_name.clone();
    let document = request.parsed_query()?;
    Ok(operation_type(document, name.as_deref()) == Some(OperationType::Mutation))
}

#[cfg(test)]
mod tests {
    use async_graphql::parser::parse_query;

    use super::*;

    fn of(source: &str, name: Option<&str>) -> Option<OperationType> {
        operation_type(&parse_query(source).expect("parses"), name)
    }

    #[test]
    fn the_only_operation_runs_without_a_name() {
        assert_eq!(of("mutation { a }", None), Some(OperationType::Mutation));
        assert_eq!(of("mutation M { a }", None), Some(OperationType::Mutation));
        assert_eq!(of("{ a }", Some("Other")), None);
    }

    #[test]
    fn a_named_operation_among_several_is_the_one_run() {
        let source = "query Q { a } mutation M { b } subscription S { c }";
        assert_eq!(of(source, Some("M")), Some(OperationType::Mutation));
        assert_eq!(of(source, Some("S")), Some(OperationType::Subscription));
        assert_eq!(of(source, Some("X")), None);
        assert_eq!(of(source, None), None);
    }
}
