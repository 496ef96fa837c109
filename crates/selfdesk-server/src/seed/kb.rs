//! The knowledge base's starter articles, embedded in the binary from `seed/kb/`:
//! `categories.toml`, and one folder per article with a Markdown file per language
//! whose TOML front matter (between `+++` lines) gives title, summary, category, tags.

use anyhow::{Context, bail};
use include_dir::{Dir, include_dir};
use selfdesk_shared::language::Language;
use serde::Deserialize;

use crate::db::Db;
use crate::store::kb::{self, NewCategory, TranslationText};

static SEED: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/seed/kb");

#[derive(Deserialize)]
struct Categories {
    category: Vec<CategoryEntry>,
}

#[derive(Deserialize)]
struct CategoryEntry {
    slug: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    position: i64,
    name: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
pub struct FrontMatter {
    pub title: String,
    pub summary: String,
    pub category: String,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// Splits `+++\n<toml>\n+++\n<markdown>`.
pub fn parse_article(text: &str) -> anyhow::Result<(FrontMatter, &str)> {
    let rest = text
        .strip_prefix("+++")
        .context("front matter must start with +++")?;
    let (front, body) = rest
        .split_once("\n+++")
        .context("front matter must end with +++")?;
    let front: FrontMatter = toml::from_str(front).context("front matter is not valid TOML")?;
    Ok((front, body.trim_start_matches(['\r', '\n'])))
}

/// Loads the starter content into an empty knowledge base.
pub async fn load_if_empty(db: &Db) -> anyhow::Result<()> {
    if kb::article_count(db).await? > 0 {
        return Ok(());
    }
    let categories: Categories = toml::from_str(
        SEED.get_file("categories.toml")
            .and_then(|f| f.contents_utf8())
            .context("seed/kb/categories.toml")?,
    )
    .context("parsing seed/kb/categories.toml")?;
    // Parents first: the file lists them before their children.
    for entry in &categories.category {
        let names = entry
            .name
            .iter()
            .filter_map(|(tag, name)| Some((Language::from_tag(tag)?, name.clone())))
            .collect();
        let parent = (!entry.parent.is_empty()).then_some(entry.parent.as_str());
        kb::upsert_category(
            db,
            &NewCategory {
                slug: &entry.slug,
                parent,
                position: entry.position,
                names,
            },
        )
        .await?;
    }
    let mut loaded = 0;
    for folder in SEED.dirs() {
        let slug = folder
            .path()
            .file_name()
            .and_then(|n| n.to_str())
            .context("article folder name")?;
        let mut article_id = None;
        for file in folder.files() {
            let name = file
                .path()
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let Some(lang) = name.strip_suffix(".md").and_then(Language::from_tag) else {
                continue;
            };
            let text = file
                .contents_utf8()
                .with_context(|| format!("{slug}/{name} is not UTF-8"))?;
            let (front, body) =
                parse_article(text).with_context(|| format!("seed article {slug}/{name}"))?;
            let Some(category_id) = kb::category_id(db, &front.category).await? else {
                bail!(
                    "seed article {slug}/{name}: unknown category {:?}",
                    front.category
                );
            };
            let id = match article_id {
                Some(id) => id,
                None => *article_id
                    .insert(kb::upsert_article(db, slug, category_id, "published").await?),
            };
            let text = TranslationText {
                lang,
                title: &front.title,
                summary: &front.summary,
                body,
                tags: &front.tags,
            };
            kb::upsert_translation(db, id, &text).await?;
        }
        loaded += 1;
    }
    tracing::info!(articles = loaded, "seeded the knowledge base");
    Ok(())
}

/// The slugs of the starter articles (their folder names).
pub fn article_slugs() -> Vec<String> {
    SEED.dirs()
        .filter_map(|d| d.path().file_name()?.to_str().map(str::to_owned))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_seed_article_parses_and_names_a_known_category() {
        let categories: Categories = toml::from_str(
            SEED.get_file("categories.toml")
                .unwrap()
                .contents_utf8()
                .unwrap(),
        )
        .unwrap();
        let known: Vec<&str> = categories
            .category
            .iter()
            .map(|c| c.slug.as_str())
            .collect();
        let mut english = 0;
        for folder in SEED.dirs() {
            for file in folder.files() {
                let (front, body) = parse_article(file.contents_utf8().unwrap())
                    .unwrap_or_else(|e| panic!("{}: {e:#}", file.path().display()));
                assert!(
                    known.contains(&front.category.as_str()),
                    "{}",
                    file.path().display()
                );
                assert!(!front.title.is_empty() && !front.summary.is_empty() && body.len() > 500);
                english += usize::from(file.path().ends_with("en.md"));
            }
        }
        assert!(
            english >= 12,
            "at least 12 English articles, found {english}"
        );
    }

    #[test]
    fn front_matter_errors_are_specific() {
        assert!(parse_article("no front matter").is_err());
        assert!(parse_article("+++\ntitle = \"x\"\n").is_err());
        let err = parse_article("+++\ntitle = 1\n+++\nbody").unwrap_err();
        assert!(format!("{err:#}").contains("TOML"));
    }
}
