//! Known XSS payloads never survive into `bodyHtml`: no script element, no event-handler
//! attribute, no `javascript:`/`vbscript:`/`data:` URL, no `style`, `iframe`, `object`,
//! `embed`, `svg` or `form` element.

use serde_json::json;

use super::{START, world};

const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"javascript:alert(1)\">",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<a href=\"javascript:alert(1)\">click</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">click</a>",
    "<a href=\"&#106;avascript:alert(1)\">click</a>",
    "<a href=\"vbscript:msgbox(1)\">click</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">click</a>",
    "[click](javascript:alert(1))",
    "[click](  javascript:alert(1)  )",
    "![x](javascript:alert(1))",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<form action=\"javascript:alert(1)\"><button>go</button></form>",
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<a href=\"#\" onclick=\"alert(1)\">x</a>",
    "<p onmouseover=alert(1)>hover</p>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<link rel=stylesheet href=\"javascript:alert(1)\">",
    "<style>@import 'javascript:alert(1)';</style>",
    "<<script>script>alert(1)<</script>/script>",
];

fn unsafe_part(html: &str) -> Option<&'static str> {
    let lower = html.to_ascii_lowercase();
    let banned = [
        "<script",
        "javascript:",
        "vbscript:",
        "data:",
        " on",
        "<iframe",
        "<object",
        "<embed",
        "<svg",
        "<form",
        "<style",
        "style=",
        "<meta",
        "<base",
        "<link",
        "<math",
    ];
    banned.into_iter().find(|b| {
        // " on" only matters inside a tag: look for an attribute starting with "on".
        if *b == " on" {
            lower.split('<').skip(1).any(|tag| {
                let tag = tag.split('>').next().unwrap_or_default();
                tag.split_whitespace()
                    .skip(1)
                    .any(|attr| attr.starts_with("on"))
            })
        } else {
            lower.contains(b)
                && !(*b == "javascript:" && !lower.contains("href") && !lower.contains("src"))
        }
    })
}

#[tokio::test]
async fn no_known_xss_payload_survives_into_body_html() {
    let w = world().await;
    assert!(PAYLOADS.len() >= 20);
    let mut survived = Vec::new();
    for payload in PAYLOADS {
        let started = w
            .run(
                Some(&w.bob),
                START,
                json!({"s": w.open, "t": "xss", "b": payload}),
            )
            .await;
        started.ok();
        let html = started.str("/startThread/post/bodyHtml");
        if let Some(part) = unsafe_part(&html) {
            survived.push(format!("{payload:?} -> {html:?} ({part})"));
        }
    }
    assert!(
        survived.is_empty(),
        "unsafe HTML survived:\n{}",
        survived.join("\n")
    );
}

#[test]
fn the_checker_catches_unsafe_html_and_passes_safe_html() {
    for bad in [
        "<img src=\"x\" onerror=\"alert(1)\">",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<script>alert(1)</script>",
        "<p style=\"color:red\">x</p>",
        "<iframe src=\"https://example.org\"></iframe>",
    ] {
        assert!(unsafe_part(bad).is_some(), "{bad}");
    }
    for good in [
        "<p>hello <strong>world</strong></p>",
        "<p>javascript: is a word</p>",
        "<a href=\"https://example.org\" rel=\"noopener\">x</a>",
    ] {
        assert_eq!(unsafe_part(good), None, "{good}");
    }
}
