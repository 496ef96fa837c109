//! Knowledge base, technician side: drafts, revisions, publishing, images and article
//! statistics — the wire types, and the rules the editor and the server both apply
//! (the editor checks before sending; the server checks again with the same code).

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Reason};
use crate::kb::VoteReason;
use crate::language::Language;
use crate::slug::Slug;

/// Where an article is in its life. Readers see only `published` articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ArticleStatus {
    /// Never published; only staff see it.
    Draft,
    Published,
    /// Hidden from readers; can be published again.
    Archived,
}

impl ArticleStatus {
    pub const ALL: [ArticleStatus; 3] = [Self::Draft, Self::Published, Self::Archived];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Archived => "archived",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// The allowed moves: draft → published → archived → published again. A draft can
    /// also be archived (abandoned). Nothing goes back to draft: once readers have seen
    /// an article, taking it down is archiving, and every edit is a draft revision
    /// anyway.
    pub const fn can_change_to(self, to: ArticleStatus) -> bool {
        matches!(
            (self, to),
            (Self::Draft, Self::Published)
                | (Self::Draft, Self::Archived)
                | (Self::Published, Self::Archived)
                | (Self::Archived, Self::Published)
        )
    }
}

/// One article in the staff list: every status, with what tells a stale article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffArticleSummary {
    pub slug: Slug,
    /// The newest English title, else the newest in another language.
    pub title: String,
    /// The category readers see it in (changes when a revision is published).
    pub category: String,
    pub status: ArticleStatus,
    /// Languages with at least one revision.
    pub languages: Vec<Language>,
    /// Languages whose text readers see (when the article is published).
    pub published_languages: Vec<Language>,
    /// When what readers see last changed (Unix seconds).
    pub updated_at: i64,
    /// When any revision was last saved (Unix seconds).
    pub last_edited_at: i64,
    pub views: i64,
    pub helpful: i64,
    pub not_helpful: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffArticleList {
    pub articles: Vec<StaffArticleSummary>,
}

/// Sort orders of the staff list; each is descending (largest, newest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StaffArticleSort {
    #[default]
    UpdatedAt,
    LastEditedAt,
    Views,
    NotHelpful,
}

/// One language of an article, as the editor needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffTranslation {
    pub lang: Language,
    /// The newest revision: what the editor opens.
    pub latest: Revision,
    /// The revision readers see in this language, if one was ever published.
    pub published_revision: Option<i64>,
    /// Unix seconds.
    pub published_at: Option<i64>,
}

/// An article with every language's newest revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffArticle {
    pub slug: Slug,
    /// The category readers see it in; a revision's own `category` takes over when
    /// that revision is published.
    pub category: String,
    pub status: ArticleStatus,
    /// Unix seconds.
    pub created_at: i64,
    /// When what readers see last changed (Unix seconds).
    pub updated_at: i64,
    pub views: i64,
    pub translations: Vec<StaffTranslation>,
}

/// `POST /api/v1/staff/kb/articles`: a new article, as a draft with its first revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateArticleRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[a-z0-9][a-z0-9-]{1,78}[a-z0-9]$")
    )]
    pub slug: String,
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S"))]
    pub category: String,
    /// `en`, `ru`, `fr` or `nb`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(en|ru|fr|nb)$"))]
    pub lang: String,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    /// Markdown.
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// `POST …/articles/{slug}/revisions`: saves a new revision of one language. Readers
/// see nothing of it until it is published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaveRevisionRequest {
    /// `en`, `ru`, `fr` or `nb`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(en|ru|fr|nb)$"))]
    pub lang: String,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    /// Markdown.
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S"))]
    pub category: String,
    /// The revision the editor started from; `null` when starting a language that has
    /// none. When someone saved a newer one meanwhile, the save is refused (409) rather
    /// than silently overwriting their work.
    #[serde(default)]
    pub base_revision: Option<i64>,
}

