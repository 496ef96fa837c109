//! Ticket categories in their stored, every-language form (see
//! `selfdesk_shared::categories`). Requesters read them through `store::tickets`.

use selfdesk_shared::categories::CategoryDefinition;

use crate::db::Db;
use crate::with_pool;

pub async fn definitions(db: &Db) -> sqlx::Result<Vec<CategoryDefinition>> {
    let rows: Vec<(String, i64, String, String)> = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT slug, CAST(position AS BIGINT), names, fields FROM ticket_categories
             ORDER BY position, slug",
        )
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(slug, position, names, fields)| CategoryDefinition {
            slug,
            position,
            names: serde_json::from_str(&names).unwrap_or_default(),
            fields: serde_json::from_str(&fields).unwrap_or_default(),
        })
        .collect())
}

/// Creates the category, or replaces its names, order and fields. Returns whether it
/// was new.
pub async fn save(db: &Db, def: &CategoryDefinition) -> sqlx::Result<bool> {
    let names = serde_json::to_string(&def.names).unwrap_or_else(|_| "{}".into());
    let fields = serde_json::to_string(&def.fields).unwrap_or_else(|_| "[]".into());
    let existed: Option<String> = with_pool!(db, |pool| {
        sqlx::query_scalar("SELECT slug FROM ticket_categories WHERE slug = $1")
            .bind(&def.slug)
            .fetch_optional(pool)
            .await
    })?;
    with_pool!(db, |pool| {
        sqlx::query(
            "INSERT INTO ticket_categories (slug, position, names, fields) VALUES ($1, $2, $3, $4)
             ON CONFLICT (slug) DO UPDATE SET position = excluded.position,
                names = excluded.names, fields = excluded.fields",
        )
        .bind(&def.slug)
        .bind(def.position)
        .bind(&names)
        .bind(&fields)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(existed.is_none())
}
