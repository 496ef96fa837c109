//! What a person wrote in an email, told apart from what their mail program added: the
//! quoted history below (or between) their lines, the "On … wrote:" line that
//! introduces it, an Outlook-style original-message block, and the signature. Pure
//! text in, text out, in the four languages the help desk writes in.

/// The lines that introduce quoted history end like this ("On Mon, 6 Dec 2026 Selfdesk
/// <help@…> wrote:", "Le … a écrit :", "Den … skrev:", "… написал(а):").
const ATTRIBUTION_ENDINGS: &[&str] = &[
    "wrote:",
    "écrit :",
    "écrit:",
    "skrev:",
    "skrev følgende:",
    "написал:",
    "написала:",
    "написал(а):",
    "пишет:",
];

/// Outlook and friends put the original's headers under a line, in the reader's
/// language; a "From:" line followed closely by one of these starts that block.
const FROM_LABELS: &[&str] = &["from:", "de :", "de:", "fra:", "от:", "от кого:"];
const SENT_LABELS: &[&str] = &[
    "sent:",
    "date:",
    "envoyé :",
    "envoyé:",
    "sendt:",
    "dato:",
    "отправлено:",
    "дата:",
];

/// Phone programs' sign-offs, which are not part of what was said.
const SENT_FROM: &[&str] = &[
    "sent from my ",
    "envoyé de mon ",
    "sendt fra min ",
    "sendt fra ",
    "отправлено с ",
];

/// The new text of a reply: quoted lines dropped wherever they are (a reply written
/// between the quoted lines keeps its own), everything from an original-message block
/// or the signature separator on cut, blank lines at the ends trimmed.
pub fn new_text(body: &str) -> String {
    let body = body.replace("\r\n", "\n");
    let lines: Vec<&str> = body.lines().collect();
    let mut kept: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim();
        let lower = trimmed.to_lowercase();
        if starts_history(&lines, i) || is_signature(line) || sent_from(&lower) {
            break;
        }
        if trimmed.starts_with('>') {
            i += 1;
            continue;
        }
        if is_attribution(&lower) {
            // Gmail wraps a long attribution: drop the line before it too when it is
            // the start of the same sentence.
            if let Some(previous) = kept.last()
                && !previous.trim().is_empty()
                && !previous.trim_end().ends_with(['.', '!', '?'])
                && looks_like_attribution_start(previous)
            {
                kept.pop();
            }
            i += 1;
            continue;
        }
        kept.push(line);
        i += 1;
    }
    let text = kept.join("\n");
    // Runs of blank lines left where quotes were become one.
    let mut out = String::new();
    let mut blank = 0;
    for line in text.trim().lines() {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.trim().to_owned()
}

fn is_attribution(lower: &str) -> bool {
    ATTRIBUTION_ENDINGS.iter().any(|end| lower.ends_with(end))
}

