//! What the Snowball stemmers miss: irregular forms, and a few regular patterns of
//! each language's grammar that a suffix stripper cannot see (found by the tables in
//! `inflection_tables.rs`). Applied to every word, at indexing and at query time
//! alike, so a rule here can never make a word unfindable, only join families.

use rust_stemmers::Stemmer;
use selfdesk_shared::language::Language;

/// Irregular forms → the form the stemmer joins with the rest of the family. Common
/// words of people describing computer trouble; sorted for binary search.
const ENGLISH: &[(&str, &str)] = &[
    ("bought", "buy"),
    ("broke", "break"),
    ("broken", "break"),
    ("brought", "bring"),
    ("built", "build"),
    ("came", "come"),
    ("caught", "catch"),
    ("children", "child"),
    ("chose", "choose"),
    ("chosen", "choose"),
    ("did", "do"),
    ("done", "do"),
    ("drove", "drive"),
    ("fell", "fall"),
    ("felt", "feel"),
    ("forgot", "forget"),
    ("forgotten", "forget"),
    ("found", "find"),
    ("froze", "freeze"),
    ("frozen", "freeze"),
    ("gave", "give"),
    ("geese", "goose"),
    ("given", "give"),
    ("gone", "go"),
    ("got", "get"),
    ("gotten", "get"),
    ("had", "have"),
    ("has", "have"),
    ("held", "hold"),
    ("hid", "hide"),
    ("hidden", "hide"),
    ("indices", "index"),
    ("kept", "keep"),
    ("knew", "know"),
    ("known", "know"),
    ("led", "lead"),
    ("left", "leave"),
    ("lost", "lose"),
    ("made", "make"),
    ("media", "medium"),
    ("men", "man"),
    ("met", "meet"),
    ("mice", "mouse"),
    ("paid", "pay"),
    ("people", "person"),
    ("ran", "run"),
    ("rang", "ring"),
    ("rung", "ring"),
    ("said", "say"),
    ("sank", "sink"),
    ("saw", "see"),
    ("seen", "see"),
    ("sent", "send"),
    ("shook", "shake"),
    ("shut", "shut"),
    ("sold", "sell"),
    ("spent", "spend"),
    ("stole", "steal"),
    ("stolen", "steal"),
    ("stood", "stand"),
    ("stuck", "stick"),
    ("taken", "take"),
    ("taught", "teach"),
    ("teeth", "tooth"),
    ("thought", "think"),
    ("threw", "throw"),
    ("thrown", "throw"),
    ("told", "tell"),
    ("took", "take"),
    ("understood", "understand"),
    ("went", "go"),
    ("women", "woman"),
    ("won", "win"),
    ("wore", "wear"),
    ("worn", "wear"),
    ("written", "write"),
    ("wrote", "write"),
];

/// Genitive plurals with a fleeting vowel before a soft sign, which the rule in
/// [`russian`] does not cover.
const RUSSIAN: &[(&str, &str)] = &[
    ("писем", "письмо"),
    ("семей", "семья"),
    ("серег", "серьга"),
    ("статей", "статья"),
];

/// -ail nouns whose plural is -aux (Grevisse §516); the -al ones the stemmer joins.
const FRENCH: &[(&str, &str)] = &[
    ("baux", "bail"),
    ("coraux", "corail"),
    ("travaux", "travail"),
    ("vantaux", "vantail"),
    ("vitraux", "vitrail"),
];

/// Norwegian strong verbs' past forms.
const NORWEGIAN: &[(&str, &str)] = &[
    ("bedt", "be"),
    ("fikk", "få"),
    ("fløt", "flyte"),
    ("forsvant", "forsvinne"),
    ("frøs", "fryse"),
    ("gikk", "gå"),
    ("gjorde", "gjøre"),
    ("gjort", "gjøre"),
    ("glemte", "glemme"),
    ("gått", "gå"),
    ("hang", "henge"),
    ("lå", "ligge"),
    ("sa", "si"),
    ("sagt", "si"),
    ("skrev", "skrive"),
    ("skrevet", "skrive"),
    ("slo", "slå"),
    ("sluttet", "slutte"),
    ("sto", "stå"),
    ("tatt", "ta"),
    ("tok", "ta"),
    ("var", "være"),
    ("vært", "være"),
];