/// `PATCH …/articles/{slug}`: a new slug (readers' links change with it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RenameArticleRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[a-z0-9][a-z0-9-]{1,78}[a-z0-9]$")
    )]
    pub slug: String,
}

/// A revision without its text, for the history list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevisionSummary {
    /// 1, 2, 3, … per article and language.
    pub number: i64,
    pub lang: Language,
    pub title: String,
    pub category: String,
    /// `null` for text that predates revisions (seeded or imported articles).
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
    /// Set when this revision restored an older one.
    pub restored_from: Option<i64>,
}

/// One saved version of an article's text in one language. Revisions never change:
/// restoring an old one saves a copy as the newest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Revision {
    pub number: i64,
    pub lang: Language,
    pub title: String,
    pub summary: String,
    /// Markdown.
    pub body: String,
    pub tags: Vec<String>,
    pub category: String,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
    pub restored_from: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevisionList {
    pub slug: Slug,
    pub lang: Language,
    /// The revision readers see in this language, if any.
    pub published_revision: Option<i64>,
    /// Newest first.
    pub revisions: Vec<RevisionSummary>,
}

/// `PUT …/articles/{slug}/status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusChange {
    pub status: ArticleStatus,
}

/// `POST …/articles/{slug}/publish`: readers get this revision's text in `lang`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishRequest {
    #[cfg_attr(feature = "openapi", schema(pattern = "^(en|ru|fr|nb)$"))]
    pub lang: String,
    pub revision: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReasonCount {
    pub reason: VoteReason,
    pub count: i64,
}

/// A reader's comment on a "did not help" vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoteComment {
    /// The language the reader read the article in.
    pub lang: Language,
    pub reason: Option<VoteReason>,
    pub comment: String,
    /// Unix seconds.
    pub at: i64,
}

/// How an article is doing with readers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleStats {
    pub slug: Slug,
    pub status: ArticleStatus,
    /// Unix seconds.
    pub updated_at: i64,
    pub views: i64,
    pub helpful: i64,
    pub not_helpful: i64,
    /// Reasons given with "did not help", most frequent first.
    pub reasons: Vec<ReasonCount>,
    /// The newest comments, newest first (at most [`MAX_STATS_COMMENTS`]).
    pub comments: Vec<VoteComment>,
}

/// How many comments the statistics carry.
pub const MAX_STATS_COMMENTS: usize = 20;

/// The answer to an image upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImageUploaded {
    /// Site-relative and content-addressed: `/api/v1/kb/images/<sha256>.<ext>`.
    pub url: String,
    /// `![](url)`, ready to paste into the article.
    pub markdown: String,
}

// ---- Rules -------------------------------------------------------------------------

pub const MIN_SLUG_CHARS: usize = 3;
pub const MAX_SLUG_CHARS: usize = 80;
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_SUMMARY_CHARS: usize = 500;
/// Long enough for any how-to; a longer text should be split into articles.
pub const MAX_BODY_CHARS: usize = 100_000;
pub const MAX_TAGS: usize = 20;
pub const MAX_TAG_CHARS: usize = 40;
/// Screenshots fit comfortably; the images live in the database.
pub const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;

fn slug_error() -> FieldError {
    FieldError::new(
        "slug",
        Reason::SlugFormat {
            min: MIN_SLUG_CHARS as u32,
            max: MAX_SLUG_CHARS as u32,
        },
    )
}

/// A slug is part of readers' URLs: 3 to 80 of `a-z`, `0-9` and `-`, starting and
/// ending with a letter or digit. Checked as given, not trimmed or lower-cased: the
/// editor should show the technician the slug that will be used.
pub fn check_slug(slug: &str) -> Result<(), FieldError> {
    let len = slug.chars().count();
    if !(MIN_SLUG_CHARS..=MAX_SLUG_CHARS).contains(&len) {
        return Err(slug_error().because(format!(
            "Slug must have {MIN_SLUG_CHARS} to {MAX_SLUG_CHARS} characters"
        )));
    }
    if !slug
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(
            slug_error().because("Slug may contain only lowercase letters a-z, digits and hyphens")
        );
    }
    if slug.starts_with('-') || slug.ends_with('-') {
        return Err(slug_error().because("Slug must start and end with a letter or digit"));
    }
    Ok(())
}

