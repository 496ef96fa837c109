//! The words of a ticket's subject that say what it is about, for the insight's
//! "most frequent subject words": lower-case, each once, without words shorter than
//! three letters, numbers, and the commonest words of the four languages the portal
//! speaks (whatever language the ticket was filed in: people mix them).

use std::collections::HashSet;
use std::sync::OnceLock;

/// Words shorter than this (in characters) are left out: they are articles, elided
/// French words (l', qu') and abbreviations that say nothing alone.
pub const MIN_CHARS: usize = 3;

/// Small lists: the function words of each language that are three letters or more,
/// plus the words every help-desk subject has ("not", "working", "problem").
const STOP_WORDS: &[&str] = &[
    // English
    "the",
    "and",
    "for",
    "not",
    "but",
    "are",
    "was",
    "were",
    "with",
    "from",
    "this",
    "that",
    "these",
    "those",
    "have",
    "has",
    "had",
    "can",
    "cannot",
    "could",
    "does",
    "doesn",
    "don",
    "did",
    "didn",
    "isn",
    "won",
    "wont",
    "any",
    "all",
    "our",
    "your",
    "you",
    "they",
    "them",
    "their",
    "there",
    "what",
    "when",
    "where",
    "which",
    "who",
    "why",
    "how",
    "will",
    "would",
    "should",
    "into",
    "onto",
    "out",
    "off",
    "again",
    "since",
    "still",
    "just",
    "after",
    "before",
    "about",
    "please",
    "help",
    "need",
    "needs",
    "issue",
    "issues",
    "problem",
    "problems",
    "working",
    "work",
    "works",
    "anymore",
    "any",
    "get",
    "gets",
    "getting",
    "one",
    "some",
    "more",
    "too",
    "very",
    "also",
    "its",
    "than",
    "then",
    "now",
    "new",
    // Russian
    "что",
    "это",
    "как",
    "так",
    "для",
    "при",
    "или",
    "над",
    "под",
    "без",
    "уже",
    "ещё",
    "еще",
    "все",
    "всё",
    "его",
    "она",
    "они",
    "оно",
    "мой",
    "моя",
    "мое",
    "моё",
    "мои",
    "меня",
    "мне",
    "нас",
    "вас",
    "вам",
    "нет",
    "был",
    "была",
    "было",
    "были",
    "есть",
    "после",
    "перед",
    "когда",
    "где",
    "почему",
    "можно",
    "нужно",
    "надо",
    "помогите",
    "пожалуйста",
    "проблема",
    "проблемы",
    "работает",
    "работают",
    "не",
    "через",
    "только",
    "очень",
    "тоже",
    "также",
    "если",
    "чтобы",
    "этот",
    "эта",
    "эти",
    "того",
    // French
    "les",
    "des",
    "une",
    "est",
    "pas",
    "pour",
    "par",
    "sur",
    "dans",
    "avec",
    "sans",
    "mon",
    "mes",
    "ton",
    "tes",
    "son",
    "ses",
    "nos",
    "vos",
    "leur",
    "leurs",
    "qui",
    "que",
    "quoi",
    "mais",
    "donc",
    "car",
    "plus",
    "moins",
    "très",
    "tres",
    "aux",
    "elle",
    "ils",
    "elles",
    "nous",
    "vous",
    "suis",
    "sont",
    "été",
    "etre",
    "être",
    "avoir",
    "fait",
    "faire",
    "depuis",
    "encore",
    "toujours",
    "aide",
    "besoin",
    "problème",
    "probleme",
    "marche",
    "fonctionne",
    "plus",
    "cette",
    "ces",
    "cet",
    "quand",
    // Norwegian Bokmål
    "og",
    "ikke",
    "det",
    "den",
    "som",
    "med",
    "har",
    "var",
    "til",
    "fra",
    "for",
    "min",
    "mitt",
    "mine",
    "din",
    "ditt",
    "dine",
    "han",
    "hun",
    "vil",
    "kan",
    "skal",
    "må",
    "etter",
    "før",
    "når",
    "hvor",
    "hva",
    "hvorfor",
    "fungerer",
    "virker",
    "problem",
    "problemer",
    "hjelp",
    "trenger",
    "lenger",
    "igjen",
    "ennå",
    "enda",
    "også",
    "noen",
    "ingen",
    "alle",
    "eller",
    "men",
    "meg",
    "deg",
    "oss",
    "dem",
    "der",
    "her",
    "denne",
    "dette",
    "disse",
];

fn stop_words() -> &'static HashSet<&'static str> {
    static WORDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| STOP_WORDS.iter().copied().collect())
}

/// The words of `text`: runs of letters and digits, except that a hyphenated word
/// with a part under three letters is one word ("Wi-Fi" is "wifi", "e-mail" "email";
/// "print-server" stays "print" and "server").
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in text.split_whitespace() {
        let parts: Vec<&str> = crate::search::analyze::words(chunk).collect();
        let core = chunk.trim_matches(|c: char| !c.is_alphanumeric());
        let hyphenated = parts.len() > 1
            && core
                .split('-')
                .all(|p| !p.is_empty() && p.chars().all(char::is_alphanumeric));
        if hyphenated && parts.iter().any(|p| p.chars().count() < MIN_CHARS) {
            out.push(parts.concat().to_lowercase());
        } else {
            out.extend(parts.iter().map(|p| p.to_lowercase()));
        }
    }
    out
}

/// The subject's words worth counting, in their order, each once.
pub fn subject_words(subject: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    words(subject)
        .into_iter()
        .filter(|w| w.chars().count() >= MIN_CHARS)
        .filter(|w| !w.chars().all(|c| c.is_numeric()))
        .filter(|w| !stop_words().contains(w.as_str()))
        .filter(|w| seen.insert(w.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_common_and_repeated_words_are_left_out() {
        assert_eq!(
            subject_words("The VPN is not working again, VPN down since 9:00"),
            ["vpn", "down"]
        );
        assert_eq!(
            subject_words("L'imprimante du 3e étage ne marche plus"),
            ["imprimante", "étage"]
        );
        assert_eq!(
            subject_words("Принтер не печатает после обновления"),
            ["принтер", "печатает", "обновления"]
        );
        assert_eq!(
            subject_words("Skriveren virker ikke etter oppdatering"),
            ["skriveren", "oppdatering"]
        );
        assert_eq!(
            subject_words("Outlook 2021 crashes; OUTLOOK!"),
            ["outlook", "crashes"]
        );
        assert!(subject_words("it is on").is_empty());
        assert_eq!(
            subject_words("Wi-Fi drops; e-mail stuck"),
            ["wifi", "drops", "email", "stuck"]
        );
        assert_eq!(
            subject_words("print-server down"),
            ["print", "server", "down"]
        );
    }

    #[test]
    fn stop_words_are_written_as_the_subjects_are_read() {
        for word in STOP_WORDS {
            assert_eq!(word.to_lowercase(), *word);
            assert_eq!(subject_words(word).len(), 0, "{word}");
        }
    }
}
