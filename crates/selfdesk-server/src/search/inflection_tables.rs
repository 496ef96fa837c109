//! Every form of a word finds the others: pairs of forms of one word, taken from the
//! declension and conjugation tables of each language's grammar (not from what the
//! analyser happens to produce), each of which must analyse to a shared token.
//!
//! Sources of the forms: English — Quirk et al., *A Comprehensive Grammar of the
//! English Language* (regular and irregular plurals, -ing and past forms, irregular
//! verbs); Russian — Wade, *A Comprehensive Russian Grammar* (the six cases, singular
//! and plural, of the three declensions; present-tense conjugation); French —
//! Grevisse, *Le Bon Usage* (plurals in -s, -x, -aux, -eaux; elision of le/la/de/que;
//! past participles); Norwegian Bokmål — *Norsk referansegrammatikk* (the four forms
//! of masculine, feminine and neuter nouns: indefinite and definite, singular and
//! plural, including -ene/-erne; weak verbs' -er/-et/-te).

use selfdesk_shared::language::Language;

/// Every table with its language (the API tests search them on a real server too).
pub fn tables() -> [(Language, &'static [(&'static str, &'static str)]); 4] {
    [
        (Language::En, ENGLISH),
        (Language::Ru, RUSSIAN),
        (Language::Fr, FRENCH),
        (Language::Nb, NORWEGIAN),
    ]
}

/// (form a person may type, form an article may use).
pub const ENGLISH: &[(&str, &str)] = &[
    ("printers", "printer"),
    ("batteries", "battery"),
    ("connecting", "connected"),
    ("installs", "installed"),
    ("crashes", "crashed"),
    ("rebooting", "reboot"),
    ("updates", "updating"),
    ("passwords", "password"),
    ("copies", "copying"),
    ("stopped", "stops"),
    ("running", "runs"),
    ("mice", "mouse"),
    ("froze", "freezes"),
    ("forgot", "forget"),
    ("children", "child"),
    ("wrote", "write"),
    ("sent", "send"),
    ("lost", "losing"),
];

pub const RUSSIAN: &[(&str, &str)] = &[
    ("принтер", "принтера"),
    ("принтеру", "принтером"),
    ("принтере", "принтеры"),
    ("пароль", "пароля"),
    ("паролем", "пароли"),
    ("паролей", "пароль"),
    ("сеть", "сети"),
    ("сетью", "сетей"),
    ("компьютер", "компьютеров"),
    ("мышь", "мышью"),
    ("почта", "почты"),
    ("почту", "почтой"),
    ("клавиатура", "клавиатуру"),
    ("экран", "экране"),
    ("ошибка", "ошибки"),
    ("ошибок", "ошибку"),
    ("работает", "работают"),
    ("печатает", "печатать"),
    ("письмо", "писем"),
];

pub const FRENCH: &[(&str, &str)] = &[
    ("imprimante", "imprimantes"),
    ("l'imprimante", "imprimante"),
    ("réseau", "réseaux"),
    ("l'ordinateur", "ordinateurs"),
    ("d'écran", "écrans"),
    ("journal", "journaux"),
    ("travail", "travaux"),
    ("bureau", "bureaux"),
    ("clavier", "claviers"),
    ("connexion", "connexions"),
    ("connecté", "connectée"),
    ("connectés", "connecter"),
    ("imprimé", "imprimer"),
    ("fichier", "fichiers"),
    ("câble", "câbles"),
    ("qu'imprimer", "imprime"),
    ("nouveau", "nouveaux"),
    ("mot", "mots"),
];

pub const NORWEGIAN: &[(&str, &str)] = &[
    ("skriver", "skriveren"),
    ("skrivere", "skriverne"),
    ("skjerm", "skjermene"),
    ("skjermen", "skjermer"),
    ("passord", "passordene"),
    ("passordet", "passord"),
    ("datamaskin", "datamaskinene"),
    ("datamaskiner", "datamaskinen"),
    ("bruker", "brukerne"),
    ("lader", "laderne"),
    ("feil", "feilene"),
    ("program", "programmene"),
    ("programmet", "programmer"),
    ("fil", "filene"),
    ("nettverk", "nettverkene"),
    ("tastatur", "tastaturet"),
    ("logget", "logge"),
    ("koblet", "kobler"),
    ("musene", "mus"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::analyze::tokens;

    fn shared_token(a: &str, b: &str, language: Language) -> bool {
        let (a, b) = (tokens(a, language), tokens(b, language));
        a.iter().any(|t| b.contains(t))
    }

    fn check(table: &[(&str, &str)], language: Language) {
        assert!(table.len() >= 15, "at least 15 pairs per language");
        let failed: Vec<String> = table
            .iter()
            .filter(|(a, b)| !shared_token(a, b, language))
            .map(|(a, b)| {
                format!(
                    "{a} {:?} / {b} {:?}",
                    tokens(a, language),
                    tokens(b, language)
                )
            })
            .collect();
        assert!(failed.is_empty(), "{language:?}: {failed:#?}");
    }

    #[test]
    fn english_forms_find_each_other() {
        check(ENGLISH, Language::En);
    }

    #[test]
    fn russian_cases_find_each_other() {
        check(RUSSIAN, Language::Ru);
    }

    #[test]
    fn french_plurals_and_elisions_find_each_other() {
        check(FRENCH, Language::Fr);
    }

    #[test]
    fn norwegian_definite_and_plural_forms_find_each_other() {
        check(NORWEGIAN, Language::Nb);
    }
}
