//! How much the stored files take: ticket attachments (claimed or waiting) and
//! article images. Both live in the database, so one sum is the whole quota.

use crate::db::Db;
use crate::with_pool;

pub async fn used_bytes(db: &Db) -> sqlx::Result<i64> {
    with_pool!(db, |pool| {
        sqlx::query_scalar(
            "SELECT CAST(
                 (SELECT COALESCE(SUM(size), 0) FROM ticket_attachments)
               + (SELECT COALESCE(SUM(size), 0) FROM kb_images) AS BIGINT)",
        )
        .fetch_one(pool)
        .await
    })
}
