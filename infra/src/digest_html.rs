//! A digest as an HTML fragment for e-mail: every text escaped, then the whole cleaned by
//! ammonia's allow-list (no scripts, styles, images or links to load), so the fragment is
//! self-contained and safe to paste into a newsletter.

use std::collections::HashSet;

use ammonia::{Builder, clean_text};

/// What the fragment shows, as plain text.
#[derive(Debug, Clone, Default)]
pub struct DigestView {
    /// The heading: the community's or network's name.
    pub title: String,
    /// The period, as the reader should read it.
    pub period: String,
    /// Threads: title, community name, posts in the period.
    pub threads: Vec<(String, String, u32)>,
    /// Assets: title, community name.
    pub assets: Vec<(String, String)>,
    /// Events: title, start (formatted).
    pub events: Vec<(String, String)>,
    /// New members: display name, community name.
    pub members: Vec<(String, String)>,
    /// How many joined in all.
    pub member_count: u64,
}

fn section(out: &mut String, heading: &str, items: &[String], empty: &str) {
    out.push_str(&format!("<h3>{}</h3>", clean_text(heading)));
    if items.is_empty() {
        out.push_str(&format!("<p>{}</p>", clean_text(empty)));
        return;
    }
    out.push_str("<ul>");
    for item in items {
        out.push_str(&format!("<li>{item}</li>"));
    }
    out.push_str("</ul>");
}

/// Renders the fragment.
pub fn render(view: &DigestView) -> String {
    let t = |s: &str| clean_text(s);
    let mut out = format!(
        "<section><h2>{}</h2><p>{}</p>",
        t(&view.title),
        t(&view.period)
    );
    let threads: Vec<String> = view
        .threads
        .iter()
        .map(|(title, community, n)| {
            let posts = if *n == 1 { "post" } else { "posts" };
            format!(
                "<strong>{}</strong> in {} ({n} {posts})",
                t(title),
                t(community)
            )
        })
        .collect();
    section(
        &mut out,
        "Most active discussions",
        &threads,
        "No discussions in this period.",
    );
    let assets: Vec<String> = view
        .assets
        .iter()
        .map(|(title, community)| format!("<strong>{}</strong> in {}", t(title), t(community)))
        .collect();
    section(
        &mut out,
        "New knowledge assets",
        &assets,
        "No new assets in this period.",
    );
    let events: Vec<String> = view
        .events
        .iter()
        .map(|(title, start)| format!("<strong>{}</strong>, {}", t(title), t(start)))
        .collect();
    section(&mut out, "Coming up", &events, "No events coming up.");
    let mut members: Vec<String> = view
        .members
        .iter()
        .map(|(name, community)| format!("{} joined {}", t(name), t(community)))
        .collect();
    let more = view.member_count.saturating_sub(view.members.len() as u64);
    if more > 0 {
        members.push(format!("and {more} more"));
    }
    section(
        &mut out,
        "New members",
        &members,
        "No new members in this period.",
    );
    out.push_str("</section>");
    Builder::default()
        .tags(HashSet::from([
            "section", "h2", "h3", "p", "ul", "li", "strong",
        ]))
        .clean(&out)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_looks_like_markup_is_shown_not_run() {
        let view = DigestView {
            title: "<script>alert(1)</script>Garden".into(),
            threads: vec![("<img src=x onerror=alert(1)>".into(), "G & co".into(), 2)],
            ..DigestView::default()
        };
        let html = render(&view);
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("G &amp; co (2 posts)"), "{html}");
    }
}
