//! Synonym groups, per language: every technician reads them; admins and tier-3
//! technicians write them. Each write moves the search version with it, so every
//! replica's index takes the new synonyms on its next search.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use selfdesk_shared::error::{ErrorBody, FieldError, Reason};
use selfdesk_shared::language::Language;
use selfdesk_shared::search::{
    MAX_SYNONYM_GROUPS_PER_LANGUAGE, SynonymGroup, SynonymGroupRequest, synonym_word, synonym_words,
};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::extract::{Expert, Staff};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::state::AppState;
use crate::store::search::{self as store, SynonymWrite};
use crate::unix_now;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_synonyms, create_synonyms))
        .routes(routes!(replace_synonyms, delete_synonyms))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Only this language's groups; every language's when left out.
    #[serde(default)]
    pub lang: Option<Language>,
}

/// The synonym groups, by language and then first word.
#[utoipa::path(
    get, path = "/api/v1/staff/search/synonyms", tag = "search",
    params(ListParams), security(("session" = [])),
    responses(
        (status = 200, description = "The groups", body = Vec<SynonymGroup>),
        (status = 400, description = "`lang` is not en, ru, fr or nb", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn list_synonyms(
    State(state): State<AppState>,
    _staff: Staff,
    ApiQuery(q): ApiQuery<ListParams>,
) -> ApiResult<Json<Vec<SynonymGroup>>> {
    Ok(Json(store::list_synonym_groups(&state.db, q.lang).await?))
}

#[utoipa::path(
    post, path = "/api/v1/staff/search/synonyms", tag = "search",
    security(("session" = [])), request_body = SynonymGroupRequest,
    responses(
        (status = 201, description = "Created", body = SynonymGroup),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin or tier-3 technician", body = ErrorBody),
        (status = 422, description = "A word is not one, is in another group already, or the language has the most groups it may; `field` names it (`words`, `words.N`, `lang`)", body = ErrorBody),
    )
)]
pub async fn create_synonyms(
    State(state): State<AppState>,
    _expert: Expert,
    ApiJson(request): ApiJson<SynonymGroupRequest>,
) -> ApiResult<(StatusCode, Json<SynonymGroup>)> {
    let group = save(&state, None, &request).await?;
    Ok((StatusCode::CREATED, Json(group)))
}

/// Replaces a group's language and words.
#[utoipa::path(
    put, path = "/api/v1/staff/search/synonyms/{id}", tag = "search",
    params(("id" = i64, Path)), security(("session" = [])), request_body = SynonymGroupRequest,
    responses(
        (status = 200, description = "Saved", body = SynonymGroup),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin or tier-3 technician", body = ErrorBody),
        (status = 404, description = "No such group", body = ErrorBody),
        (status = 422, description = "A word is not one, is in another group already, or the language has the most groups it may; `field` names it (`words`, `words.N`, `lang`)", body = ErrorBody),
    )
)]
pub async fn replace_synonyms(
    State(state): State<AppState>,
    _expert: Expert,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<SynonymGroupRequest>,
) -> ApiResult<Json<SynonymGroup>> {
    Ok(Json(save(&state, Some(id), &request).await?))
}

#[utoipa::path(
    delete, path = "/api/v1/staff/search/synonyms/{id}", tag = "search",
    params(("id" = i64, Path)), security(("session" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin or tier-3 technician", body = ErrorBody),
        (status = 404, description = "No such group", body = ErrorBody),
    )
)]
pub async fn delete_synonyms(
    State(state): State<AppState>,
    _expert: Expert,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    if store::delete_synonym_group(&state.db, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("Synonym group"))
    }
}

async fn save(
    state: &AppState,
    id: Option<i64>,
    request: &SynonymGroupRequest,
) -> ApiResult<SynonymGroup> {
    let words = checked_words(&request.words)?;
    match store::save_synonym_group(&state.db, id, request.lang, &words, unix_now()).await? {
        SynonymWrite::Saved(group) => Ok(group),
        SynonymWrite::NotFound => Err(ApiError::not_found("Synonym group")),
        SynonymWrite::TooManyGroups => Err(FieldError::new(
            "lang",
            Reason::too_many(MAX_SYNONYM_GROUPS_PER_LANGUAGE),
        )
        .because(format!(
            "This language already has {MAX_SYNONYM_GROUPS_PER_LANGUAGE} synonym groups, \
             the most it may have"
        ))
        .into()),
        SynonymWrite::WordTaken(word) => {
            // Named by its place in the request, where the form shows it.
            let index = request
                .words
                .iter()
                .position(|raw| synonym_word(raw).as_ref() == Ok(&word))
                .unwrap_or(0);
            Err(FieldError::new(format!("words.{index}"), Reason::Duplicate)
                .because(format!(
                    "\"{word}\" is already in another synonym group of this language"
                ))
                .into())
        }
    }
}

/// The words as stored (trimmed, lower case, each once), or the first problem, named
/// by the word's place in the request.
fn checked_words(raw: &[String]) -> ApiResult<Vec<String>> {
    synonym_words(raw).map_err(|(index, reason)| {
        let message = match (&reason, index) {
            (Reason::Required, Some(_)) => Some("A synonym cannot be empty".to_owned()),
            (Reason::TooLong { max }, Some(_)) => {
                Some(format!("A synonym has at most {max} characters"))
            }
            (Reason::BadFormat, Some(_)) => Some(
                "A synonym is one word: letters and digits, with hyphens or apostrophes \
                 only between them"
                    .to_owned(),
            ),
            (Reason::TooShort { min }, None) => {
                Some(format!("A group needs at least {min} different words"))
            }
            (Reason::TooMany { max }, None) => Some(format!("A group has at most {max} words")),
            _ => None,
        };
        let field = match index {
            Some(i) => format!("words.{i}"),
            None => "words".to_owned(),
        };
        let refused = FieldError::new(field, reason);
        match message {
            Some(message) => refused.because(message),
            None => refused,
        }
        .into()
    })
}
