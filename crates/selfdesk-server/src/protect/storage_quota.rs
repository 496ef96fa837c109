//! The storage quota for files (`SELFDESK_STORAGE_QUOTA_MIB`): an upload that would
//! pass it is refused with a clear 507 before anything is written, so a full quota
//! never loses a ticket or crashes the server; admins see the standing in the staff
//! area (`GET /api/v1/staff/storage`) before it comes to that.

use selfdesk_shared::error::ErrorCode;

use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::store::storage;

/// Admins are warned from this share of the quota on.
pub const WARN_AT_PERCENT: i64 = 90;

/// Refuses an upload of `adding` bytes that would not fit in `quota` bytes.
pub async fn refuse_when_full(db: &Db, quota: i64, adding: i64) -> ApiResult<()> {
    let used = storage::used_bytes(db).await?;
    if used.saturating_add(adding) > quota {
        tracing::warn!(used, quota, adding, "storage quota reached: upload refused");
        return Err(ApiError::new(
            ErrorCode::StorageFull,
            "The help desk has no room for more files right now. Send your message without the file, or describe what it shows; the help desk has been told.",
        ));
    }
    Ok(())
}
