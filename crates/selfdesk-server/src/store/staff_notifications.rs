//! Which emails each staff member wants, and who gets one about a ticket.

use selfdesk_shared::auth::NotificationSettings;
use selfdesk_shared::language::Language;
use selfdesk_shared::tier::Tier;
use sqlx::FromRow;

use crate::db::Db;
use crate::with_pool;

#[derive(FromRow)]
struct SettingsRow {
    language: String,
    notify_replies: bool,
    notify_escalations: bool,
    notify_sla: bool,
}

pub async fn settings(db: &Db, staff_id: i64) -> sqlx::Result<Option<NotificationSettings>> {
    let row: Option<SettingsRow> = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT language, notify_replies, notify_escalations, notify_sla FROM staff
             WHERE id = $1",
        )
        .bind(staff_id)
        .fetch_optional(pool)
        .await
    })?;
    Ok(row.map(|row| NotificationSettings {
        language: Language::from_tag(&row.language).unwrap_or(Language::En),
        requester_replies: row.notify_replies,
        tier_pool: row.notify_escalations,
        sla_warnings: row.notify_sla,
    }))
}

pub async fn set_settings(
    db: &Db,
    staff_id: i64,
    settings: &NotificationSettings,
) -> sqlx::Result<bool> {
    with_pool!(db, |pool| {
        sqlx::query(
            "UPDATE staff SET language = $1, notify_replies = $2, notify_escalations = $3,
                notify_sla = $4
             WHERE id = $5",
        )
        .bind(settings.language.code())
        .bind(settings.requester_replies)
        .bind(settings.tier_pool)
        .bind(settings.sla_warnings)
        .bind(staff_id)
        .execute(pool)
        .await
        .map(|r| r.rows_affected() == 1)
    })
}

/// A staff member an email goes to.
#[derive(Debug, Clone, FromRow)]
pub struct Recipient {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    language: String,
}

impl Recipient {
    pub fn language(&self) -> Language {
        Language::from_tag(&self.language).unwrap_or(Language::En)
    }
}

/// The assignee, if active and wanting to hear that the requester replied.
pub async fn reply_recipient(db: &Db, assignee_id: i64) -> sqlx::Result<Option<Recipient>> {
    assignee_wanting(db, assignee_id, "notify_replies").await
}

/// The active technicians of `tier` who want to hear of tickets arriving in its pool.
/// Admins work every tier but are not told of each: the pool is the technicians'.
pub async fn tier_pool_recipients(db: &Db, tier: Tier) -> sqlx::Result<Vec<Recipient>> {
    let role = format!("tier{}", u8::from(tier));
    with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT id, email, display_name, language FROM staff
             WHERE role = $1 AND active AND notify_escalations ORDER BY id",
        )
        .bind(&role)
        .fetch_all(pool)
        .await
    })
}

/// The assignee, if active and wanting SLA warnings.
pub async fn sla_recipient(db: &Db, assignee_id: i64) -> sqlx::Result<Option<Recipient>> {
    assignee_wanting(db, assignee_id, "notify_sla").await
}

/// `wants` is one of the `notify_…` columns, never input.
async fn assignee_wanting(
    db: &Db,
    assignee_id: i64,
    wants: &'static str,
) -> sqlx::Result<Option<Recipient>> {
    let sql = format!(
        "SELECT id, email, display_name, language FROM staff WHERE id = $1 AND active AND {wants}"
    );
    with_pool!(db, |pool| {
        sqlx::query_as(&sql)
            .bind(assignee_id)
            .fetch_optional(pool)
            .await
    })
}
