//! Text analysis, one for indexing and querying on both databases: words are split on
//! anything but letters and digits, lowercased, stemmed by the Snowball stemmer of the
//! document's language (English, Spanish, French or Portuguese, detected from its text), and
//! stripped of diacritics. The databases index these stems (PostgreSQL as a `simple`
//! tsvector, SQLite in FTS5), so both match the same words; a query's words are stemmed in
//! all four languages, so a reader needs not know a document's language.

use std::{collections::BTreeSet, sync::LazyLock};

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};
use whatlang::{Detector, Lang};

/// Most characters of a document analysed (the rest is not searchable).
pub const MAX_ANALYSED_CHARS: usize = 20_000;
/// Most clauses (words and phrases) in a query.
pub const MAX_CLAUSES: usize = 12;
/// Most words in a phrase.
pub const MAX_PHRASE_WORDS: usize = 8;
/// Longest word kept (longer ones are cut).
const MAX_WORD_CHARS: usize = 40;

/// A language the index stems for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    /// English (also where detection is unsure).
    English,
    /// Spanish.
    Spanish,
    /// French.
    French,
    /// Portuguese.
    Portuguese,
}

impl Language {
    /// Every language, in a fixed order.
    pub const ALL: [Language; 4] = [
        Language::English,
        Language::Spanish,
        Language::French,
        Language::Portuguese,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Spanish => "es",
            Language::French => "fr",
            Language::Portuguese => "pt",
        }
    }

    /// From a stored code (English for any other).
    pub fn from_code(code: &str) -> Self {
        match code {
            "es" => Language::Spanish,
            "fr" => Language::French,
            "pt" => Language::Portuguese,
            _ => Language::English,
        }
    }

    fn stemmer(self) -> &'static Stemmer {
        static STEMMERS: LazyLock<[Stemmer; 4]> = LazyLock::new(|| {
            [
                Stemmer::create(Algorithm::English),
                Stemmer::create(Algorithm::Spanish),
                Stemmer::create(Algorithm::French),
                Stemmer::create(Algorithm::Portuguese),
            ]
        });
        &STEMMERS[self as usize]
    }
}

/// The language of a text: the detector's guess among the four when it is reliable, English
/// otherwise (short texts).
pub fn detect(text: &str) -> Language {
    static DETECTOR: LazyLock<Detector> = LazyLock::new(|| {
        Detector::with_allowlist(vec![Lang::Eng, Lang::Spa, Lang::Fra, Lang::Por])
    });
    let sample: String = text.chars().take(2_000).collect();
    let guess = DETECTOR.detect(&sample).filter(whatlang::Info::is_reliable);
    match guess.map(|info| info.lang()) {
        Some(Lang::Spa) => Language::Spanish,
        Some(Lang::Fra) => Language::French,
        Some(Lang::Por) => Language::Portuguese,
        _ => Language::English,
    }
}

/// The words of a text with their byte ranges.
pub fn words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while chars.next_if(|(_, c)| !c.is_alphanumeric()).is_some() {}
        let (start, first) = chars.next()?;
        let mut end = start + first.len_utf8();
        while let Some((i, c)) = chars.next_if(|(_, c)| c.is_alphanumeric()) {
            end = i + c.len_utf8();
        }
        Some((start, end))
    })
}

fn fold(word: &str) -> String {
    word.nfd().filter(|c| !is_combining_mark(*c)).collect()
}

/// One word's indexed form in a language.
pub fn stem(language: Language, word: &str) -> String {
    let lower: String = word.to_lowercase().chars().take(MAX_WORD_CHARS).collect();
    fold(&language.stemmer().stem(&lower))
}

/// A text's indexed form: its stems, space-separated, in order.
pub fn terms(language: Language, text: &str) -> String {
    let text = cut(text, MAX_ANALYSED_CHARS);
    let mut out = String::with_capacity(text.len());
    for (start, end) in words(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&stem(language, &text[start..end]));
    }
    out
}

/// The first `max` characters of a text.
pub fn cut(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

/// The plain text of a Markdown body (what its readers see, without the markup).
pub fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new(cut(markdown, MAX_ANALYSED_CHARS)) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => out.push(' '),
            _ => {}
        }
    }
    out.trim().to_owned()
}

/// A query's clause: every clause must match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    /// A word, as stemmed in each language (deduplicated); `prefix` for `word*`.
    Word {
        /// Its stems.
        stems: Vec<String>,
        /// Matches every indexed word starting with a stem.
        prefix: bool,
    },
    /// `"words in a row"`: for each language (deduplicated), the stems in order.
    Phrase(Vec<Vec<String>>),
}

/// A parsed query: `word`, `word*` (prefix) and `"a phrase"`, all required.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The clauses.
    pub clauses: Vec<Clause>,
}

fn stems_of(word: &str) -> Vec<String> {
    let set: BTreeSet<String> = Language::ALL.iter().map(|l| stem(*l, word)).collect();
    set.into_iter().filter(|s| !s.is_empty()).collect()
}