fn looks_like_attribution_start(line: &str) -> bool {
    let lower = line.trim().to_lowercase();
    [
        "on ", "le ", "den ", "på ", "в ", "man ", "tir ", "ons ", "tor ",
    ]
    .iter()
    .any(|start| lower.starts_with(start))
        || lower.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// `-----Original Message-----` (in any language: dashes, words, dashes), Outlook's
/// line of underscores, or a From: line with a Sent:/Date: line just below.
fn starts_history(lines: &[&str], i: usize) -> bool {
    let trimmed = lines[i].trim();
    if trimmed.len() >= 10 && trimmed.chars().all(|c| c == '_') {
        return true;
    }
    if trimmed.starts_with("---") && trimmed.ends_with("---") {
        let words = trimmed.trim_matches('-').trim();
        if !words.is_empty() {
            return true;
        }
    }
    let lower = trimmed.to_lowercase();
    if FROM_LABELS.iter().any(|label| lower.starts_with(label)) {
        return lines.iter().skip(i + 1).take(3).any(|next| {
            let next = next.trim().to_lowercase();
            SENT_LABELS.iter().any(|label| next.starts_with(label))
        });
    }
    false
}

/// The usenet separator `-- ` (also without its space, as many programs trim it).
fn is_signature(line: &str) -> bool {
    line == "-- " || line.trim_end() == "--"
}

fn sent_from(lower: &str) -> bool {
    SENT_FROM.iter().any(|start| lower.starts_with(start)) && lower.len() < 60
}

/// Whether a reply to a resolved ticket says the problem is not solved, in any of the
/// four languages. Deliberately narrow: a thank-you that mentions what "did not work
/// before" should not reopen a ticket, so the phrases are those that deny the fix.
pub fn says_not_fixed(text: &str) -> bool {
    const PHRASES: &[&str] = &[
        // English
        "not fixed",
        "isn't fixed",
        "not solved",
        "not resolved",
        "still not",
        "still broken",
        "still doesn't",
        "still does not",
        "didn't fix",
        "did not fix",
        "didn't help",
        "did not help",
        "doesn't work",
        "does not work",
        "not-fixed",
        // French
        "pas réglé",
        "pas résolu",
        "pas corrigé",
        "pas réparé",
        "toujours pas",
        "ne fonctionne pas",
        "ne marche pas",
        "n'a pas aidé",
        // Norwegian Bokmål
        "ikke fikset",
        "ikke løst",
        "ikke ordnet",
        "virker ikke",
        "fungerer ikke",
        "fortsatt ikke",
        "fremdeles ikke",
        "hjalp ikke",
        // Russian
        "не исправ",
        "не решен",
        "не решён",
        "не работает",
        "не помогло",
        "всё ещё не",
        "все еще не",
        "по-прежнему не",
    ];
    let lower = text.to_lowercase().replace('’', "'");
    PHRASES.iter().any(|phrase| lower.contains(phrase))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gmail_top_posting_keeps_only_the_new_text() {
        let body = "It works now, thanks!\r\n\r\nOn Sun, Dec 6, 2026 at 9:00 AM Selfdesk <help@example.org>\r\nwrote:\r\n\r\n> Ticket SD-2026-000001\r\n> We replied.\r\n";
        assert_eq!(new_text(body), "It works now, thanks!");
        let one_line = "Merci\n\nLe dim. 6 déc. 2026 à 09:00, Selfdesk <help@example.org> a écrit :\n> Bonjour\n";
        assert_eq!(new_text(one_line), "Merci");
    }

    #[test]
    fn interleaved_answers_are_kept_and_quotes_dropped() {
        let body = "> Which printer?\nThe one on floor 2.\n> Is it on?\nYes.\n";
        assert_eq!(new_text(body), "The one on floor 2.\nYes.");
    }

    #[test]
    fn outlook_blocks_and_signatures_are_cut() {
        let outlook =
            "Still broken.\n\n-----Original Message-----\nFrom: Selfdesk\nSent: Sunday\n\nOld text";
        assert_eq!(new_text(outlook), "Still broken.");
        let headers = "Det virker ikke.\n\nFra: Selfdesk <help@example.org>\nSendt: søndag 6. desember\nTil: Ada\n\nOld";
        assert_eq!(new_text(headers), "Det virker ikke.");
        let underscores = "Ok\n________________________________\nFrom: x";
        assert_eq!(new_text(underscores), "Ok");
        let signed = "Printer is fine.\n\n-- \nAda Lovelace\nAccounting\n";
        assert_eq!(new_text(signed), "Printer is fine.");
        let phone = "Yes\n\nSent from my iPhone\n\n> quoted";
        assert_eq!(new_text(phone), "Yes");
        let russian = "Не работает.\n\n6 дек. 2026 г., в 9:00, Selfdesk <help@example.org> написал(а):\n> Текст";
        assert_eq!(new_text(russian), "Не работает.");
    }

    #[test]
    fn not_fixed_in_four_languages_and_not_in_thanks() {
        for text in [
            "It is still not working",
            "Sorry, this is not fixed.",
            "Ça ne marche pas",
            "Det virker ikke",
            "Всё ещё не работает",
            "It doesn’t work",
        ] {
            assert!(says_not_fixed(text), "{text}");
        }
        for text in [
            "Thanks, works now!",
            "Merci, c'est réglé",
            "Takk!",
            "Спасибо, всё работает",
        ] {
            assert!(!says_not_fixed(text), "{text}");
        }
    }
}
