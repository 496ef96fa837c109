//! The words of the demo history, from `seed/history.toml`, and the small random
//! number generator that chooses among them.

use std::collections::BTreeMap;

use anyhow::Context;
use selfdesk_shared::flows::StockAnswer;
use selfdesk_shared::language::Language;
use serde::Deserialize;

static SOURCE: &str = include_str!("../../../seed/history.toml");

/// The labels of the answers every flow shares, as the app shows them (its catalogs).
static LOCALES: [(Language, &str); 4] = [
    (Language::En, include_str!("../../../../../locales/en.json")),
    (Language::Ru, include_str!("../../../../../locales/ru.json")),
    (Language::Fr, include_str!("../../../../../locales/fr.json")),
    (Language::Nb, include_str!("../../../../../locales/nb.json")),
];

#[derive(Debug, Deserialize)]
pub struct Content {
    pub problems: Vec<Problem>,
    pub texts: BTreeMap<String, Texts>,
    pub staff: StaffTexts,
    pub gaps: BTreeMap<String, Vec<String>>,
    pub outage: IncidentText,
    pub open_incident: IncidentText,
    pub people: BTreeMap<String, Names>,
    /// Stock answer labels per language, from the app's catalogs.
    #[serde(skip)]
    pub stock: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize)]
pub struct Problem {
    pub key: String,
    pub category: String,
    #[serde(default)]
    pub article: Option<String>,
    #[serde(default)]
    pub application: Option<String>,
    #[serde(default)]
    pub printer: Option<String>,
    pub weight: u32,
    /// Only reported during the outage.
    #[serde(default)]
    pub incident: bool,
    pub en: ProblemText,
    pub ru: ProblemText,
    pub fr: ProblemText,
    pub nb: ProblemText,
}

impl Problem {
    pub fn text(&self, lang: Language) -> &ProblemText {
        match lang {
            Language::En => &self.en,
            Language::Ru => &self.ru,
            Language::Fr => &self.fr,
            Language::Nb => &self.nb,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct ProblemText {
    pub subject: String,
    pub description: String,
    pub searches: Vec<String>,
    pub fix: String,
}

/// What requesters and technicians write, in one language.
#[derive(Debug, Deserialize)]
pub struct Texts {
    pub again: String,
    pub first_reply: Vec<String>,
    pub question: Vec<String>,
    pub answer: Vec<String>,
    pub follow_up: Vec<String>,
    pub escalation: Vec<String>,
    pub escalation_3: Vec<String>,
    pub send_back: Vec<String>,
    pub reopen: Vec<String>,
    pub no_answer_fix: String,
    pub later_reply: Vec<String>,
    pub good: Vec<String>,
    pub medium: Vec<String>,
    pub low: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct StaffTexts {
    pub notes: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct IncidentText {
    pub title: String,
    pub description: String,
    #[serde(default)]
    pub closing: String,
}

#[derive(Debug, Deserialize)]
pub struct Names {
    pub first: Vec<String>,
    pub last: Vec<String>,
    /// Latin spellings for the email address, when the names are in another script.
    #[serde(default)]
    pub latin_first: Vec<String>,
    #[serde(default)]
    pub latin_last: Vec<String>,
}

impl Content {
    pub fn load() -> anyhow::Result<Content> {
        let mut content: Content = toml::from_str(SOURCE).context("parsing seed/history.toml")?;
        for (lang, source) in LOCALES {
            let catalog: BTreeMap<String, serde_json::Value> =
                serde_json::from_str(source).context("parsing a locale catalog")?;
            let labels = StockAnswer::ALL
                .into_iter()
                .map(|answer| {
                    let key = format!("walk_{}", answer.id());
                    let label = catalog
                        .get(&key)
                        .and_then(|v| v.as_str())
                        .unwrap_or(answer.english())
                        .to_owned();
                    (answer.id().to_owned(), label)
                })
                .collect();
            content.stock.insert(lang.code().to_owned(), labels);
        }
        for lang in Language::ALL {
            anyhow::ensure!(
                content.texts.contains_key(lang.code())
                    && content.people.contains_key(lang.code())
                    && content.gaps.contains_key(lang.code()),
                "seed/history.toml lacks texts, people or gaps in {}",
                lang.code()
            );
        }
        Ok(content)
    }

    pub fn texts(&self, lang: Language) -> &Texts {
        &self.texts[lang.code()]
    }

    /// A stock answer's label in `lang`, as the app shows it.
    pub fn stock_label(&self, lang: Language, answer: StockAnswer) -> String {
        self.stock
            .get(lang.code())
            .and_then(|labels| labels.get(answer.id()))
            .cloned()
            .unwrap_or_else(|| answer.english_label())
    }
}

/// xorshift64*: a few lines, the same numbers on every machine, and no dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// 0 to `n - 1` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// `lo` to `hi`, both included.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + (self.next_u64() % (hi - lo + 1) as u64) as i64
    }

    /// A number in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index chosen with the given weights (the last one if all are 0).
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        if total == 0 {
            return weights.len().saturating_sub(1);
        }
        let mut left = self.next_u64() % total;
        for (i, &w) in weights.iter().enumerate() {
            if left < u64::from(w) {
                return i;
            }
            left -= u64::from(w);
        }
        weights.len() - 1
    }

    /// A random id of the shape browsers make (32 hex digits): a valid session,
    /// search, walk or voter id.
    pub fn id(&mut self) -> String {
        format!("{:016x}{:016x}", self.next_u64(), self.next_u64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_reads_in_every_language() {
        let content = Content::load().unwrap();
        assert!(content.problems.len() >= 20);
        for problem in &content.problems {
            for lang in Language::ALL {
                let text = problem.text(lang);
                assert!(
                    !text.subject.is_empty() && !text.searches.is_empty(),
                    "{}",
                    problem.key
                );
                assert!(problem.incident || !text.fix.is_empty(), "{}", problem.key);
            }
        }
        assert_eq!(
            content.stock_label(Language::Fr, StockAnswer::Fixed),
            "C'est réglé"
        );
    }

    #[test]
    fn the_generator_repeats_itself_and_stays_in_range() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        for _ in 0..1000 {
            assert_eq!(a.next_u64(), b.next_u64());
            let r = a.range(3, 5);
            assert!((3..=5).contains(&r));
            b.range(3, 5);
            assert!(a.unit() < 1.0);
            b.unit();
        }
        assert!(selfdesk_shared::self_service::valid_session(&a.id()));
    }
}
