//! Known incidents (posted by technicians, shown to requesters) and the "already
//! reported?" check the new-ticket form runs before a ticket is filed.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use selfdesk_shared::email::EmailAddress;
use selfdesk_shared::error::ErrorBody;
use selfdesk_shared::error::{FieldError, Reason};
use selfdesk_shared::incidents::{
    AlreadyReported, CloseIncident, Incident, IncidentList, MAX_INCIDENT_TEXT_CHARS,
    MAX_INCIDENT_TITLE_CHARS, MeToo, MeTooRecorded, NewIncident, SIMILAR_ENOUGH, SimilarMeToo,
    subject_similarity,
};
use selfdesk_shared::language::Language;
use selfdesk_shared::tickets::{MAX_NAME_CHARS, MAX_REASON_CHARS};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::extract::Staff;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::protect::client_addr::ClientAddr;
use crate::protect::rate_limits::{self, Action};
use crate::search::analyze::tokens;
use crate::state::AppState;
use crate::store::{incidents, tickets};
use crate::tickets::changes;
use crate::unix_now;
use crate::webhooks::events;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(open_incidents))
        .routes(routes!(already_reported))
        .routes(routes!(incident_me_too))
        .routes(routes!(similar_me_too))
        .routes(routes!(staff_incidents, post_incident))
        .routes(routes!(close_incident))
}

/// Known problems right now, for the portal's home page.
#[utoipa::path(
    get, path = "/api/v1/incidents", tag = "tickets",
    responses((status = 200, description = "Open incidents, newest first", body = IncidentList))
)]
pub async fn open_incidents(State(state): State<AppState>) -> ApiResult<Json<IncidentList>> {
    Ok(Json(IncidentList {
        incidents: incidents::open(&state.db, None).await?,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CheckParams {
    /// The category chosen in the form.
    pub category: String,
    /// The subject typed so far.
    #[serde(default)]
    pub subject: String,
    /// The language the subject is written in (`en`, `ru`, `fr`, `nb`).
    #[serde(default)]
    pub lang: Option<String>,
}

/// Is this already known? Open incidents of the category, and how many open tickets
/// of the last 14 days have a subject very like this one: the words the two share
/// are at least half of all their distinct words (after stemming). Only the count:
/// anyone may ask, so nothing of another requester's ticket is ever shown.
#[utoipa::path(
    get, path = "/api/v1/tickets/already-reported", tag = "tickets", params(CheckParams),
    responses(
        (status = 200, description = "Matching incidents, and the count of similar open tickets", body = AlreadyReported),
        (status = 400, description = "`category` missing", body = ErrorBody),
        (status = 429, description = "Too many checks from this address this hour; see `Retry-After`", body = ErrorBody),
    )
)]
pub async fn already_reported(
    State(state): State<AppState>,
    client: ClientAddr,
    ApiQuery(q): ApiQuery<CheckParams>,
) -> ApiResult<Json<AlreadyReported>> {
    rate_limits::take_one(&state, Action::Check, &client).await?;
    let category = q.category.trim();
    let incidents = incidents::open(&state.db, Some(category)).await?;
    let similar = similar_open_tickets(&state, category, &q.subject, q.lang.as_deref()).await?;
    Ok(Json(AlreadyReported {
        incidents,
        similar_open: u32::try_from(similar.len()).unwrap_or(u32::MAX),
    }))
}

/// Open tickets of the category from the last 14 days whose subject is very similar
/// to `subject`.
async fn similar_open_tickets(
    state: &AppState,
    category: &str,
    subject: &str,
    lang: Option<&str>,
) -> ApiResult<Vec<i64>> {
    let lang = lang.and_then(Language::from_tag).unwrap_or(Language::En);
    let subject: String = subject.chars().take(200).collect();
    let wanted = tokens(&subject, lang);
    if wanted.len() < 2 {
        return Ok(Vec::new());
    }
    let since = unix_now() - 14 * 86_400;
    Ok(incidents::open_tickets_in(&state.db, category, since)
        .await?
        .into_iter()
        .filter(|(_, other)| subject_similarity(&wanted, &tokens(other, lang)) >= SIMILAR_ENOUGH)
        .map(|(id, _)| id)
        .collect())
}

fn check_me_too(me: &MeToo) -> ApiResult<(String, String)> {
    let name = me.name.trim();
    if name.is_empty() || me.name.chars().count() > MAX_NAME_CHARS {
        return Err(
            FieldError::new("name", Reason::text_length(name, MAX_NAME_CHARS))
                .because("Enter your name (at most 120 characters)")
                .into(),
        );
    }
    let email = EmailAddress::parse(&me.email).map_err(FieldError::from)?;
    Ok((name.to_owned(), email.as_str().to_owned()))
}

/// "This affects me too" for a known incident: the desk knows whom to tell when it is
/// fixed. The same address twice counts once.
#[utoipa::path(
    post, path = "/api/v1/incidents/{id}/affected", tag = "tickets",
    params(("id" = i64, Path)), request_body = MeToo,
    responses(
        (status = 201, description = "Recorded", body = MeTooRecorded),
        (status = 404, description = "No open incident with this id", body = ErrorBody),
        (status = 422, description = "Name or email missing or malformed", body = ErrorBody),
        (status = 429, description = "Too many from this address this hour; see `Retry-After`", body = ErrorBody),
    )
)]
pub async fn incident_me_too(
    State(state): State<AppState>,
    client: ClientAddr,
    ApiPath(id): ApiPath<i64>,
    ApiJson(me): ApiJson<MeToo>,
) -> ApiResult<(StatusCode, Json<MeTooRecorded>)> {
    let (name, email) = check_me_too(&me)?;
    let incident = incidents::get(&state.db, id)
        .await?
        .filter(|i| i.open)
        .ok_or_else(|| ApiError::not_found("Open incident"))?;
    rate_limits::take_one(&state, Action::AffectedToo, &client).await?;
    incidents::add_report(&state.db, incident.id, &name, &email).await?;
    let affected = incidents::get(&state.db, id)
        .await?
        .map_or(0, |i| i.affected);
    Ok((StatusCode::CREATED, Json(MeTooRecorded { affected })))
}

