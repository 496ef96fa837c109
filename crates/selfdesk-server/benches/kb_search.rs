//! Knowledge-base search latency at 10,000 articles × 4 languages (40,000 indexed
//! translations), measured on the function the search endpoint runs
//! (`search::search_kb`: query analysis, index lookup with typos and synonyms,
//! excerpts), with a query mix of which a quarter has a typo.
//!
//! `cargo bench -p selfdesk-server --bench kb_search` (SQLite file in a temp dir), or
//! with `SELFDESK_BENCH_POSTGRES_URL=postgres://…/db` for an empty PostgreSQL database.
//! Article text is generated from the seed articles' own sentences, topic by topic:
//! each generated article takes most of its sentences from one seed article and a
//! few from others, so, as in a real knowledge base, a word like "printer" is common
//! in printer articles and rare elsewhere, rather than in every document.

mod common;

use common::Rng;

use std::time::{Duration, Instant};

use selfdesk_server::config::DatabaseArgs;
use selfdesk_server::db;
use selfdesk_server::search::{Match, SearchIndex, search_kb};
use selfdesk_server::seed;
use selfdesk_server::store::kb::{self, TranslationText};
use selfdesk_shared::language::Language;

const ARTICLES: usize = 10_000;
const ROUNDS: usize = 30;

fn seed_sentences(lang: Language) -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seed/kb");
    let mut sentences = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let Ok(text) = std::fs::read_to_string(entry.path().join(format!("{}.md", lang.code())))
        else {
            continue;
        };
        let (_, body) = seed::kb::parse_article(&text).unwrap();
        sentences.extend(
            body.split_inclusive(['.', '\n'])
                .map(str::trim)
                .filter(|s| s.split_whitespace().count() >= 4)
                .map(str::to_owned),
        );
    }
    sentences
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let temp = tempfile::tempdir()?;
    let args = DatabaseArgs {
        data_dir: temp.path().to_owned(),
        database_url: std::env::var("SELFDESK_BENCH_POSTGRES_URL").ok(),
    };
    let db = db::connect(&args).await?;
    db::migrate(&db).await?;
    seed::kb::load_if_empty(&db).await?;
    let category = kb::category_id(&db, "printing")
        .await?
        .expect("seeded category");

    let started = Instant::now();
    let mut rng = Rng(0x5e1f_de5c);
    let corpora: Vec<(Language, Vec<String>)> = Language::ALL
        .iter()
        .map(|&l| (l, seed_sentences(l)))
        .collect();
    for i in 0..ARTICLES {
        let id = kb::upsert_article(&db, &format!("generated-{i}"), category, "published").await?;
        for (lang, sentences) in &corpora {
            let title: String = rng.pick(sentences).chars().take(70).collect();
            let summary = rng.pick(sentences).to_owned();
            let body: String = (0..25)
                .map(|_| rng.pick(sentences).as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let text = TranslationText {
                lang: *lang,
                title: &title,
                summary: &summary,
                body: &body,
                tags: &[],
            };
            kb::upsert_translation(&db, id, &text).await?;
        }
    }
    println!(
        "stored {ARTICLES} articles × 4 languages on {} in {:.1?}",
        db.backend(),
        started.elapsed()
    );
    // What a server does at start.
    let started = Instant::now();
    let index = SearchIndex::load(&db).await?;
    println!(
        "built the search index of {} translations in {:.1?}",
        index.len(),
        started.elapsed()
    );

    let queries: &[(&str, Language)] = &[
        ("printer not printing", Language::En),
        ("wifi no internet ", Language::En),
        ("password lock", Language::En),
        ("vpn", Language::En),
        ("принтер не печатает", Language::Ru),
        ("пароль ", Language::Ru),
        ("imprimante ", Language::Fr),
        ("réseau wi", Language::Fr),
        ("skriveren skriver ikke", Language::Nb),
        ("passord ", Language::Nb),
        ("экран ", Language::Ru),
        ("connexion vpn ", Language::Fr),
        // A quarter of the mix with a typo, as people type on a phone in a hurry.
        ("prnter not printing", Language::En),
        ("pasword ", Language::En),
        ("принтр ", Language::Ru),
        ("skrivren ", Language::Nb),
    ];
    // Warm the caches once, as a running server's would be.
    for (q, lang) in queries {
        search_kb(&db, &index, q, *lang, Match::All, 8).await?;
    }
    let mut samples: Vec<Duration> = Vec::with_capacity(ROUNDS * queries.len());
    let mut per_query: Vec<Vec<Duration>> = vec![Vec::new(); queries.len()];
    let mut hits = 0;
    for _ in 0..ROUNDS {
        for (i, (q, lang)) in queries.iter().enumerate() {
            let t = Instant::now();
            hits += search_kb(&db, &index, q, *lang, Match::All, 8)
                .await?
                .hits
                .len();
            samples.push(t.elapsed());
            per_query[i].push(t.elapsed());
        }
    }
    for ((q, lang), times) in queries.iter().zip(per_query.iter_mut()) {
        times.sort();
        println!(
            "  {:>3} {q:<28} median {:.2?}",
            lang.code(),
            times[times.len() / 2]
        );
    }
    // The ranking alone (no version check, text loading or excerpts), to show where
    // the time goes.
    let mut lookups: Vec<Duration> = Vec::new();
    for _ in 0..ROUNDS {
        for (q, lang) in queries {
            let t = Instant::now();
            std::hint::black_box(index.search(q, Match::All, *lang, 8));
            lookups.push(t.elapsed());
        }
    }
    lookups.sort();
    println!(
        "ranking only: p50 {:.2?}  p95 {:.2?}",
        lookups[lookups.len() / 2],
        lookups[lookups.len() * 95 / 100]
    );
    samples.sort();
    let pct = |p: f64| samples[((samples.len() as f64 * p).ceil() as usize).saturating_sub(1)];
    println!(
        "kb search ({} queries, {} hits): p50 {:.2?}  p95 {:.2?}  p99 {:.2?}  max {:.2?}  (budget p95 ≤ 10 ms)",
        samples.len(),
        hits,
        pct(0.50),
        pct(0.95),
        pct(0.99),
        samples[samples.len() - 1]
    );
    db.close().await;
    Ok(())
}
