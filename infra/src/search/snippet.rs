//! Highlighted snippets, cut from a hit's stored text around its first matching word: HTML
//! with every character escaped and the matching words in `<mark>`.

use pulldown_cmark_escape::escape_html_body_text;

use super::analyze::{Language, Parsed, stem, words};

/// Words shown before the first match.
const BEFORE: usize = 8;
/// Words shown in all.
const WORDS: usize = 32;

fn escaped(out: &mut String, text: &str) {
    // Writing to a String cannot fail.
    let _ = escape_html_body_text(&mut *out, text);
}

/// The snippet of a text, or `None` when no word of it matches.
fn around(query: &Parsed, language: Language, text: &str, always: bool) -> Option<String> {
    let spans: Vec<(usize, usize)> = words(text).collect();
    let hits: Vec<bool> = spans
        .iter()
        .map(|(s, e)| query.highlights(&stem(language, &text[*s..*e])))
        .collect();
    let first = match hits.iter().position(|h| *h) {
        Some(i) => i,
        None if always => 0,
        None => return None,
    };
    let from = first.saturating_sub(BEFORE);
    let to = (from + WORDS).min(spans.len());
    let mut out = String::new();
    if spans.is_empty() {
        escaped(&mut out, text);
        return Some(out);
    }
    if from > 0 {
        out.push('…');
    }
    let mut at = spans[from].0;
    for i in from..to {
        let (s, e) = spans[i];
        escaped(&mut out, &text[at..s]);
        if hits[i] {
            out.push_str("<mark>");
            escaped(&mut out, &text[s..e]);
            out.push_str("</mark>");
        } else {
            escaped(&mut out, &text[s..e]);
        }
        at = e;
    }
    if to < spans.len() {
        out.push('…');
    }
    Some(out)
}

/// A hit's snippet: from its body where a word of it matches, else from its title.
pub fn snippet(query: &Parsed, language: Language, title: &str, body: &str) -> String {
    around(query, language, body, false)
        .or_else(|| around(query, language, title, true))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_mark_matching_words_and_escape_the_rest() {
        let q = Parsed::new("harvest*").expect("a word");
        let body = "Notes <script>x</script> on rainwater: harvesting & storing it.";
        let s = snippet(&q, Language::English, "Title", body);
        assert!(s.contains("<mark>harvesting</mark>"), "{s}");
        assert!(s.contains("&lt;script&gt;"), "{s}");
        assert!(!s.contains("<script>"), "{s}");
        assert_eq!(
            snippet(&q, Language::English, "Harvest", ""),
            "<mark>Harvest</mark>"
        );
    }

    #[test]
    fn long_texts_are_cut_around_the_first_match() {
        let q = Parsed::new("needle").expect("a word");
        let mut body = "hay ".repeat(100);
        body.push_str("needle");
        body.push_str(&" hay".repeat(100));
        let s = snippet(&q, Language::English, "t", &body);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert_eq!(s.matches("hay").count(), WORDS - 1);
    }
}