/// "This is my problem too" about the similar open reports the check counted: the
/// server finds them again from the same category and subject, and each one's
/// technicians see who else is affected (an internal event). The person learns only
/// how many reports they joined.
#[utoipa::path(
    post, path = "/api/v1/tickets/similar/affected", tag = "tickets",
    request_body = SimilarMeToo,
    responses(
        (status = 201, description = "Recorded; `affected` is the number of open reports joined", body = MeTooRecorded),
        (status = 404, description = "No similar open report (any more)", body = ErrorBody),
        (status = 422, description = "Name or email missing or malformed", body = ErrorBody),
        (status = 429, description = "Too many from this address this hour; see `Retry-After`", body = ErrorBody),
    )
)]
pub async fn similar_me_too(
    State(state): State<AppState>,
    client: ClientAddr,
    ApiJson(me): ApiJson<SimilarMeToo>,
) -> ApiResult<(StatusCode, Json<MeTooRecorded>)> {
    let (name, email) = check_me_too(&MeToo {
        name: me.name.clone(),
        email: me.email.clone(),
    })?;
    let similar =
        similar_open_tickets(&state, me.category.trim(), &me.subject, me.lang.as_deref()).await?;
    if similar.is_empty() {
        return Err(ApiError::not_found("A similar open report"));
    }
    rate_limits::take_one(&state, Action::AffectedToo, &client).await?;
    // The three most recent (the check only ever showed how many there are).
    let joined: Vec<i64> = similar.into_iter().take(3).collect();
    for id in &joined {
        changes::also_affected(&state, *id, &name, &email).await?;
    }
    Ok((
        StatusCode::CREATED,
        Json(MeTooRecorded {
            affected: joined.len() as i64,
        }),
    ))
}

