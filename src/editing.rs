//! Edits of what is typed in the app's text boxes, as pure functions so they can be
//! tested on the host: the Markdown editor's toolbar, and a sent reply taken out of
//! its box (`unsent_rest`).
//!
//! Positions are UTF-16 code units, as a `<textarea>`'s `selectionStart` counts them;
//! they are converted to byte offsets here and back for the new selection.

/// What a toolbar button (or shortcut) does to the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Heading2,
    Heading3,
    Bold,
    Italic,
    BulletList,
    NumberedList,
    Link,
    Code,
    Warning,
}

/// The edited text and the selection to put back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub text: String,
    pub start: u32,
    pub end: u32,
}

fn byte_offset(text: &str, utf16: u32) -> usize {
    let mut units = 0u32;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16() as u32;
    }
    text.len()
}

fn utf16_len(text: &str) -> u32 {
    text.encode_utf16().count() as u32
}

/// Applies `format` to the selection `start..end`. With nothing selected, inline
/// formats insert `placeholder` and select it, so typing replaces it.
pub fn apply(text: &str, start: u32, end: u32, format: Format, placeholder: &str) -> Edit {
    let (start, end) = (start.min(end), start.max(end));
    let (a, b) = (byte_offset(text, start), byte_offset(text, end));
    let selected = &text[a..b];
    let wrap = |before: &str, after: &str| {
        let inner = if selected.is_empty() {
            placeholder
        } else {
            selected
        };
        let new_text = format!("{}{before}{inner}{after}{}", &text[..a], &text[b..]);
        let inner_start = start + utf16_len(before);
        Edit {
            text: new_text,
            start: inner_start,
            end: inner_start + utf16_len(inner),
        }
    };
    match format {
        Format::Bold => wrap("**", "**"),
        Format::Italic => wrap("_", "_"),
        Format::Code if selected.contains('\n') => wrap("```\n", "\n```"),
        Format::Code => wrap("`", "`"),
        Format::Link => {
            let label = if selected.is_empty() {
                placeholder
            } else {
                selected
            };
            let url = "https://";
            let new_text = format!("{}[{label}]({url}){}", &text[..a], &text[b..]);
            // Select the URL: the part still to be filled in.
            let url_start = start + utf16_len(label) + 3;
            Edit {
                text: new_text,
                start: url_start,
                end: url_start + utf16_len(url),
            }
        }
        Format::Heading2 => prefix_lines(text, a, b, |_| "## ".into()),
        Format::Heading3 => prefix_lines(text, a, b, |_| "### ".into()),
        Format::BulletList => prefix_lines(text, a, b, |_| "- ".into()),
        Format::NumberedList => prefix_lines(text, a, b, |i| format!("{}. ", i + 1)),
        Format::Warning => {
            let mut edit = prefix_lines(text, a, b, |_| "> ".into());
            let line_start = text[..a].rfind('\n').map_or(0, |i| i + 1);
            edit.text.insert_str(line_start, "> [!WARNING]\n");
            let added = utf16_len("> [!WARNING]\n");
            edit.start += added;
            edit.end += added;
            edit
        }
    }
}

/// Puts `prefix(i)` before each of the lines the selection touches; the selection
/// then covers those whole lines.
fn prefix_lines(text: &str, a: usize, b: usize, prefix: impl Fn(usize) -> String) -> Edit {
    let first = text[..a].rfind('\n').map_or(0, |i| i + 1);
    let last = text[b..].find('\n').map_or(text.len(), |i| b + i);
    let block: Vec<String> = text[first..last]
        .split('\n')
        .enumerate()
        .map(|(i, line)| format!("{}{line}", prefix(i)))
        .collect();
    let block = block.join("\n");
    let new_text = format!("{}{block}{}", &text[..first], &text[last..]);
    let start = utf16_len(&text[..first]);
    Edit {
        start,
        end: start + utf16_len(&block),
        text: new_text,
    }
}

