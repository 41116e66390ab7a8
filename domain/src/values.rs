//! Validated value objects. They are built once, at the edge, from raw input; a domain service
//! only ever sees valid values. Limits are counted in Unicode scalar values.

use crate::error::{DomainError, DomainResult};

/// Shortest slug.
pub const SLUG_MIN: usize = 2;
/// Longest slug.
pub const SLUG_MAX: usize = 64;
/// Longest name (organizations, networks, clusters, communities, spaces, people).
pub const NAME_MAX: usize = 120;
/// Longest description.
pub const DESCRIPTION_MAX: usize = 4000;
/// Longest message on a join request or an invitation.
pub const MESSAGE_MAX: usize = 2000;
/// Longest search term.
pub const SEARCH_MAX: usize = 100;
/// Longest thread title.
pub const TITLE_MAX: usize = 200;
/// Longest post body (Markdown source).
pub const BODY_MAX: usize = 20_000;
/// Longest note on a flag.
pub const NOTE_MAX: usize = 1000;

/// A URL-safe handle: lowercase ASCII letters, digits and single hyphens, 2 to 64 characters,
/// starting and ending with a letter or digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Slug(String);

impl Slug {
    /// Validates `raw` as a slug for the input field `field`.
    pub fn parse(field: &'static str, raw: &str) -> DomainResult<Self> {
        let len = raw.chars().count();
        if !(SLUG_MIN..=SLUG_MAX).contains(&len) {
            return Err(DomainError::invalid(
                field,
                format!("must be {SLUG_MIN} to {SLUG_MAX} characters long, got {len}"),
            ));
        }
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
        if !raw.chars().all(allowed) {
            return Err(DomainError::invalid(
                field,
                "may contain only lowercase letters a-z, digits and hyphens",
            ));
        }
        if raw.starts_with('-') || raw.ends_with('-') || raw.contains("--") {
            return Err(DomainError::invalid(
                field,
                "must start and end with a letter or digit and have no double hyphen",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The slug as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Takes the text out.
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Checks trimmed free text against a length range and rejects control characters
/// (line breaks are allowed only where `multiline`).
fn text(
    field: &'static str,
    raw: &str,
    min: usize,
    max: usize,
    multiline: bool,
) -> DomainResult<String> {
    let trimmed = raw.trim();
    let len = trimmed.chars().count();
    if len < min {
        return Err(DomainError::invalid(field, "must not be empty"));
    }
    if len > max {
        return Err(DomainError::invalid(
            field,
            format!("must be at most {max} characters long, got {len}"),
        ));
    }
    let bad = |c: char| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t'));
    if trimmed.chars().any(bad) {
        return Err(DomainError::invalid(
            field,
            "must not contain control characters",
        ));
    }
    Ok(trimmed.to_owned())
}

macro_rules! text_value {
    ($(#[$doc:meta])* $name:ident, min = $min:expr, max = $max:expr, multiline = $ml:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            /// Validates `raw` for the input field `field` (surrounding whitespace is trimmed).
            pub fn parse(field: &'static str, raw: &str) -> DomainResult<Self> {
                text(field, raw, $min, $max, $ml).map(Self)
            }

            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Takes the text out.
            pub fn into_inner(self) -> String {
                self.0
            }
        }
    };
}

text_value!(
    /// A display name of 1 to 120 characters on one line.
    Name, min = 1, max = NAME_MAX, multiline = false
);
text_value!(
    /// A description of up to 4000 characters; may be empty.
    Description, min = 0, max = DESCRIPTION_MAX, multiline = true
);
text_value!(
    /// A note on a join request or invitation, up to 2000 characters; may be empty.
    Message, min = 0, max = MESSAGE_MAX, multiline = true
);
text_value!(
    /// A search term of 1 to 100 characters, matched case-insensitively as a substring.
    SearchTerm, min = 1, max = SEARCH_MAX, multiline = false
);
text_value!(
    /// A thread title of 1 to 200 characters on one line.
    Title, min = 1, max = TITLE_MAX, multiline = false
);
text_value!(
    /// A post body in Markdown, 1 to 20000 characters.
    PostBody, min = 1, max = BODY_MAX, multiline = true
);
text_value!(
    /// A knowledge asset's body in Markdown, up to 20000 characters; may be empty (when its
    /// URL holds it).
    AssetBody, min = 0, max = BODY_MAX, multiline = true
);
text_value!(
    /// A note on a flag, up to 1000 characters; may be empty.
    FlagNote, min = 0, max = NOTE_MAX, multiline = true
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_accepts_lowercase_digits_and_single_hyphens() {
        assert!(Slug::parse("slug", "water-2030").is_ok());
        assert!(Slug::parse("slug", "ab").is_ok());
    }

    #[test]
    fn slug_rejects_bad_shapes_with_a_named_field() {
        for bad in [
            "a",
            "Water",
            "wa ter",
            "-water",
            "water-",
            "wa--ter",
            "été",
            &"x".repeat(65),
        ] {
            let err = Slug::parse("slug", bad).err();
            assert!(
                matches!(err, Some(DomainError::Invalid { field: "slug", .. })),
                "{bad:?} was accepted"
            );
        }
    }

    #[test]
    fn name_is_trimmed_and_bounded() {
        assert_eq!(
            Name::parse("name", "  Water  ").map(Name::into_inner).ok(),
            Some("Water".into())
        );
        assert!(Name::parse("name", "   ").is_err());
        assert!(Name::parse("name", &"é".repeat(NAME_MAX)).is_ok());
        assert!(Name::parse("name", &"é".repeat(NAME_MAX + 1)).is_err());
        assert!(Name::parse("name", "a\nb").is_err());
    }

    #[test]
    fn description_allows_line_breaks_and_empty_text() {
        assert!(Description::parse("description", "").is_ok());
        assert!(Description::parse("description", "line one\nline two").is_ok());
        assert!(Description::parse("description", "bell\u{7}").is_err());
    }
}

/// Most items in a charter's `goals` or `outputs`.
pub const LIST_MAX_ITEMS: usize = 30;
/// Longest item of such a list.
pub const LIST_ITEM_MAX: usize = 500;

/// A list of short texts (a charter's goals or outputs): at most 30 items of 1 to 500
/// characters on one line each; blank items are dropped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct TextList(Vec<String>);

impl TextList {
    /// Validates the items for the input field `field`.
    pub fn parse(field: &'static str, raw: &[String]) -> DomainResult<Self> {
        let items: Vec<&String> = raw.iter().filter(|i| !i.trim().is_empty()).collect();
        if items.len() > LIST_MAX_ITEMS {
            return Err(DomainError::invalid(
                field,
                format!("at most {LIST_MAX_ITEMS} items"),
            ));
        }
        items
            .into_iter()
            .map(|i| text(field, i, 1, LIST_ITEM_MAX, false))
            .collect::<DomainResult<Vec<_>>>()
            .map(Self)
    }

    /// Takes the items out.
    pub fn into_inner(self) -> Vec<String> {
        self.0
    }
}

/// Most tags on one asset.
pub const TAGS_MAX: usize = 10;
/// Longest tag.
pub const TAG_MAX: usize = 40;

/// Free tags: at most 10, each 1 to 40 characters on one line without commas, lowercased,
/// sorted and without duplicates; blank ones are dropped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Tags(Vec<String>);

impl Tags {
    /// Validates the tags for the input field `field`.
    pub fn parse(field: &'static str, raw: &[String]) -> DomainResult<Self> {
        let mut tags = raw
            .iter()
            .filter(|t| !t.trim().is_empty())
            .map(|t| {
                let tag = text(field, &t.to_lowercase(), 1, TAG_MAX, false)?;
                if tag.contains(',') {
                    return Err(DomainError::invalid(field, "a tag may not contain commas"));
                }
                Ok(tag)
            })
            .collect::<DomainResult<Vec<_>>>()?;
        tags.sort();
        tags.dedup();
        if tags.len() > TAGS_MAX {
            return Err(DomainError::invalid(
                field,
                format!("at most {TAGS_MAX} tags"),
            ));
        }
        Ok(Self(tags))
    }

    /// One tag to filter by, validated like the others.
    pub fn one(field: &'static str, raw: &str) -> DomainResult<String> {
        Self::parse(field, &[raw.to_owned()])?
            .0
            .pop()
            .ok_or_else(|| DomainError::invalid(field, "must not be empty"))
    }

    /// Takes the tags out.
    pub fn into_inner(self) -> Vec<String> {
        self.0
    }
}
