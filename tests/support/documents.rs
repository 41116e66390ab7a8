//! GraphQL documents that attack the server, shared by tests and benchmarks.

/// `levels` fragments, each spreading the next one twice, the last one two fields: 2^levels
/// copies of them once expanded, in about 45 bytes per level.
pub fn doubling(levels: usize) -> String {
    let mut doc = String::from("query { ...F0 }\n");
    for i in 0..levels {
        doc.push_str(&format!(
            "fragment F{i} on Query {{ ...F{n} ...F{n} }}\n",
            n = i + 1
        ));
    }
    doc.push_str(&format!(
        "fragment F{levels} on Query {{ networks(first: 1) {{ totalCount }} }}\n"
    ));
    doc
}
