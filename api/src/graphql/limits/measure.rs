//! Measuring a document in time linear in its size.
//!
//! A fragment spread twice per level doubles the expanded document at every level: 32 levels
//! of 1.4 KB expand to 2^32 fields. So nothing here walks the expanded document. Each
//! fragment's expanded size is computed once, after the fragments it spreads (a topological
//! order found without recursion), and every spread of it adds that stored size. Sizes
//! saturate instead of overflowing.

use std::collections::HashMap;

use apollo_parser::{Lexer, TokenKind};
use async_graphql::{
    Name,
    parser::types::{ExecutableDocument, Selection, SelectionSet},
};

/// The size of a selection set with every fragment spread expanded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Size {
    /// Fields.
    pub fields: usize,
    /// Fields with an alias.
    pub aliases: usize,
    /// Deepest field nesting (a top-level field is depth 1).
    pub depth: usize,
}

impl Size {
    fn then(self, other: Size) -> Size {
        Size {
            fields: self.fields.saturating_add(other.fields),
            aliases: self.aliases.saturating_add(other.aliases),
            depth: self.depth.max(other.depth),
        }
    }
}

/// What a document holds, measured once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Measure {
    /// The operations, expanded, added up; plus the fragments no operation spreads, expanded
    /// (validation visits them too).
    pub expanded: Size,
    /// Fragment definitions.
    pub fragments: usize,
    /// Most directives on one selection.
    pub max_directives: usize,
    /// Whether it asks for `__schema` or `__type`.
    pub introspects: bool,
}

/// A fragment that spreads itself, directly or through others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentCycle(pub Name);

/// Tokens of a GraphQL source (whitespace, commas and comments are not tokens), counted up
/// to `limit + 1` at most.
pub fn count_tokens(source: &str, limit: usize) -> usize {
    let mut count = 0usize;
    for token in Lexer::new(source).flatten() {
        match token.kind() {
            TokenKind::Whitespace | TokenKind::Comment | TokenKind::Comma => {}
            TokenKind::Eof => break,
            _ => {
                count += 1;
                if count > limit {
                    break;
                }
            }
        }
    }
    count
}

/// What a selection set holds directly (its spreads not followed).
#[derive(Default)]
struct Direct<'a> {
    spreads: Vec<&'a Name>,
    max_directives: usize,
    introspects: bool,
}

fn scan<'a>(set: &'a SelectionSet, direct: &mut Direct<'a>) {
    for item in &set.items {
        direct.max_directives = direct.max_directives.max(item.node.directives().len());
        match &item.node {
            Selection::Field(field) => {
                let name = field.node.name.node.as_str();
                direct.introspects |= name == "__schema" || name == "__type";
                scan(&field.node.selection_set.node, direct);
            }
            Selection::FragmentSpread(spread) => {
                direct.spreads.push(&spread.node.fragment_name.node);
            }
            Selection::InlineFragment(inline) => scan(&inline.node.selection_set.node, direct),
        }
    }
}

/// The expanded size of a selection set, given the sizes of the fragments it spreads
/// (unknown fragments count as empty: validation reports them).
fn size(set: &SelectionSet, fragments: &HashMap<&Name, Size>) -> Size {
    set.items.iter().fold(Size::default(), |total, item| {
        let one = match &item.node {
            Selection::Field(field) => {
                let below = size(&field.node.selection_set.node, fragments);
                Size {
                    fields: below.fields.saturating_add(1),
                    aliases: below
                        .aliases
                        .saturating_add(usize::from(field.node.alias.is_some())),
                    depth: below.depth.saturating_add(1),
                }
            }
            Selection::FragmentSpread(spread) => fragments
                .get(&spread.node.fragment_name.node)
                .copied()
                .unwrap_or_default(),
            Selection::InlineFragment(inline) => size(&inline.node.selection_set.node, fragments),
        };
        total.then(one)
    })
}

/// Fragment names ordered so that each comes after every fragment it spreads; a cycle is an
/// error. Iterative, so a long chain of fragments cannot exhaust the stack.
fn topological<'a>(direct: &HashMap<&'a Name, Direct<'a>>) -> Result<Vec<&'a Name>, FragmentCycle> {
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Mark {
        Open,
        Done,
    }
    let mut marks: HashMap<&Name, Mark> = HashMap::with_capacity(direct.len());
    let mut order = Vec::with_capacity(direct.len());
    let mut names: Vec<&&Name> = direct.keys().collect();
    names.sort();
    for start in names {
        if marks.contains_key(*start) {
            continue;
        }
        // (fragment, index of its next spread to visit)
        let mut stack: Vec<(&Name, usize)> = vec![(*start, 0)];
        marks.insert(*start, Mark::Open);
        while let Some((name, next)) = stack.last_mut() {
            let spreads = direct.get(*name).map_or(&[][..], |d| d.spreads.as_slice());
            match spreads.get(*next) {
                Some(child) => {
                    *next += 1;
                    if !direct.contains_key(*child) {
                        continue;
                    }
                    match marks.get(*child) {
                        Some(Mark::Open) => return Err(FragmentCycle((*child).clone())),
                        Some(Mark::Done) => {}
                        None => {
                            marks.insert(*child, Mark::Open);
                            stack.push((*child, 0));
                        }
                    }
                }
                None => {
                    marks.insert(*name, Mark::Done);
                    order.push(*name);
                    stack.pop();
                }
            }
        }
    }
    Ok(order)
}