/// Replaces the selection with `snippet` (an uploaded image's Markdown) and puts the
/// caret after it.
pub fn insert(text: &str, start: u32, end: u32, snippet: &str) -> Edit {
    let (a, b) = (
        byte_offset(text, start.min(end)),
        byte_offset(text, start.max(end)),
    );
    let new_text = format!("{}{snippet}{}", &text[..a], &text[b..]);
    let caret = start.min(end) + utf16_len(snippet);
    Edit {
        text: new_text,
        start: caret,
        end: caret,
    }
}

/// A slug suggested from a title: ASCII letters and digits joined by hyphens (titles
/// in other scripts give nothing, and the technician types one).
pub fn suggest_slug(title: &str) -> String {
    let mut slug = String::new();
    for word in title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if slug.len() + word.len() + 1 > 60 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word.to_ascii_lowercase());
    }
    slug
}

/// What stays in a reply box once `sent` has reached the server. The box is not locked
/// while a reply is on its way, so the person may have gone on writing: what came after
/// the sent text stays. A box rewritten meanwhile is left whole: what it holds was not
/// sent as it reads.
pub fn unsent_rest(now: &str, sent: &str) -> String {
    match now.strip_prefix(sent) {
        Some(rest) => rest.trim_start().to_owned(),
        None => now.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sent_reply_leaves_only_what_was_written_after_it() {
        assert_eq!(unsent_rest("Room 12.", "Room 12."), "");
        assert_eq!(unsent_rest("Room 12.\n\nAlso", "Room 12."), "Also");
        // Changed while it was on its way: nothing typed is lost.
        assert_eq!(unsent_rest("Room 14.", "Room 12."), "Room 14.");
        assert_eq!(unsent_rest("", "Room 12."), "");
    }

    #[test]
    fn bold_wraps_the_selection_or_a_placeholder() {
        let e = apply("make this loud", 5, 9, Format::Bold, "text");
        assert_eq!(e.text, "make **this** loud");
        assert_eq!((e.start, e.end), (7, 11));
        let e = apply("ab", 1, 1, Format::Bold, "text");
        assert_eq!(e.text, "a**text**b");
        assert_eq!((e.start, e.end), (3, 7));
    }

    #[test]
    fn positions_count_utf16_units_like_the_browser() {
        // "é" is one unit, "😀" two: selecting "принтер" after them.
        let text = "é😀 принтер";
        let e = apply(text, 4, 11, Format::Italic, "x");
        assert_eq!(e.text, "é😀 _принтер_");
        assert_eq!((e.start, e.end), (5, 12));
    }

    #[test]
    fn line_formats_prefix_every_selected_line() {
        let text = "intro\nfirst\nsecond\nend";
        let e = apply(text, 8, 14, Format::NumberedList, "");
        assert_eq!(e.text, "intro\n1. first\n2. second\nend");
        let e = apply("Title", 0, 0, Format::Heading2, "");
        assert_eq!(e.text, "## Title");
        let e = apply("Careful", 2, 2, Format::Warning, "");
        assert_eq!(e.text, "> [!WARNING]\n> Careful");
    }

    #[test]
    fn links_select_the_url_to_fill_in() {
        let e = apply("see docs", 4, 8, Format::Link, "link");
        assert_eq!(e.text, "see [docs](https://)");
        assert_eq!(&e.text[11..19], "https://");
        assert_eq!((e.start, e.end), (11, 19));
    }

    #[test]
    fn multi_line_code_becomes_a_block() {
        let e = apply("a\nb", 0, 3, Format::Code, "");
        assert_eq!(e.text, "```\na\nb\n```");
    }

    #[test]
    fn insert_replaces_the_selection() {
        let e = insert("ab", 1, 1, "![](/x.png)");
        assert_eq!(e.text, "a![](/x.png)b");
        assert_eq!((e.start, e.end), (12, 12));
    }

    #[test]
    fn slugs_from_titles() {
        assert_eq!(suggest_slug("Printer won't print!"), "printer-won-t-print");
        assert_eq!(suggest_slug("Принтер"), "");
    }
}
