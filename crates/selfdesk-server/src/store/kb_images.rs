//! Article images, stored by the SHA-256 of their bytes.

use crate::db::Db;
use crate::{unix_now, with_pool};

pub struct NewImage<'a> {
    /// Lower-case hex SHA-256 of `data`.
    pub hash: &'a str,
    pub media_type: &'a str,
    pub data: &'a [u8],
    pub uploaded_by: i64,
}

/// Stores an image; the same bytes uploaded again keep the first row (same hash,
/// same URL).
pub async fn insert(db: &Db, image: &NewImage<'_>) -> sqlx::Result<()> {
    with_pool!(db, |pool| {
        sqlx::query(
            "INSERT INTO kb_images (hash, media_type, data, size, uploaded_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (hash) DO NOTHING",
        )
        .bind(image.hash)
        .bind(image.media_type)
        .bind(image.data)
        .bind(image.data.len() as i64)
        .bind(image.uploaded_by)
        .bind(unix_now())
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// The media type and bytes of the image with this hash.
pub async fn get(db: &Db, hash: &str) -> sqlx::Result<Option<(String, Vec<u8>)>> {
    with_pool!(db, |pool| {
        sqlx::query_as("SELECT media_type, data FROM kb_images WHERE hash = $1")
            .bind(hash)
            .fetch_optional(pool)
            .await
    })
}