/// Measures a parsed document in time linear in its size.
pub fn measure(document: &ExecutableDocument) -> Result<Measure, FragmentCycle> {
    let mut direct: HashMap<&Name, Direct<'_>> = HashMap::with_capacity(document.fragments.len());
    for (name, fragment) in &document.fragments {
        let mut found = Direct::default();
        scan(&fragment.node.selection_set.node, &mut found);
        direct.insert(name, found);
    }
    let mut sizes: HashMap<&Name, Size> = HashMap::with_capacity(direct.len());
    for name in topological(&direct)? {
        let size = size(&document.fragments[name].node.selection_set.node, &sizes);
        sizes.insert(name, size);
    }
    let mut measure = Measure {
        fragments: document.fragments.len(),
        ..Measure::default()
    };
    for found in direct.values() {
        measure.max_directives = measure.max_directives.max(found.max_directives);
        measure.introspects |= found.introspects;
    }
    let mut reached: Vec<&Name> = Vec::new();
    for (_, operation) in document.operations.iter() {
        let set = &operation.node.selection_set.node;
        let mut found = Direct::default();
        scan(set, &mut found);
        measure.max_directives = measure
            .max_directives
            .max(found.max_directives)
            .max(operation.node.directives.len());
        measure.introspects |= found.introspects;
        measure.expanded = measure.expanded.then(size(set, &sizes));
        reached.extend(found.spreads);
    }
    let used = reachable(reached, &direct);
    for (name, size) in &sizes {
        if !used.contains(name) {
            measure.expanded = measure.expanded.then(*size);
        }
    }
    Ok(measure)
}

/// The fragments spread, directly or through others, from `roots`.
fn reachable<'a>(
    mut pending: Vec<&'a Name>,
    direct: &HashMap<&'a Name, Direct<'a>>,
) -> std::collections::HashSet<&'a Name> {
    let mut seen = std::collections::HashSet::new();
    while let Some(name) = pending.pop() {
        if seen.insert(name)
            && let Some(found) = direct.get(name)
        {
            pending.extend(found.spreads.iter().copied());
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use async_graphql::parser::parse_query;
    use copnet_tests::documents::doubling;

    use super::*;

    #[test]
    fn doubling_fragments_are_measured_without_expanding_them() {
        let measured = measure(&parse_query(doubling(32)).unwrap()).unwrap();
        // The operation expands to 2^32 copies of two fields.
        assert_eq!(measured.expanded.fields, 1 << 33, "{measured:?}");
        assert_eq!(measured.expanded.depth, 2);
        assert_eq!(measured.fragments, 33);
    }

    #[test]
    fn sizes_add_up_over_spreads_aliases_and_inline_fragments() {
        let doc = parse_query(
            "query { a: networks { totalCount } ...F ... on Query { b: viewer { id } } }
             fragment F on Query { c: networks { nodes { id } } }",
        )
        .unwrap();
        let m = measure(&doc).unwrap();
        // a, totalCount, c, nodes, id, b, id; the fragment is used, so not counted again.
        assert_eq!(m.expanded.fields, 7);
        assert_eq!(m.expanded.aliases, 3);
        assert_eq!(m.expanded.depth, 3);
    }

    #[test]
    fn a_fragment_no_operation_spreads_still_counts() {
        let doc = parse_query(doubling(20).replace("query { ...F0 }", "query { id }")).unwrap();
        // `id`, then each unused F_i on its own: 2^(21-i) fields, i = 0..=20.
        assert_eq!(measure(&doc).unwrap().expanded.fields, 1 + (1 << 22) - 2);
    }

    #[test]
    fn a_fragment_cycle_is_found_without_recursion() {
        let doc = parse_query(
            "query { ...A } fragment A on Query { ...B } fragment B on Query { id ...A }",
        )
        .unwrap();
        assert!(measure(&doc).is_err());
    }

    #[test]
    fn directives_and_introspection_are_seen_inside_fragments() {
        let doc = parse_query(
            "query { ...F } fragment F on Query { __schema @skip(if: false) @include(if: true) { types { name } } }",
        )
        .unwrap();
        let m = measure(&doc).unwrap();
        assert_eq!(m.max_directives, 2);
        assert!(m.introspects);
    }

    #[test]
    fn tokens_skip_whitespace_commas_and_comments_and_stop_past_the_limit() {
        assert_eq!(count_tokens("{ a, b # c\n }", 100), 4);
        assert_eq!(count_tokens(&"a ".repeat(1000), 10), 11);
    }
}
