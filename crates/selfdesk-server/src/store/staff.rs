//! Staff accounts.

use selfdesk_shared::auth::{StaffMember, StaffRole, check_new_password, parse_display_name};
use selfdesk_shared::email::EmailAddress;
use selfdesk_shared::error::ErrorCode;
use selfdesk_shared::error::{FieldError, Reason};
use sqlx::FromRow;

use crate::auth::password;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::{unix_now, with_pool};

#[derive(FromRow)]
struct StaffRow {
    id: i64,
    email: String,
    display_name: String,
    role: String,
    active: bool,
    two_factor: bool,
}

/// What every query returning a `StaffRow` selects.
macro_rules! staff_columns {
    () => {
        "id, email, display_name, role, active, (totp_secret IS NOT NULL) AS two_factor"
    };
}

impl StaffRow {
    fn into_member(self) -> StaffMember {
        StaffMember {
            id: self.id,
            email: self.email,
            display_name: self.display_name,
            // The CHECK constraint keeps unknown roles out; tier 1 is the safe reading.
            role: StaffRole::parse(&self.role).unwrap_or(StaffRole::Tier1),
            active: self.active,
            two_factor: self.two_factor,
        }
    }
}

/// A staff member with the hash needed to check a password.
pub struct Credentials {
    pub member: StaffMember,
    pub password_hash: String,
}

/// Validates every field, hashes the password and inserts the account.
pub async fn create_validated(
    db: &Db,
    email: &str,
    display_name: &str,
    role: StaffRole,
    plain_password: &str,
) -> ApiResult<StaffMember> {
    let email = EmailAddress::parse(email).map_err(FieldError::from)?;
    let display_name = parse_display_name(display_name).ok_or_else(|| {
        let reason = if display_name.trim().chars().any(char::is_control) {
            Reason::OneLine
        } else {
            Reason::text_length(display_name.trim(), 100)
        };
        FieldError::new("display_name", reason).because("Name must have 1 to 100 characters")
    })?;
    check_new_password(plain_password).map_err(FieldError::from)?;
    let hash = password::hash(plain_password.to_owned()).await?;

    let inserted = with_pool!(db, |pool| sqlx::query_as::<_, StaffRow>(concat!(
        "INSERT INTO staff (email, display_name, role, password_hash, active, created_at)
         VALUES ($1, $2, $3, $4, TRUE, $5)
         RETURNING ",
        staff_columns!()
    ))
    .bind(email.as_str())
    .bind(&display_name)
    .bind(role.as_str())
    .bind(&hash)
    .bind(unix_now())
    .fetch_one(pool)
    .await);
    match inserted {
        Ok(row) => Ok(row.into_member()),
        Err(err) if super::is_unique_violation(&err) => Err(ApiError::new(
            ErrorCode::Conflict,
            "A staff account with this email already exists",
        )
        .with_field("email")
        .with_reason(Reason::Duplicate)),
        Err(err) => Err(err.into()),
    }
}

pub async fn credentials_by_email(db: &Db, email: &str) -> sqlx::Result<Option<Credentials>> {
    #[derive(FromRow)]
    struct Row {
        #[sqlx(flatten)]
        staff: StaffRow,
        password_hash: String,
    }
    let row = with_pool!(db, |pool| {
        sqlx::query_as::<_, Row>(concat!(
            "SELECT password_hash, ",
            staff_columns!(),
            " FROM staff WHERE email = $1"
        ))
        .bind(email)
        .fetch_optional(pool)
        .await
    })?;
    Ok(row.map(|row| Credentials {
        member: row.staff.into_member(),
        password_hash: row.password_hash,
    }))
}

pub async fn list(db: &Db) -> sqlx::Result<Vec<StaffMember>> {
    let rows = with_pool!(db, |pool| {
        sqlx::query_as::<_, StaffRow>(concat!(
            "SELECT ",
            staff_columns!(),
            " FROM staff ORDER BY active DESC, role, display_name"
        ))
        .fetch_all(pool)
        .await
    })?;
    Ok(rows.into_iter().map(StaffRow::into_member).collect())
}

pub async fn get(db: &Db, id: i64) -> sqlx::Result<Option<StaffMember>> {
    let row = with_pool!(db, |pool| {
        sqlx::query_as::<_, StaffRow>(concat!(
            "SELECT ",
            staff_columns!(),
            " FROM staff WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(pool)
        .await
    })?;
    Ok(row.map(StaffRow::into_member))
}

/// Deactivating also ends every session of the account, in the same transaction, so a
/// deactivated technician is signed out everywhere at once.
pub async fn set_active(db: &Db, id: i64, active: bool) -> sqlx::Result<bool> {
    with_pool!(db, |pool| {
        let mut tx = pool.begin().await?;
        let updated = sqlx::query("UPDATE staff SET active = $1 WHERE id = $2")
            .bind(active)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if !active {
            sqlx::query("DELETE FROM staff_sessions WHERE staff_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(updated == 1)
    })
}

pub async fn exists(db: &Db, email: &str) -> sqlx::Result<bool> {
    let found: Option<i64> = with_pool!(db, |pool| {
        sqlx::query_scalar("SELECT id FROM staff WHERE email = $1")
            .bind(email)
            .fetch_optional(pool)
            .await
    })?;
    Ok(found.is_some())
}

/// Staff single sign-on: the account for this address with the role the provider's
/// groups give, created on the first sign-in (with a random password no one knows:
/// such an account signs in through the provider only) and otherwise updated — role,
/// name, and active again, because for these accounts the provider's groups decide.
pub async fn sso_sign_in(
    db: &Db,
    email: &EmailAddress,
    display_name: &str,
    role: StaffRole,
) -> ApiResult<StaffMember> {
    let updated = with_pool!(db, |pool| {
        sqlx::query_as::<_, StaffRow>(concat!(
            "UPDATE staff SET role = $2, display_name = $3, active = TRUE WHERE email = $1
             RETURNING ",
            staff_columns!()
        ))
        .bind(email.as_str())
        .bind(role.as_str())
        .bind(display_name)
        .fetch_optional(pool)
        .await
    })?;
    if let Some(row) = updated {
        return Ok(row.into_member());
    }
    let unusable = password::hash(crate::auth::session::new_token()).await?;
    let row = with_pool!(db, |pool| {
        sqlx::query_as::<_, StaffRow>(concat!(
            "INSERT INTO staff (email, display_name, role, password_hash, active, created_at)
             VALUES ($1, $2, $3, $4, TRUE, $5)
             ON CONFLICT (email) DO UPDATE SET role = excluded.role,
                 display_name = excluded.display_name, active = TRUE
             RETURNING ",
            staff_columns!()
        ))
        .bind(email.as_str())
        .bind(display_name)
        .bind(role.as_str())
        .bind(&unusable)
        .bind(unix_now())
        .fetch_one(pool)
        .await
    })?;
    Ok(row.into_member())
}

/// Someone the provider puts in no staff group: their account, if they have one,
/// is deactivated and every session of it ends (`set_active`). Returns the account's
/// id when it was active until now.
pub async fn sso_no_longer_staff(db: &Db, email: &EmailAddress) -> sqlx::Result<Option<i64>> {
    let Some(found) = credentials_by_email(db, email.as_str()).await? else {
        return Ok(None);
    };
    set_active(db, found.member.id, false).await?;
    Ok(found.member.active.then_some(found.member.id))
}