fn irregular(language: Language, word: &str) -> Option<&'static str> {
    let table = match language {
        Language::En => ENGLISH,
        Language::Ru => RUSSIAN,
        Language::Fr => FRENCH,
        Language::Nb => NORWEGIAN,
    };
    table
        .binary_search_by(|(form, _)| (*form).cmp(word))
        .ok()
        .map(|i| table[i].1)
}

/// The stem of one lower-case word, before folding.
pub fn stem(stemmer: &Stemmer, language: Language, lower: &str) -> String {
    let word = irregular(language, lower).unwrap_or(lower);
    match language {
        Language::En => stemmer.stem(word).into_owned(),
        Language::Ru => russian(stemmer, word),
        Language::Fr => stemmer.stem(french_singular(word)).into_owned(),
        Language::Nb => norwegian(stemmer, word),
    }
}

/// Snowball reads a final -ан/-ян as a verb ending, so «экран» loses its н while
/// «экрану» keeps it ("экра" / "экран"): such a word keeps its н. Then the fleeting
/// vowel of genitive plurals: «ошибок» / «ошибка», «настроек» / «настройка» — a stem
/// ending in -ок/-ек drops the vowel (й returns after another vowel). Applied to every
/// stem, so «блок» and «блока» still meet (as "блк").
fn russian(stemmer: &Stemmer, word: &str) -> String {
    let stem = stemmer.stem(word);
    let stem = if (word.ends_with("ан") || word.ends_with("ян"))
        && word.strip_suffix('н') == Some(stem.as_ref())
    {
        word
    } else {
        stem.as_ref()
    };
    let chars: Vec<char> = stem.chars().collect();
    let n = chars.len();
    if n >= 4 && chars[n - 1] == 'к' && matches!(chars[n - 2], 'о' | 'е') {
        let before = chars[n - 3];
        let mut out: String = chars[..n - 2].iter().collect();
        if chars[n - 2] == 'е' && "аеёиоуыэюя".contains(before) {
            out.push('й');
        }
        out.push('к');
        return out;
    }
    stem.to_owned()
}

/// Snowball keeps «connexion» but cuts «connexions» to "connex": plurals are made
/// singular first (the final -s, Grevisse §504), which the stemmer then treats alike.
fn french_singular(word: &str) -> &str {
    match word.strip_suffix('s') {
        Some(rest) if rest.chars().count() >= 3 && !rest.ends_with('s') => rest,
        _ => word,
    }
}

/// Norwegian Snowball strips one suffix per pass, so "skriveren" (the printer) stops
/// at "skriver" while "skriver" goes on to "skriv"; a second pass joins the family.
/// Before it, the definite plural -erne of -er nouns (skriverne) becomes -er, which
/// the stemmer cuts like the rest; after it, a final -mm (programmene → programm) is
/// single, as Norwegian never writes it at the end of a word (program, rom).
fn norwegian(stemmer: &Stemmer, word: &str) -> String {
    let word = match word.strip_suffix("erne") {
        Some(rest) if rest.chars().count() >= 3 => format!("{rest}er"),
        _ => word.to_owned(),
    };
    let once = stemmer.stem(&word);
    let mut twice = stemmer.stem(&once).into_owned();
    if twice.ends_with("mm") {
        twice.pop();
    }
    twice
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_for_binary_search() {
        for table in [ENGLISH, RUSSIAN, FRENCH, NORWEGIAN] {
            assert!(table.windows(2).all(|w| w[0].0 < w[1].0), "{table:?}");
        }
    }
}
