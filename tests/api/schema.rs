//! The committed SDL (`api/schema.graphql`) must match what the code generates.
//! Regenerate with `UPDATE_SCHEMA=1 cargo test -p copnet-tests schema`.

use std::path::PathBuf;

#[test]
fn committed_schema_matches_the_code() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../api/schema.graphql");
    let generated = copnet_api::graphql::sdl();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).expect("write api/schema.graphql");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "api/schema.graphql differs from the schema the code generates; review the change and run \
         `UPDATE_SCHEMA=1 cargo test -p copnet-tests schema` to update it"
    );
}

#[test]
fn every_type_and_field_of_the_schema_is_documented() {
    let sdl = copnet_api::graphql::sdl();
    // Every definition and every field line is preceded by a description block.
    let lines: Vec<&str> = sdl.lines().collect();
    let mut undocumented = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        let is_definition = ["type ", "input ", "enum ", "interface ", "scalar "]
            .iter()
            .any(|k| trimmed.starts_with(k));
        let is_field = line.starts_with('\t')
            && !line.starts_with("\t\t")
            && trimmed != "\"\"\""
            && !trimmed.is_empty()
            && !trimmed.starts_with(')')
            && !["query:", "mutation:", "subscription:"]
                .iter()
                .any(|k| trimmed.starts_with(k));
        let previous = i
            .checked_sub(1)
            .map(|j| lines[j].trim())
            .unwrap_or_default();
        let inside_description =
            lines[..i].iter().filter(|l| l.trim() == "\"\"\"").count() % 2 == 1;
        if (is_definition || is_field)
            && !inside_description
            && previous != "\"\"\""
            && !previous.ends_with("\"\"\"")
        {
            if trimmed.starts_with("scalar ") || trimmed.starts_with("directive") {
                continue;
            }
            undocumented.push(trimmed.to_owned());
        }
    }
    assert!(
        undocumented.is_empty(),
        "undocumented schema items:\n{}",
        undocumented.join("\n")
    );
}
