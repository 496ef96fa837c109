use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use selfdesk_shared::health::{DatabaseHealth, Health, HealthStatus};

use crate::db;
use crate::state::AppState;

/// Liveness and database status, for load balancers and for people.
#[utoipa::path(
    get, path = "/api/v1/health", tag = "system",
    responses(
        (status = 200, description = "Server and database are working", body = Health),
        (status = 503, description = "The database does not answer", body = Health),
    )
)]
pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let schema_version = db::schema_version(&state.db).await;
    let (status, code) = match schema_version {
        Ok(_) => (HealthStatus::Ok, StatusCode::OK),
        Err(ref err) => {
            tracing::warn!(%err, "health check: database unavailable");
            (HealthStatus::Degraded, StatusCode::SERVICE_UNAVAILABLE)
        }
    };
    let body = Health {
        status,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database: DatabaseHealth {
            status,
            backend: state.db.backend().to_owned(),
            schema_version: schema_version.ok().flatten(),
        },
    };
    (code, Json(body))
}