impl Parsed {
    /// Parses a query; `None` when it holds no word.
    pub fn new(query: &str) -> Option<Self> {
        let mut clauses = Vec::new();
        for (i, part) in query.split('"').enumerate() {
            if i % 2 == 1 {
                let ws: Vec<&str> = words(part)
                    .map(|(s, e)| &part[s..e])
                    .take(MAX_PHRASE_WORDS)
                    .collect();
                match ws.len() {
                    0 => {}
                    1 => clauses.push(Clause::Word {
                        stems: stems_of(ws[0]),
                        prefix: false,
                    }),
                    _ => {
                        let set: BTreeSet<Vec<String>> = Language::ALL
                            .iter()
                            .map(|l| ws.iter().map(|w| stem(*l, w)).collect())
                            .collect();
                        clauses.push(Clause::Phrase(set.into_iter().collect()));
                    }
                }
                continue;
            }
            for (s, e) in words(part) {
                let prefix = part[e..].starts_with('*');
                clauses.push(Clause::Word {
                    stems: stems_of(&part[s..e]),
                    prefix,
                });
            }
        }
        clauses.truncate(MAX_CLAUSES);
        (!clauses.is_empty()).then_some(Self { clauses })
    }

    /// The PostgreSQL `to_tsquery('simple', ...)` text. Stems hold letters and digits only,
    /// so nothing in it is operator syntax but what this writes.
    pub fn tsquery(&self) -> String {
        let clause = |c: &Clause| match c {
            Clause::Word { stems, prefix } => {
                let suffix = if *prefix { ":*" } else { "" };
                let alts: Vec<String> = stems.iter().map(|s| format!("{s}{suffix}")).collect();
                format!("({})", alts.join(" | "))
            }
            Clause::Phrase(langs) => {
                let alts: Vec<String> = langs
                    .iter()
                    .map(|ws| format!("({})", ws.join(" <-> ")))
                    .collect();
                format!("({})", alts.join(" | "))
            }
        };
        let parts: Vec<String> = self.clauses.iter().map(clause).collect();
        parts.join(" & ")
    }

    /// The SQLite FTS5 `MATCH` text (stems quoted as strings).
    pub fn fts5(&self) -> String {
        let clause = |c: &Clause| match c {
            Clause::Word { stems, prefix } => {
                let suffix = if *prefix { "*" } else { "" };
                let alts: Vec<String> = stems.iter().map(|s| format!("\"{s}\"{suffix}")).collect();
                format!("({})", alts.join(" OR "))
            }
            Clause::Phrase(langs) => {
                let alts: Vec<String> = langs
                    .iter()
                    .map(|ws| format!("\"{}\"", ws.join(" ")))
                    .collect();
                format!("({})", alts.join(" OR "))
            }
        };
        let parts: Vec<String> = self.clauses.iter().map(clause).collect();
        parts.join(" AND ")
    }

    /// Whether a stem of a document is one the query asks for (for highlighting).
    pub fn highlights(&self, stem: &str) -> bool {
        self.clauses.iter().any(|c| match c {
            Clause::Word { stems, prefix } => stems
                .iter()
                .any(|s| s == stem || (*prefix && stem.starts_with(s.as_str()))),
            Clause::Phrase(langs) => langs.iter().flatten().any(|s| s == stem),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_stemmed_in_the_documents_language_and_folded() {
        assert_eq!(
            terms(Language::English, "Gardening gardens!"),
            "garden garden"
        );
        assert_eq!(
            terms(Language::Spanish, "Educación ambiental"),
            "educ ambiental"
        );
        assert_eq!(terms(Language::French, "l'été"), "l ete");
    }

    #[test]
    fn the_language_is_detected_among_the_four() {
        assert_eq!(
            detect("La gestión del agua en las comunidades rurales es un desafío"),
            Language::Spanish
        );
        assert_eq!(
            detect("La gestion de l'eau dans les communautés rurales est un défi"),
            Language::French
        );
        assert_eq!(
            detect("A gestão da água nas comunidades rurais é um desafio"),
            Language::Portuguese
        );
        assert_eq!(detect("ok"), Language::English);
    }

    #[test]
    fn queries_parse_words_prefixes_and_phrases_into_safe_syntax() {
        let q = Parsed::new("soil \"water harvesting\" irrig* ; DROP").expect("words");
        assert_eq!(q.clauses.len(), 4);
        let ts = q.tsquery();
        assert!(ts.contains("(soil)"), "{ts}");
        assert!(ts.contains("water <-> harvest"), "{ts}");
        assert!(ts.contains("irrig:*"), "{ts}");
        assert!(!ts.contains(';'), "{ts}");
        let fts = q.fts5();
        assert!(fts.contains("\"water harvest\""), "{fts}");
        assert!(fts.contains("\"irrig\"*"), "{fts}");
        assert!(q.highlights("irrigation"));
        assert!(!q.highlights("seed"));
        assert_eq!(Parsed::new(" *\"\" ;; "), None);
    }

    #[test]
    fn markdown_is_indexed_as_the_text_its_readers_see() {
        assert_eq!(
            plain_text("# Title\n\nSome **bold** [link](http://x.example)"),
            "Title Some bold link"
        );
    }
}
