//! Rendering untrusted Markdown (articles, ticket text) to HTML that is safe to insert
//! into the page. The reader's page and the technician's preview both use this one
//! function, so a preview shows exactly what readers will get.
//!
//! What it guarantees, whatever the input:
//! - raw HTML is never passed through: it is shown as text;
//! - a link or image whose URL has a scheme other than `http`, `https`, `mailto` or
//!   `tel` (images: `http`, `https` and raster `data:image/…`) is dropped, keeping
//!   its text; the scheme is read the way a browser reads it (entities decoded,
//!   control characters and white space ignored, any case);
//! - links to other sites open in a new tab with `rel="noopener noreferrer nofollow"`.
//!
//! It also gives headings stable anchors and collects them into a table of contents,
//! and turns GitHub-style alerts (`> [!WARNING]`) into labelled callouts.
//!
//! Ticket text ([`Images::LocalOnly`]) shows only images from the portal itself or
//! inline `data:`: a remote image would tell its owner the reader's address and when
//! they opened the ticket, so it becomes a link the reader may choose to follow.

use pulldown_cmark::{
    BlockQuoteKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html,
};

use crate::language::Language;

/// One heading, for a table of contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TocEntry {
    /// 2 for `##`, 3 for `###`, …
    pub level: u8,
    /// The heading's `id`, for `#fragment` links.
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
}

/// Callout titles in the reader's language (the renderer itself knows no language).
#[derive(Debug, Clone, Copy)]
pub struct CalloutLabels<'a> {
    pub note: &'a str,
    pub tip: &'a str,
    pub important: &'a str,
    pub warning: &'a str,
    pub caution: &'a str,
}

impl Default for CalloutLabels<'static> {
    fn default() -> Self {
        Self::for_language(Language::En)
    }
}

