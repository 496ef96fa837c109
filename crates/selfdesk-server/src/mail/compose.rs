//! One message written once and rendered twice: as plain text and as HTML. The texts
//! (`messages`) say what to write; this module only lays it out, escaping everything
//! for HTML, so no text — least of all what a requester or technician typed — can
//! become markup.

use serde::{Deserialize, Serialize};

/// A piece of a message body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A paragraph; line breaks in it are kept.
    Para(String),
    /// Someone's own words (a reply, a resolution summary), set apart.
    Quote(String),
    /// Label and value lines: ticket number, subject.
    Facts(Vec<(String, String)>),
    /// A sentence followed by its link.
    Link { label: String, url: String },
    /// The sign-off, after the signature separator.
    Signature(String),
}

/// One message, ready for the transport: the subject, and the body in both forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email {
    pub subject: String,
    pub body: String,
    /// The same text as HTML; `None` for plain-text-only messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    /// Where a reply goes: the help desk's address with the ticket's reply token
    /// (`mail_in`); `None` when no mailbox is read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
}

/// `colon` is the language's (French puts a space before it).
pub fn render(subject: String, blocks: &[Block], colon: &str, lang: &str) -> Email {
    Email {
        subject,
        body: text(blocks, colon),
        html: Some(html(blocks, colon, lang)),
        reply_to: None,
    }
}

fn text(blocks: &[Block], colon: &str) -> String {
    let mut out = String::new();
    for block in blocks {
        match block {
            Block::Para(p) => out.push_str(p),
            Block::Quote(q) => {
                let quoted: Vec<String> = q
                    .lines()
                    .map(|l| {
                        if l.is_empty() {
                            ">".to_owned()
                        } else {
                            format!("> {l}")
                        }
                    })
                    .collect();
                out.push_str(&quoted.join("\n"));
            }
            Block::Facts(facts) => {
                let lines: Vec<String> = facts
                    .iter()
                    .map(|(label, value)| format!("{label}{colon} {value}"))
                    .collect();
                out.push_str(&lines.join("\n"));
            }
            Block::Link { label, url } => {
                out.push_str(label);
                out.push('\n');
                out.push_str(url);
            }
            Block::Signature(s) => {
                out.push_str("-- \n");
                out.push_str(s);
            }
        }
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// Escapes text for HTML element content and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn with_breaks(text: &str) -> String {
    text.lines().map(escape).collect::<Vec<_>>().join("<br>\n")
}

fn html(blocks: &[Block], colon: &str, lang: &str) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"></head>\n<body style=\"font-family: sans-serif; line-height: 1.5; max-width: 40em\">\n",
        escape(lang)
    );
    for block in blocks {
        match block {
            Block::Para(p) => out.push_str(&format!("<p>{}</p>\n", with_breaks(p))),
            Block::Quote(q) => out.push_str(&format!(
                "<blockquote style=\"border-left: 3px solid #ccc; margin: 0; padding-left: 1em\">{}</blockquote>\n",
                with_breaks(q)
            )),
            Block::Facts(facts) => {
                let lines: Vec<String> = facts
                    .iter()
                    .map(|(label, value)| {
                        format!("{}{}&nbsp;<strong>{}</strong>", escape(label), escape(colon), escape(value))
                    })
                    .collect();
                out.push_str(&format!("<p>{}</p>\n", lines.join("<br>\n")));
            }
            Block::Link { label, url } => out.push_str(&format!(
                "<p>{}<br>\n<a href=\"{}\">{}</a></p>\n",
                escape(label),
                escape(url),
                escape(url)
            )),
            Block::Signature(s) => out.push_str(&format!(
                "<p style=\"color: #555\">{}</p>\n",
                with_breaks(s)
            )),
        }
    }
    out.push_str("</body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(typed: &str) -> Vec<Block> {
        vec![
            Block::Para(format!("Hello {typed},")),
            Block::Quote(format!("line one\n\n{typed}")),
            Block::Facts(vec![("Subject".into(), typed.into())]),
            Block::Link {
                label: "Open:".into(),
                url: "https://help.example.org/tickets/SD-1#access=a&b".into(),
            },
            Block::Signature("Selfdesk".into()),
        ]
    }

    #[test]
    fn text_quotes_replies_and_puts_links_on_their_own_line() {
        let email = render("S".into(), &sample("Ada"), ":", "en");
        assert_eq!(
            email.body,
            "Hello Ada,\n\n> line one\n>\n> Ada\n\nSubject: Ada\n\nOpen:\nhttps://help.example.org/tickets/SD-1#access=a&b\n\n-- \nSelfdesk\n"
        );
    }

    #[test]
    fn html_escapes_everything_typed() {
        let typed = "<script>alert(1)</script> & \"quotes\" <a href='x'>";
        let html = render("S".into(), &sample(typed), " :", "fr").html.unwrap();
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<a href='x'>"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"));
        assert!(html.contains("href=\"https://help.example.org/tickets/SD-1#access=a&amp;b\""));
        assert!(html.contains("<html lang=\"fr\">"));
        assert!(html.contains("Subject :&nbsp;"));
    }
}