/// An article language: exactly one of the supported codes (unlike a reader's
/// `?lang=`, which falls back to English, a text must not land in a language by
/// accident).
pub fn check_lang(code: &str) -> Result<Language, FieldError> {
    Language::ALL
        .into_iter()
        .find(|l| l.code() == code)
        .ok_or_else(|| FieldError::new("lang", Reason::NotLanguage))
}

/// Trimmed; 1 to 200 characters on one line.
pub fn check_title(title: &str) -> Result<String, FieldError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(FieldError::new("title", Reason::Required).because("Title must not be empty"));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(
            FieldError::new("title", Reason::too_long(MAX_TITLE_CHARS)).because(format!(
                "Title must have at most {MAX_TITLE_CHARS} characters"
            )),
        );
    }
    if title.chars().any(char::is_control) {
        return Err(FieldError::new("title", Reason::OneLine).because("Title must fit on one line"));
    }
    Ok(title.to_owned())
}

/// Trimmed; may be empty while drafting.
pub fn check_summary(summary: &str) -> Result<String, FieldError> {
    let summary = summary.trim();
    if summary.chars().count() > MAX_SUMMARY_CHARS {
        return Err(
            FieldError::new("summary", Reason::too_long(MAX_SUMMARY_CHARS)).because(format!(
                "Summary must have at most {MAX_SUMMARY_CHARS} characters"
            )),
        );
    }
    Ok(summary.to_owned())
}

/// Markdown, at most 100,000 characters (counted as characters, not bytes).
pub fn check_body(body: &str) -> Result<(), FieldError> {
    let count = body.chars().count();
    if count > MAX_BODY_CHARS {
        return Err(
            FieldError::new("body", Reason::too_long(MAX_BODY_CHARS)).because(format!(
                "Article text must have at most {MAX_BODY_CHARS} characters; it has {count}"
            )),
        );
    }
    Ok(())
}

/// Trimmed, empty ones dropped, duplicates removed (first spelling kept). Tags are
/// stored comma-separated, so a tag cannot contain a comma.
pub fn check_tags(tags: &[String]) -> Result<Vec<String>, FieldError> {
    let mut kept: Vec<String> = Vec::new();
    for tag in tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        if tag.chars().count() > MAX_TAG_CHARS {
            return Err(
                FieldError::new("tags", Reason::too_long(MAX_TAG_CHARS)).because(format!(
                    "Each tag must have at most {MAX_TAG_CHARS} characters"
                )),
            );
        }
        if tag.contains(',') || tag.chars().any(char::is_control) {
            return Err(FieldError::new("tags", Reason::BadFormat)
                .because("A tag cannot contain commas or line breaks"));
        }
        if !kept.iter().any(|k| k.eq_ignore_ascii_case(tag)) {
            kept.push(tag.to_owned());
        }
    }
    if kept.len() > MAX_TAGS {
        return Err(FieldError::new("tags", Reason::too_many(MAX_TAGS))
            .because(format!("An article can have at most {MAX_TAGS} tags")));
    }
    Ok(kept)
}

/// The category's existence is the server's to check; here only that one was chosen.
pub fn check_category(category: &str) -> Result<(), FieldError> {
    if category.trim().is_empty() {
        return Err(FieldError::new("category", Reason::Required).because("Choose a category"));
    }
    Ok(())
}

/// An article's text in one language after checking: what a revision stores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleText {
    pub lang: Language,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub tags: Vec<String>,
    pub category: String,
}

