//! Markdown to safe HTML: CommonMark (plus tables, strikethrough, task lists) rendered by
//! pulldown-cmark, then cleaned by ammonia's allow-list sanitizer, which removes scripts,
//! event handlers, `style`, and any URL scheme but http(s), mailto and relative links. Links
//! get `rel="noopener noreferrer nofollow"`.

use std::collections::HashSet;

use ammonia::{Builder, UrlRelative};
use copnet_domain::event::MarkdownRenderer;
use pulldown_cmark::{Options, Parser, html};

/// The renderer.
pub struct Markdown {
    cleaner: Builder<'static>,
}

impl std::fmt::Debug for Markdown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Markdown")
    }
}

impl Default for Markdown {
    fn default() -> Self {
        let mut cleaner = Builder::default();
        cleaner
            .url_schemes(HashSet::from(["http", "https", "mailto"]))
            .url_relative(UrlRelative::PassThrough)
            .link_rel(Some("noopener noreferrer nofollow"))
            .add_tags(["input"])
            .add_tag_attribute_values("input", "type", ["checkbox"])
            .add_tag_attributes("input", ["checked", "disabled"]);
        Self { cleaner }
    }
}

impl MarkdownRenderer for Markdown {
    fn render(&self, markdown: &str) -> String {
        let options =
            Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
        let mut raw = String::with_capacity(markdown.len() * 3 / 2);
        html::push_html(&mut raw, Parser::new_ext(markdown, options));
        self.cleaner.clean(&raw).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_to_html() {
        let html =
            Markdown::default().render("# Title\n\n**bold** and [a link](https://example.org)");
        assert!(html.contains("<h1>Title</h1>"), "{html}");
        assert!(html.contains("<strong>bold</strong>"), "{html}");
        assert!(
            html.contains(r#"href="https://example.org""#) && html.contains("noopener"),
            "{html}"
        );
    }

    #[test]
    fn scripts_and_javascript_urls_never_survive() {
        let html =
            Markdown::default().render("<script>alert(1)</script>\n\n[x](javascript:alert(1))");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("href=\"javascript:"), "{html}");
    }
}
