//! What the portal keeps on people's devices for when the network is gone (the
//! service worker, `public/sw.js`): every published flow, and the articles the help
//! desk marks "available offline" here: the ones people need exactly when they have
//! no network or cannot sign in.

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Reason};
use crate::kb_authoring::check_slug;

/// A short list: each article is saved in every language on every device.
pub const MAX_OFFLINE_ARTICLES: usize = 20;

/// The articles marked "available offline", by slug.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfflineList {
    #[cfg_attr(feature = "openapi", schema(schema_with = offline_articles_schema))]
    pub articles: Vec<String>,
}

/// Article slugs (`kb_authoring::check_slug`: 3 to 80 of a-z, 0-9 and `-`, a letter
/// or digit at each end), at most [`MAX_OFFLINE_ARTICLES`].
#[cfg(feature = "openapi")]
fn offline_articles_schema() -> utoipa::openapi::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some("^[a-z0-9][a-z0-9-]{1,78}[a-z0-9]$")),
        )
        .max_items(Some(MAX_OFFLINE_ARTICLES))
        .build()
}

impl Default for OfflineList {
    /// Until the help desk says otherwise: Wi-Fi without internet, the VPN, and a
    /// forgotten password (the seeded articles).
    fn default() -> Self {
        Self {
            articles: [
                "wifi-connected-no-internet",
                "vpn-wont-connect",
                "forgot-password-account-locked",
            ]
            .map(str::to_owned)
            .to_vec(),
        }
    }
}

/// The list as stored (each slug once, in order), or the first problem, named by
/// its place (`articles.2`).
pub fn check_offline_list(list: &OfflineList) -> Result<OfflineList, FieldError> {
    if list.articles.len() > MAX_OFFLINE_ARTICLES {
        return Err(
            FieldError::new("articles", Reason::too_many(MAX_OFFLINE_ARTICLES)).because(format!(
                "At most {MAX_OFFLINE_ARTICLES} articles can be available offline"
            )),
        );
    }
    let mut articles: Vec<String> = Vec::with_capacity(list.articles.len());
    for (i, slug) in list.articles.iter().enumerate() {
        check_slug(slug).map_err(|mut refused| {
            refused.field = format!("articles.{i}").into();
            refused
        })?;
        if !articles.contains(slug) {
            articles.push(slug.clone());
        }
    }
    Ok(OfflineList { articles })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_checked_and_kept_once() {
        let list = OfflineList {
            articles: vec!["vpn-wont-connect".into(), "vpn-wont-connect".into()],
        };
        assert_eq!(check_offline_list(&list).unwrap().articles.len(), 1);
        let bad = OfflineList {
            articles: vec!["vpn-wont-connect".into(), "Not A Slug".into()],
        };
        assert_eq!(check_offline_list(&bad).unwrap_err().field, "articles.1");
        let many = OfflineList {
            articles: (0..=MAX_OFFLINE_ARTICLES)
                .map(|i| format!("a-{i:03}"))
                .collect(),
        };
        assert_eq!(check_offline_list(&many).unwrap_err().field, "articles");
    }
}