/// Checks every field in the editor's order and reports the first refused one.
pub fn check_article_text(
    lang: &str,
    category: &str,
    title: &str,
    summary: &str,
    body: &str,
    tags: &[String],
) -> Result<ArticleText, FieldError> {
    let lang = check_lang(lang)?;
    check_category(category)?;
    let title = check_title(title)?;
    let summary = check_summary(summary)?;
    check_body(body)?;
    let tags = check_tags(tags)?;
    Ok(ArticleText {
        lang,
        title,
        summary,
        body: body.to_owned(),
        tags,
        category: category.trim().to_owned(),
    })
}

impl CreateArticleRequest {
    pub fn check(&self) -> Result<ArticleText, FieldError> {
        check_slug(&self.slug)?;
        check_article_text(
            &self.lang,
            &self.category,
            &self.title,
            &self.summary,
            &self.body,
            &self.tags,
        )
    }
}

impl SaveRevisionRequest {
    pub fn check(&self) -> Result<ArticleText, FieldError> {
        check_article_text(
            &self.lang,
            &self.category,
            &self.title,
            &self.summary,
            &self.body,
            &self.tags,
        )
    }
}

/// The raster formats articles may show. Recognised by their first bytes, never by a
/// file name or a declared type: SVG (which can carry scripts) and anything else that
/// merely claims to be an image is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageType {
    Png,
    Jpeg,
    Gif,
    Webp,
}

impl ImageType {
    pub const ALL: [ImageType; 4] = [Self::Png, Self::Jpeg, Self::Gif, Self::Webp];

    /// The type whose signature `bytes` start with.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.starts_with(b"\xff\xd8\xff") {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(Self::Gif)
        } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
            Some(Self::Webp)
        } else {
            None
        }
    }

    pub const fn media_type(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
        }
    }

    pub const fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Jpeg => "jpg",
            Self::Gif => "gif",
            Self::Webp => "webp",
        }
    }

    pub fn from_extension(ext: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.extension() == ext)
    }

    pub fn from_media_type(media_type: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.media_type() == media_type)
    }
}

/// Why `bytes` are not an accepted image, in words for the technician.
pub fn refused_image_reason(bytes: &[u8]) -> &'static str {
    let start: Vec<u8> = bytes
        .iter()
        .copied()
        .skip_while(|b| b.is_ascii_whitespace() || matches!(b, 0xef | 0xbb | 0xbf))
        .take(256)
        .collect();
    let text = String::from_utf8_lossy(&start).to_ascii_lowercase();
    if bytes.is_empty() {
        "The upload is empty"
    } else if text.contains("<svg") || text.starts_with("<?xml") {
        "SVG images are not accepted (they can contain scripts); upload a PNG, JPEG, GIF or WebP"
    } else if text.starts_with('<') {
        "This looks like HTML, not an image; upload a PNG, JPEG, GIF or WebP"
    } else {
        "Only PNG, JPEG, GIF and WebP images are accepted (recognised by their content)"
    }
}

#[cfg(test)]
mod tests {
    use std::fmt;

    use super::*;

    fn field(result: Result<impl fmt::Debug, FieldError>) -> String {
        result.unwrap_err().field.into_owned()
    }

    #[test]
    fn slugs() {
        for good in ["abc", "printer-not-printing-from-laptop", "vpn2", "a-1"] {
            assert_eq!(check_slug(good), Ok(()), "{good}");
        }
        for bad in [
            "ab",
            &"a".repeat(81),
            "Printer",
            "printer_jam",
            "-abc",
            "abc-",
            "two words",
            "päper",
            "",
        ] {
            assert_eq!(field(check_slug(bad)), "slug", "{bad:?}");
        }
        assert!(check_slug(&"a".repeat(80)).is_ok());
    }

    #[test]
    fn languages_are_exact_codes() {
        assert_eq!(check_lang("nb"), Ok(Language::Nb));
        for bad in ["de", "EN", "en-GB", "", "no"] {
            assert_eq!(field(check_lang(bad)), "lang", "{bad:?}");
        }
    }

    #[test]
    fn titles_are_trimmed_single_lines() {
        assert_eq!(check_title("  VPN  ").unwrap(), "VPN");
        assert_eq!(field(check_title("   ")), "title");
        assert_eq!(field(check_title("a\nb")), "title");
        assert_eq!(field(check_title(&"x".repeat(201))), "title");
        assert!(check_title(&"я".repeat(200)).is_ok());
    }