/// Every incident, open and closed, newest first.
#[utoipa::path(
    get, path = "/api/v1/staff/incidents", tag = "staff-tickets", security(("session" = [])),
    responses(
        (status = 200, description = "Incidents with their \"me too\" counts", body = IncidentList),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn staff_incidents(
    State(state): State<AppState>,
    _staff: Staff,
) -> ApiResult<Json<IncidentList>> {
    Ok(Json(IncidentList {
        incidents: incidents::all(&state.db).await?,
    }))
}

/// Posts a known incident; requesters see it before filing in its category.
#[utoipa::path(
    post, path = "/api/v1/staff/incidents", tag = "staff-tickets", security(("session" = [])),
    request_body = NewIncident,
    responses(
        (status = 201, description = "Posted", body = Incident),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 422, description = "No title, too long, or an unknown category", body = ErrorBody),
    )
)]
pub async fn post_incident(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(new): ApiJson<NewIncident>,
) -> ApiResult<(StatusCode, Json<Incident>)> {
    let title = new.title.trim();
    if title.is_empty() || new.title.chars().count() > MAX_INCIDENT_TITLE_CHARS {
        return Err(FieldError::new(
            "title",
            Reason::text_length(title, MAX_INCIDENT_TITLE_CHARS),
        )
        .because(format!(
            "A title of 1 to {MAX_INCIDENT_TITLE_CHARS} characters"
        ))
        .into());
    }
    if new.description.chars().count() > MAX_INCIDENT_TEXT_CHARS {
        return Err(ApiError::validation(
            "description",
            Reason::too_long(MAX_INCIDENT_TEXT_CHARS),
        ));
    }
    let category = new
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if let Some(slug) = category
        && tickets::category(&state.db, slug, Language::En)
            .await?
            .is_none()
    {
        return Err(FieldError::new("category", Reason::Unknown)
            .because(format!("There is no category {slug:?}"))
            .into());
    }
    let now = unix_now();
    let give_up = state.outbox.give_up_secs;
    let opened = |id| {
        events::incident(
            "incident.opened",
            &events::IncidentFacts {
                id,
                title,
                category,
                closing_message: None,
            },
            now,
            give_up,
        )
    };
    let id = incidents::create(
        &state.db,
        title,
        new.description.trim(),
        category,
        staff.member.id,
        opened,
    )
    .await?;
    state.outbox.wake();
    let incident = incidents::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::internal("a new incident vanished"))?;
    Ok((StatusCode::CREATED, Json(incident)))
}

/// Closes an incident with what was done; requesters no longer see it. With
/// `resolve_linked`, every open ticket linked to it is resolved with the message as
/// its resolution summary (each requester then confirms or reopens as usual).
#[utoipa::path(
    post, path = "/api/v1/staff/incidents/{id}/close", tag = "staff-tickets",
    params(("id" = i64, Path)), security(("session" = [])), request_body = CloseIncident,
    responses(
        (status = 200, description = "Closed", body = Incident),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No open incident with this id", body = ErrorBody),
        (status = 422, description = "No message while resolving the linked tickets, or too long", body = ErrorBody),
    )
)]
pub async fn close_incident(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    ApiJson(close): ApiJson<CloseIncident>,
) -> ApiResult<Json<Incident>> {
    let message = close.message.trim();
    if close.resolve_linked && message.is_empty() {
        return Err(FieldError::new("message", Reason::Required)
            .because(
                "Say what was done: it becomes the resolution every linked ticket's requester sees",
            )
            .into());
    }
    if close.message.chars().count() > MAX_INCIDENT_TEXT_CHARS {
        return Err(ApiError::validation(
            "message",
            Reason::too_long(MAX_INCIDENT_TEXT_CHARS),
        ));
    }
    if close.resolve_linked && message.chars().count() > MAX_REASON_CHARS {
        return Err(
            FieldError::new("message", Reason::too_long(MAX_REASON_CHARS))
                .because(format!(
                    "A resolution summary is at most {MAX_REASON_CHARS} characters"
                ))
                .into(),
        );
    }
    let Some(incident) = incidents::get(&state.db, id).await?.filter(|i| i.open) else {
        return Err(ApiError::not_found("Open incident"));
    };
    // Tickets first, the incident last: if resolving one fails, the incident is still
    // open and closing again resolves the rest (those already resolved are skipped).
    if close.resolve_linked {
        for ticket in incidents::open_linked_tickets(&state.db, id).await? {
            changes::resolve_with_incident(&state, ticket, &staff.member, message).await?;
        }
    }
    let closed = events::incident(
        "incident.closed",
        &events::IncidentFacts {
            id,
            title: &incident.title,
            category: incident.category.as_deref(),
            closing_message: Some(message),
        },
        unix_now(),
        state.outbox.give_up_secs,
    );
    if !incidents::close(&state.db, id, message, &closed).await? {
        return Err(ApiError::not_found("Open incident"));
    }
    state.outbox.wake();
    let incident = incidents::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Incident"))?;
    Ok(Json(incident))
}
