//! The starter diagnostic flows, embedded from `seed/flows/<slug>.toml` — the same
//! TOML a technician imports or exports.

use anyhow::{Context, bail};
use include_dir::{Dir, include_dir};

use crate::db::Db;
use crate::flows::source::{Known, check};
use crate::store::flows;

static SEED: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/seed/flows");

/// `(slug, source)` of every seed flow, by slug.
pub fn sources() -> Vec<(String, String)> {
    let mut sources: Vec<(String, String)> = SEED
        .files()
        .filter_map(|f| {
            let slug = f.path().file_stem()?.to_str()?.to_owned();
            let source = f.contents_utf8()?.to_owned();
            f.path()
                .extension()
                .is_some_and(|e| e == "toml")
                .then_some((slug, source))
        })
        .collect();
    sources.sort();
    sources
}

/// Publishes the seed flows as version 1 when there are no flows yet (after the
/// knowledge base they link to).
pub async fn load_if_empty(db: &Db) -> anyhow::Result<()> {
    if flows::count(db).await? > 0 {
        return Ok(());
    }
    let sources = sources();
    let known = Known {
        articles: flows::published_article_slugs(db)
            .await?
            .into_iter()
            .collect(),
        categories: flows::category_slugs(db).await?.into_iter().collect(),
        flows: sources.iter().map(|(slug, _)| slug.clone()).collect(),
    };
    for (slug, source) in &sources {
        let (flow, problems) = check(source, slug, &known);
        if let Some(problem) = problems.first() {
            bail!("seed flow {slug}: {}", problem.message);
        }
        let flow = flow.context("a flow without problems parses")?;
        flows::publish(db, &flow, source, None).await?;
        tracing::info!(slug, "seeded diagnostic flow");
    }
    Ok(())
}