    #[test]
    fn body_limit_counts_characters() {
        assert!(check_body(&"я".repeat(MAX_BODY_CHARS)).is_ok());
        let err = check_body(&"x".repeat(MAX_BODY_CHARS + 1)).unwrap_err();
        assert_eq!(err.field, "body");
        assert_eq!(err.reason, Reason::TooLong { max: 100_000 });
        assert!(err.message().contains("100000"), "{}", err.message());
        assert_eq!(field(check_summary(&"s".repeat(501))), "summary");
    }

    #[test]
    fn tags_are_cleaned_and_bounded() {
        let tags = ["  vpn ", "", "VPN", "wifi"].map(String::from);
        assert_eq!(check_tags(&tags).unwrap(), vec!["vpn", "wifi"]);
        assert_eq!(field(check_tags(&["a,b".to_owned()])), "tags");
        assert_eq!(field(check_tags(&["x".repeat(41)])), "tags");
        let many: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
        assert_eq!(field(check_tags(&many)), "tags");
    }

    #[test]
    fn requests_report_the_first_bad_field() {
        let mut create = CreateArticleRequest {
            slug: "new-article".into(),
            category: "network".into(),
            lang: "en".into(),
            title: " Title ".into(),
            summary: String::new(),
            body: "Body".into(),
            tags: vec![],
        };
        let text = create.check().unwrap();
        assert_eq!((text.lang, text.title.as_str()), (Language::En, "Title"));
        create.category = " ".into();
        assert_eq!(field(create.check()), "category");
        create.slug = "Bad Slug".into();
        assert_eq!(field(create.check()), "slug");

        let save = SaveRevisionRequest {
            lang: "de".into(),
            title: String::new(),
            summary: String::new(),
            body: String::new(),
            tags: vec![],
            category: "network".into(),
            base_revision: None,
        };
        assert_eq!(field(save.check()), "lang");
    }

    #[test]
    fn status_moves() {
        use ArticleStatus::*;
        assert!(Draft.can_change_to(Published));
        assert!(Published.can_change_to(Archived));
        assert!(Archived.can_change_to(Published));
        assert!(!Published.can_change_to(Draft));
        assert!(!Archived.can_change_to(Draft));
        for status in ArticleStatus::ALL {
            assert_eq!(ArticleStatus::parse(status.as_str()), Some(status));
            assert_eq!(serde_json::to_value(status).unwrap(), status.as_str());
        }
    }

    #[test]
    fn images_are_recognised_by_content() {
        assert_eq!(
            ImageType::sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(ImageType::Png)
        );
        assert_eq!(
            ImageType::sniff(b"\xff\xd8\xff\xe0\0\x10JFIF"),
            Some(ImageType::Jpeg)
        );
        assert_eq!(ImageType::sniff(b"GIF89a\x01\0"), Some(ImageType::Gif));
        assert_eq!(
            ImageType::sniff(b"RIFF\x24\0\0\0WEBPVP8 "),
            Some(ImageType::Webp)
        );
        for refused in [
            &b"<svg xmlns='http://www.w3.org/2000/svg'/>"[..],
            b"<html><script>alert(1)</script>",
            b"RIFF\x24\0\0\0WAVEfmt ",
            b"\x89PNG",
            b"",
        ] {
            assert_eq!(ImageType::sniff(refused), None);
        }
        assert!(refused_image_reason(b"\xef\xbb\xbf <?xml version='1.0'?><svg/>").contains("SVG"));
        assert!(refused_image_reason(b"<!doctype html>").contains("HTML"));
        assert!(refused_image_reason(b"").contains("empty"));
        for t in ImageType::ALL {
            assert_eq!(ImageType::from_extension(t.extension()), Some(t));
            assert_eq!(ImageType::from_media_type(t.media_type()), Some(t));
        }
    }
}