impl CalloutLabels<'static> {
    /// The titles in `language`. Kept here rather than in the app's catalogs: the
    /// server renders articles for readers and the app renders previews, and both
    /// must title a callout alike.
    pub const fn for_language(language: Language) -> Self {
        match language {
            Language::En => Self {
                note: "Note",
                tip: "Tip",
                important: "Important",
                warning: "Warning",
                caution: "Caution",
            },
            Language::Ru => Self {
                note: "Примечание",
                tip: "Совет",
                important: "Важно",
                warning: "Внимание",
                caution: "Осторожно",
            },
            Language::Fr => Self {
                note: "Remarque",
                tip: "Astuce",
                important: "Important",
                warning: "Attention",
                caution: "Prudence",
            },
            Language::Nb => Self {
                note: "Merk",
                tip: "Tips",
                important: "Viktig",
                warning: "Advarsel",
                caution: "Forsiktig",
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UrlUse {
    Link,
    Image,
}

/// What a URL is after checking: refused, or safe (and whether it leaves the site).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UrlVerdict {
    Refused,
    Local,
    External,
}

/// Reads the scheme as a browser would: entity-decoded already (pulldown-cmark did
/// that), then with ASCII white space and control characters removed, lower-cased.
fn check_url(url: &str, usage: UrlUse) -> UrlVerdict {
    // Browsers read `\` as `/` in these URLs, so `/\host/x` leaves the site too.
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .map(|c| if c == '\\' { '/' } else { c })
        .collect();
    let lower = cleaned.to_ascii_lowercase();
    let scheme_end = lower.find(':');
    let path_start = lower.find(['/', '?', '#']);
    let scheme = match (scheme_end, path_start) {
        (Some(colon), Some(slash)) if slash < colon => None,
        (Some(colon), _) => Some(&lower[..colon]),
        (None, _) => None,
    };
    match (scheme, usage) {
        // Protocol-relative `//host/x` leaves the site like an absolute URL does.
        (None, _) if lower.starts_with("//") => UrlVerdict::External,
        (None, _) => UrlVerdict::Local,
        (Some("http" | "https"), _) => UrlVerdict::External,
        (Some("mailto" | "tel"), UrlUse::Link) => UrlVerdict::Local,
        (Some("data"), UrlUse::Image) => {
            let raster = [
                "data:image/png",
                "data:image/jpeg",
                "data:image/gif",
                "data:image/webp",
            ];
            if raster.iter().any(|p| lower.starts_with(p)) {
                UrlVerdict::Local
            } else {
                UrlVerdict::Refused
            }
        }
        _ => UrlVerdict::Refused,
    }
}

fn escape_attr(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A URL-fragment-friendly id: lower-case letters and digits of any script, words
/// joined by `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.extend(word.chars().flat_map(char::to_lowercase));
    }
    if slug.is_empty() {
        "section".to_owned()
    } else {
        slug
    }
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Which images are shown as images.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Images {
    /// Any safe image (articles: written by staff).
    Any,
    /// Only the portal's own and inline ones; remote images become links (ticket
    /// text: written by anyone).
    LocalOnly,
}

/// Renders `markdown` to safe HTML with heading anchors and a table of contents.
pub fn render(markdown: &str, labels: &CalloutLabels<'_>) -> Rendered {
    render_with(markdown, labels, Images::Any)
}

/// Ticket text (a description, a reply, a reason) as the ticket's pages show it: safe
/// HTML with remote images as links ([`Images::LocalOnly`]), callouts titled in
/// `language`. The server renders it into every ticket view, so those pages load no
/// renderer; the form's and the reply box's previews run this same function in the
/// render worker, so a preview shows what the ticket will.
pub fn render_ticket_text(markdown: &str, language: Language) -> String {
    render_with(
        markdown,
        &CalloutLabels::for_language(language),
        Images::LocalOnly,
    )
    .html
}

/// [`render`], choosing which images are shown.
pub fn render_with(markdown: &str, labels: &CalloutLabels<'_>, images: Images) -> Rendered {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM;
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut toc = Vec::new();
    let mut used_ids: Vec<String> = Vec::new();
    // Headings are buffered so their text can name their anchor.
    let mut heading: Option<(u8, Vec<Event<'_>>)> = None;
    // For each open link: whether we replaced its tags (refused or external).
    let mut links: Vec<UrlVerdict> = Vec::new();
    let mut refused_images = 0usize;
    // A remote image turned into a link, still open: its address, and whether it had
    // alt text (without, the address is the link's text).
    let mut linked_image: Option<(String, bool)> = None;

    for event in Parser::new_ext(markdown, options) {
        if let Some((_, had_text)) = linked_image.as_mut()
            && matches!(event, Event::Text(_) | Event::Code(_))
        {
            *had_text = true;
        }
        let event = match event {
            // Raw HTML from the author is shown as the text it is.
            Event::Html(text) | Event::InlineHtml(text) => Event::Text(text),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match check_url(&dest_url, UrlUse::Link) {
                UrlVerdict::Refused => {
                    links.push(UrlVerdict::Refused);
                    continue;
                }
                UrlVerdict::External => {
                    links.push(UrlVerdict::External);
                    let title = if title.is_empty() {
                        String::new()
                    } else {
                        format!(" title=\"{}\"", escape_attr(&title))
                    };
                    Event::InlineHtml(CowStr::from(format!(
                        "<a href=\"{}\"{title} target=\"_blank\" rel=\"noopener noreferrer nofollow\">",
                        escape_attr(&dest_url)
                    )))
                }
                UrlVerdict::Local => {
                    links.push(UrlVerdict::Local);
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    })
                }
            },
            Event::End(TagEnd::Link) => match links.pop() {
                Some(UrlVerdict::Refused) => continue,
                Some(UrlVerdict::External) => Event::InlineHtml(CowStr::Borrowed("</a>")),
                _ => Event::End(TagEnd::Link),
            },
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let verdict = check_url(&dest_url, UrlUse::Image);
                if verdict == UrlVerdict::Refused || refused_images > 0 || linked_image.is_some() {
                    // The alt text stays, as plain text.
                    refused_images += 1;
                    continue;
                }
                if verdict == UrlVerdict::External && images == Images::LocalOnly {
                    // The alt text becomes the link's text.
                    linked_image = Some((dest_url.to_string(), false));
                    let text = if title.is_empty() {
                        String::new()
                    } else {
                        format!(" title=\"{}\"", escape_attr(&title))
                    };
                    // The class draws a picture mark before the text (CSS).
                    Event::InlineHtml(CowStr::from(format!(
                        "<a class=\"remote-image\" href=\"{}\"{text} target=\"_blank\" rel=\"noopener noreferrer nofollow\">",
                        escape_attr(&dest_url)
                    )))
                } else {
                    Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    })
                }
            }
            Event::End(TagEnd::Image) if refused_images > 0 => {
                refused_images -= 1;
                continue;
            }
            Event::End(TagEnd::Image) if linked_image.is_some() => match linked_image.take() {
                Some((url, false)) => {
                    Event::InlineHtml(CowStr::from(format!("{}</a>", escape_attr(&url))))
                }
                _ => Event::InlineHtml(CowStr::Borrowed("</a>")),
            },
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, label) = match kind {
                    BlockQuoteKind::Note => ("note", labels.note),
                    BlockQuoteKind::Tip => ("tip", labels.tip),
                    BlockQuoteKind::Important => ("important", labels.important),
                    BlockQuoteKind::Warning => ("warning", labels.warning),
                    BlockQuoteKind::Caution => ("caution", labels.caution),
                };
                Event::Html(CowStr::from(format!(
                    "<aside class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{}</p>\n",
                    escape_attr(label)
                )))
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => Event::Html(CowStr::Borrowed("</aside>\n")),
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((heading_number(level), Vec::new()));
                continue;
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some((level, inner)) = heading.take() else {
                    continue;
                };
                let text: String = inner
                    .iter()
                    .filter_map(|e| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                let base = slugify(&text);
                let mut id = base.clone();
                let mut n = 2;
                while used_ids.contains(&id) {
                    id = format!("{base}-{n}");
                    n += 1;
                }
                used_ids.push(id.clone());
                let mut inner_html = String::new();
                html::push_html(&mut inner_html, inner.into_iter());
                toc.push(TocEntry {
                    level,
                    id: id.clone(),
                    text: text.trim().to_owned(),
                });
                events.push(Event::Html(CowStr::from(format!(
                    "<h{level} id=\"{id}\">{inner_html}<a class=\"anchor\" href=\"#{id}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{level}>\n",
                    id = escape_attr(&id)
                ))));
                continue;
            }
            other => other,
        };
        match heading.as_mut() {
            Some((_, inner)) => inner.push(event),
            None => events.push(event),
        }
    }

    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    Rendered { html: out, toc }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        render(md, &CalloutLabels::default()).html
    }

    /// Hostile inputs and what must never appear in the output for each.
    const HOSTILE: &[(&str, &[&str])] = &[
        ("<script>alert(1)</script>", &["<script"]),
        ("<img src=x onerror=alert(1)>", &["<img"]),
        (
            "<iframe src=\"https://evil.example\"></iframe>",
            &["<iframe"],
        ),
        ("<a href=\"javascript:alert(1)\">x</a>", &["<a "]),
        ("text <b onclick=alert(1)>bold</b>", &["<b "]),
        ("<svg onload=alert(1)>", &["<svg"]),
        ("[x](javascript:alert(1))", &["javascript:", "href"]),
        ("[x](JaVaScRiPt:alert(1))", &["href"]),
        ("[x](java&#x09;script:alert(1))", &["href"]),
        ("[x](&#106;avascript:alert(1))", &["href"]),
        ("[x](<java script:alert(1)>)", &["href"]),
        ("[x](vbscript:msgbox(1))", &["href"]),
        (
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            &["href"],
        ),
        ("[x](file:///etc/passwd)", &["href"]),
        ("<javascript:alert(1)>", &["href"]),
        ("[x][r]\n\n[r]: javascript:alert(1)", &["href"]),
        ("![x](javascript:alert(1))", &["<img"]),
        (
            "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
            &["<img"],
        ),
        (
            "[x](https://a.example/\"onmouseover=\"alert(1))",
            &["\"onmouseover"],
        ),
        ("## <img src=x onerror=alert(1)>", &["<img"]),
        ("> [!WARNING]\n> <script>alert(1)</script>", &["<script"]),
        (
            "[![x](javascript:alert(1))](javascript:alert(2))",
            &["<img", "href"],
        ),
    ];

    #[test]
    fn hostile_inputs_are_neutralised() {
        for (input, forbidden) in HOSTILE {
            let out = html(input);
            for needle in *forbidden {
                assert!(
                    !out.contains(needle),
                    "input {input:?} produced {needle:?} in {out:?}"
                );
            }
        }
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        assert!(html("<script>alert(1)</script>").contains("&lt;script&gt;"));
    }

    #[test]
    fn refused_links_keep_their_text() {
        assert_eq!(html("[click me](javascript:alert(1))"), "<p>click me</p>\n");
        assert_eq!(
            html("![a screenshot](javascript:x)"),
            "<p>a screenshot</p>\n"
        );
    }

    #[test]
    fn safe_links_and_images_survive() {
        let out = html(
            "[docs](https://example.org/a?b=1) [home](/kb) [mail](mailto:it@example.org) [top](#steps)",
        );
        assert!(out.contains(
            "<a href=\"https://example.org/a?b=1\" target=\"_blank\" rel=\"noopener noreferrer nofollow\">docs</a>"
        ));
        assert!(out.contains("<a href=\"/kb\">home</a>"));
        assert!(out.contains("<a href=\"mailto:it@example.org\">mail</a>"));
        assert!(out.contains("<a href=\"#steps\">top</a>"));
        assert!(html("![s](/api/v1/images/1)").contains("<img src=\"/api/v1/images/1\" alt=\"s\""));
        assert!(
            html("![s](data:image/png;base64,iVBORw0KGgo=)").contains("<img src=\"data:image/png")
        );
    }

    #[test]
    fn ticket_text_shows_only_local_images_and_links_remote_ones() {
        let ticket = |md: &str| render_with(md, &CalloutLabels::default(), Images::LocalOnly).html;
        let out = ticket("![printer error](https://tracker.example/pixel.png \"t\")");
        assert!(!out.contains("<img"), "{out}");
        assert!(
            out.contains("<a class=\"remote-image\" href=\"https://tracker.example/pixel.png\" title=\"t\" target=\"_blank\" rel=\"noopener noreferrer nofollow\">"),
            "{out}"
        );
        assert!(out.contains("printer error</a>"), "{out}");
        // Protocol-relative is remote too, however the slashes are written; local
        // and inline images stay images.
        assert!(!ticket("![x](//tracker.example/p.png)").contains("<img"));
        assert!(!ticket("![x](/\\tracker.example/p.png)").contains("<img"));
        // Markdown reads a doubled backslash as one: this address is `\\tracker.example/…`.
        assert!(!ticket("![x](\\\\\\\\tracker.example/p.png)").contains("<img"));
        assert!(ticket("![s](/api/v1/images/1)").contains("<img src=\"/api/v1/images/1\""));
        assert!(ticket("![s](data:image/png;base64,iVBORw0KGgo=)").contains("<img"));
        // A remote image inside a link: no image, and the text is kept.
        let nested = ticket("[![x](https://t.example/a.png)](https://t.example/)");
        assert!(!nested.contains("<img"), "{nested}");
        // Without alt text the address names the link.
        let bare = ticket("![](https://t.example/a.png)");
        assert!(bare.contains(">https://t.example/a.png</a>"), "{bare}");
        // Articles keep remote images.
        assert!(html("![x](https://example.org/a.png)").contains("<img"));
    }

    #[test]
    fn ticket_text_is_neutralised_and_titled_in_its_language() {
        for (input, banned) in HOSTILE {
            let out = render_ticket_text(input, Language::En);
            for b in *banned {
                assert!(!out.contains(b), "{input:?} gave {out:?}");
            }
        }
        let out = render_ticket_text("> [!WARNING]\n> Unplug it first", Language::Fr);
        assert!(out.contains("Attention"), "{out}");
        assert!(
            !render_ticket_text("![x](https://t.example/a.png)", Language::En).contains("<img")
        );
    }

    #[test]
    fn headings_get_unique_anchors_and_a_toc() {
        let r = render(
            "## Check the cable\ntext\n## Check the cable\n### Принтер не печатает\n",
            &CalloutLabels::default(),
        );
        let ids: Vec<_> = r.toc.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "check-the-cable",
                "check-the-cable-2",
                "принтер-не-печатает"
            ]
        );
        assert_eq!(r.toc[2].level, 3);
        assert!(r.html.contains("<h2 id=\"check-the-cable\">Check the cable<a class=\"anchor\" href=\"#check-the-cable\""));
    }

    #[test]
    fn alerts_become_labelled_callouts() {
        let labels = CalloutLabels {
            warning: "Attention",
            ..CalloutLabels::default()
        };
        let out = render("> [!WARNING]\n> Do not unplug it.", &labels).html;
        assert!(out.starts_with("<aside class=\"callout callout-warning\" role=\"note\"><p class=\"callout-title\">Attention</p>"), "{out}");
        assert!(out.contains("Do not unplug it."));
        assert!(out.trim_end().ends_with("</aside>"));
    }

    #[test]
    fn steps_tables_and_code_render() {
        let out = html(
            "1. One\n2. Two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```text\nipconfig /release\n```\n",
        );
        assert!(
            out.contains("<ol>")
                && out.contains("<table>")
                && out.contains("<code class=\"language-text\">")
        );
    }
}
