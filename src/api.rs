//! Every HTTP call the app makes. Pages call these functions and never build requests
//! themselves, so the paths and wire types live in one place.

use gloo_net::http::{Request, RequestBuilder, Response};
use selfdesk_shared::API_PREFIX;
use selfdesk_shared::attachments::{Attachment, StorageUse};
use selfdesk_shared::auth::{
    ChangePasswordRequest, CreateStaffRequest, NotificationSettings, PasswordConfirmation,
    PasswordResetIssued, PasswordResetRequest, RecoveryCodes, SecuritySettings, SignInRequest,
    StaffList, StaffMember, TwoFactorConfirmation, TwoFactorSetup, UpdateStaffRequest,
};
use selfdesk_shared::canned::{CannedResponse, CannedResponseInput, CannedResponseList};
use selfdesk_shared::categories::{CategoryDefinition, CategoryDefinitionList};
use selfdesk_shared::error::ErrorCode;
use selfdesk_shared::flows::Flow;
use selfdesk_shared::flows::api::{
    FlowStats, SaveFlowDraft, StaffFlowListItem, StaffFlowView, WalkReport,
};
use selfdesk_shared::flows::reach_services::ReachServices;
use selfdesk_shared::incidents::{
    AlreadyReported, CloseIncident, Incident, IncidentList, LinkIncidentRequest, MeToo,
    MeTooRecorded, NewIncident, SimilarMeToo,
};
use selfdesk_shared::kb::{
    Article, ArticleList, CategoryTree, FlowHit, SearchResults, VoteRequest,
};
use selfdesk_shared::kb_authoring::{
    ArticleStats, ArticleStatus, CreateArticleRequest, ImageUploaded, PublishRequest, Revision,
    RevisionList, SaveRevisionRequest, StaffArticle, StaffArticleList, StatusChange,
};
use selfdesk_shared::language::Language;
use selfdesk_shared::mail_in::MailInList;
use selfdesk_shared::offline::OfflineList;
use selfdesk_shared::outbox::{OutboxList, OutboxMessage, OutboxStatus};
use selfdesk_shared::queue::{AssignRequest, AssigneeList, PriorityChangeRequest, QueuePage};
use selfdesk_shared::requester::{
    EmailSignInFinish, EmailSignInRequest, EmailSignedIn, MyTicketAccess, MyTicketList, RequesterMe,
};
use selfdesk_shared::search::{SearchGaps, SearchReport, SynonymGroup, SynonymGroupRequest};
use selfdesk_shared::self_service::SelfServiceEvent;
use selfdesk_shared::sla::{Priority, SlaSettings, SlaSettingsSaved};
use selfdesk_shared::ticket_number::TicketNumber;
use selfdesk_shared::tickets::{
    ConfirmRequest, GrantPurpose, IDEMPOTENCY_HEADER, NewTicket, RatingRequest, ReopenRequest,
    ReplyRequest, StaffReplyRequest, StatusChangeRequest, TicketAccessRenewed, TicketCategoryList,
    TicketGrant, TicketGrantRequest, TicketLookupRequest, TicketView, TierChangeRequest,
};
use selfdesk_shared::webhooks::{
    WebhookDeliveryList, WebhookEndpoint, WebhookEndpointList, WebhookEndpointRequest,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::js_decode;

/// Why a call failed, in terms a page can explain to the user.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The request never got an answer (offline, server down, connection cut).
    Network,
    /// The server answered with an error.
    Server {
        status: u16,
        body: Option<Refusal>,
        retry_after_secs: Option<u64>,
    },
}

/// What the app keeps of an error body (`selfdesk_shared::error::ErrorBody`): its
/// code, the field at fault, and the field's reason still as the JSON text it came as.
/// The reason is read only by a page that asks ([`ApiError::reason`]), so an app whose
/// pages never show one (the portal) does not carry the decoder of every kind of
/// reason; the English `message` is for API users and is not read at all.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub code: ErrorCode,
    pub field: Option<String>,
    reason: Option<String>,
}

/// `ErrorBody` as read from the browser's parse, but its `reason` (`Refusal::read`).
#[derive(Deserialize)]
struct WireErrorBody {
    error: WireErrorDetail,
}

#[derive(Deserialize)]
struct WireErrorDetail {
    code: ErrorCode,
    #[serde(default)]
    field: Option<String>,
}

impl Refusal {
    /// The refusal in `body` (as parsed). Its `reason` is kept as JSON text and decoded
    /// only when a page asks ([`ApiError::reason`]).
    fn read(body: wasm_bindgen::JsValue) -> Option<Self> {
        let reason = js_sys::Reflect::get(&body, &"error".into())
            .and_then(|error| js_sys::Reflect::get(&error, &"reason".into()))
            .ok()
            .filter(|reason| reason.is_object())
            .and_then(|reason| js_sys::JSON::stringify(&reason).ok())
            .map(String::from);
        let body = js_decode::from_value::<WireErrorBody>(body).ok()?;
        Some(Self {
            code: body.error.code,
            field: body.error.field,
            reason,
        })
    }
}

impl ApiError {
    /// Whether the same request may well work a little later: no answer, the server
    /// busy or failing, or too many requests.
    pub fn passing(&self) -> bool {
        matches!(
            self,
            Self::Network
                | Self::Server {
                    status: 429 | 500..=599,
                    ..
                }
        )
    }

    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Self::Server {
                body: Some(body), ..
            } => Some(body.code),
            _ => None,
        }
    }

    /// The request field the server found fault with, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Server {
                body: Some(body), ..
            } => body.field.as_deref(),
            _ => None,
        }
    }

    /// What is wrong with that field, for the app to say in the reader's language
    /// (decoded here, when a page asks).
    pub fn reason(&self) -> Option<selfdesk_shared::error::Reason> {
        match self {
            Self::Server {
                body: Some(body), ..
            } => {
                let value = js_sys::JSON::parse(body.reason.as_deref()?).ok()?;
                js_decode::from_value(value).ok()
            }
            _ => None,
        }
    }

    pub fn retry_after_minutes(&self) -> u64 {
        match self {
            Self::Server {
                retry_after_secs: Some(secs),
                ..
            } => secs.div_ceil(60).max(1),
            _ => 1,
        }
    }
}

fn url(path: &str) -> String {
    format!("{API_PREFIX}{path}")
}

async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, ApiError> {
    let request = request.map_err(|_| ApiError::Network)?;
    checked(request.send().await.map_err(|_| ApiError::Network)?).await
}

/// `response` if it succeeded, else the server's refusal as an error.
async fn checked(response: Response) -> Result<Response, ApiError> {
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let retry_after_secs = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.parse().ok());
    let body = parsed(response).await.and_then(Refusal::read);
    Err(ApiError::Server {
        status,
        body,
        retry_after_secs,
    })
}

/// The answer to `request` if the page's HTML already sent it, while the app was still
/// downloading, so the page's data is not the last thing asked for (a tracking link's
/// ticket: `tracking.html`). The HTML leaves `window.selfdeskEarly = {url,
/// authorization, answer}`; the app's first read of a ticket takes it, used only when
/// it is the same GET with the same `Authorization`, so a later read never gets the
/// old answer. A request the HTML could not send (offline) is sent again. Only
/// [`ticket`] asks, so no other app links this.
async fn started_by_the_page(request: &Request) -> Option<Response> {
    use wasm_bindgen::JsCast;
    let window = web_sys::window()?;
    let key = wasm_bindgen::JsValue::from_str("selfdeskEarly");
    let early = js_sys::Reflect::get(&window, &key)
        .ok()
        .filter(|early| early.is_object())?;
    let _ = js_sys::Reflect::delete_property(&window, &key);
    let field = |name: &str| js_sys::Reflect::get(&early, &name.into()).ok();
    let text = |name: &str| field(name).and_then(|value| value.as_string());
    let same = request.method() == gloo_net::http::Method::GET
        && text("url") == Some(request.url())
        && text("authorization") == request.headers().get("authorization");
    if !same {
        return None;
    }
    let answer = field("answer")?.dyn_into::<js_sys::Promise>().ok()?;
    let response = wasm_bindgen_futures::JsFuture::from(answer).await.ok()?;
    // The answer is often there before the app has started: it is then read in a
    // task of its own, not in the one that started the app.
    crate::next_task::next_task().await;
    Some(response.dyn_into::<web_sys::Response>().ok()?.into())
}

/// The body parsed by the browser (serde_json's parser would cost the portal's bundle
/// more). Not generic: one copy of the waiting for every type of answer.
async fn parsed(response: Response) -> Option<wasm_bindgen::JsValue> {
    let raw: web_sys::Response = response.into();
    let promise = raw.json().ok()?;
    wasm_bindgen_futures::JsFuture::from(promise).await.ok()
}

async fn json<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    // A 2xx with a body we cannot read means a proxy or an outdated app: treat it like
    // a failed request so the page offers a retry.
    let value = parsed(response).await.ok_or(ApiError::Network)?;
    js_decode::from_value(value).map_err(|_| ApiError::Network)
}

fn get(path: &str) -> Result<Request, gloo_net::Error> {
    RequestBuilder::new(&url(path))
        .header("accept", "application/json")
        .build()
}

/// `value` made safe for a query string.
fn param(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}

/// A request with `body` as JSON, written by the browser (JSON.stringify) from a JS
/// value, like responses are read (see `json`).
fn with_json<B: Serialize>(builder: RequestBuilder, body: &B) -> Result<Request, gloo_net::Error> {
    let value = body
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| gloo_net::Error::GlooError(e.to_string()))?;
    let text = js_sys::JSON::stringify(&value)
        .map_err(|_| gloo_net::Error::GlooError("unserialisable body".into()))?;
    builder
        .header("accept", "application/json")
        .header("content-type", "application/json")
        .body(wasm_bindgen::JsValue::from(text))
}

fn post<B: Serialize>(path: &str, body: &B) -> Result<Request, gloo_net::Error> {
    with_json(Request::post(&url(path)), body)
}

/// The signed-in staff member, or `None` when nobody is signed in.
pub async fn current_staff() -> Result<Option<StaffMember>, ApiError> {
    match send(get("/auth/me")).await {
        Ok(response) => json(response).await.map(Some),
        Err(ApiError::Server { status: 401, .. }) => Ok(None),
        Err(err) => Err(err),
    }
}

pub async fn sign_in(request: &SignInRequest) -> Result<StaffMember, ApiError> {
    json(send(post("/auth/sign-in", request)).await?).await
}

pub async fn sign_out() -> Result<(), ApiError> {
    send(Request::post(&url("/auth/sign-out")).build())
        .await
        .map(|_| ())
}

/// How full file storage is (admins).
pub async fn storage_use() -> Result<StorageUse, ApiError> {
    json(send(get("/staff/storage")).await?).await
}

pub async fn my_notifications() -> Result<NotificationSettings, ApiError> {
    json(send(get("/staff/me/notifications")).await?).await
}

pub async fn set_my_notifications(
    settings: &NotificationSettings,
) -> Result<NotificationSettings, ApiError> {
    let request = with_json(Request::put(&url("/staff/me/notifications")), settings);
    json(send(request).await?).await
}

pub async fn staff_list() -> Result<StaffList, ApiError> {
    json(send(get("/staff")).await?).await
}

pub async fn kb_categories(lang: Language) -> Result<CategoryTree, ApiError> {
    json(send(get(&format!("/kb/categories?lang={}", lang.code()))).await?).await
}

/// Published articles, all or those directly in one category.
pub async fn kb_articles(category: Option<&str>, lang: Language) -> Result<ArticleList, ApiError> {
    let mut path = format!("/kb/articles?lang={}", lang.code());
    if let Some(category) = category {
        path.push_str(&format!("&category={}", param(category)));
    }
    json(send(get(&path)).await?).await
}

/// One article, or `None` when there is no published article with this slug.
pub async fn kb_article(slug: &str, lang: Language) -> Result<Option<Article>, ApiError> {
    let path = format!("/kb/articles/{}?lang={}", param(slug), lang.code());
    match send(get(&path)).await {
        Ok(response) => json(response).await.map(Some),
        Err(ApiError::Server { status: 404, .. }) => Ok(None),
        Err(err) => Err(err),
    }
}

/// The published diagnostic flows.
pub async fn flows(lang: Language) -> Result<Vec<FlowHit>, ApiError> {
    json(send(get(&format!("/flows?lang={}", lang.code()))).await?).await
}

/// A published flow (that version, else the live one), or `None` when there is none.
pub async fn flow(slug: &str, version: Option<i64>) -> Result<Option<Flow>, ApiError> {
    let mut path = format!("/flows/{}", param(slug));
    if let Some(version) = version {
        path.push_str(&format!("?version={version}"));
    }
    match send(get(&path)).await {
        Ok(response) => json(response).await.map(Some),
        Err(ApiError::Server { status: 404, .. }) => Ok(None),
        Err(err) => Err(err),
    }
}

/// Search as the user types: `signal` cancels a request that a newer one replaces.
/// `any`: articles with any of the words (for a ticket's subject), not all of them.
/// `flows`: how many matching diagnostic flows to add (none for "search the articles").
pub async fn kb_search(
    text: &str,
    lang: Language,
    limit: u8,
    any: bool,
    flows: u8,
    signal: &web_sys::AbortSignal,
) -> Result<SearchResults, ApiError> {
    let path = format!(
        "/kb/search?q={}&lang={}&limit={limit}&flows={flows}{}",
        param(text),
        lang.code(),
        if any { "&match=any" } else { "" }
    );
    let request = RequestBuilder::new(&url(&path))
        .header("accept", "application/json")
        .abort_signal(Some(signal))
        .build();
    json(send(request).await?).await
}

pub async fn kb_vote(slug: &str, lang: Language, vote: &VoteRequest) -> Result<(), ApiError> {
    let path = format!("/kb/articles/{}/vote?lang={}", param(slug), lang.code());
    let request = with_json(Request::put(&url(&path)), vote);
    send(request).await.map(|_| ())
}

// Technicians' side of the knowledge base.

fn article_path(slug: &str) -> String {
    format!("/staff/kb/articles/{}", param(slug))
}

pub async fn staff_articles(status: Option<ArticleStatus>) -> Result<StaffArticleList, ApiError> {
    let path = match status {
        Some(status) => format!("/staff/kb/articles?status={}", status.as_str()),
        None => "/staff/kb/articles".to_owned(),
    };
    json(send(get(&path)).await?).await
}

pub async fn staff_article(slug: &str) -> Result<StaffArticle, ApiError> {
    json(send(get(&article_path(slug))).await?).await
}

pub async fn create_article(request: &CreateArticleRequest) -> Result<StaffArticle, ApiError> {
    json(send(post("/staff/kb/articles", request)).await?).await
}

pub async fn save_revision(
    slug: &str,
    request: &SaveRevisionRequest,
) -> Result<Revision, ApiError> {
    let path = format!("{}/revisions", article_path(slug));
    json(send(post(&path, request)).await?).await
}

pub async fn revisions(slug: &str, lang: Language) -> Result<RevisionList, ApiError> {
    let path = format!("{}/revisions?lang={}", article_path(slug), lang.code());
    json(send(get(&path)).await?).await
}

pub async fn revision(slug: &str, lang: Language, number: i64) -> Result<Revision, ApiError> {
    let path = format!(
        "{}/revisions/{number}?lang={}",
        article_path(slug),
        lang.code()
    );
    json(send(get(&path)).await?).await
}

pub async fn restore_revision(
    slug: &str,
    lang: Language,
    number: i64,
) -> Result<Revision, ApiError> {
    let path = format!(
        "{}/revisions/{number}/restore?lang={}",
        article_path(slug),
        lang.code()
    );
    let request = Request::post(&url(&path))
        .header("accept", "application/json")
        .build();
    json(send(request).await?).await
}

pub async fn publish(slug: &str, request: &PublishRequest) -> Result<StaffArticle, ApiError> {
    let path = format!("{}/publish", article_path(slug));
    json(send(post(&path, request)).await?).await
}

pub async fn set_status(slug: &str, status: ArticleStatus) -> Result<StaffArticle, ApiError> {
    let path = format!("{}/status", article_path(slug));
    let request = with_json(Request::put(&url(&path)), &StatusChange { status });
    json(send(request).await?).await
}

/// The searches that found nothing, and those whose results nobody opened, over the
/// last `days` (in one language, or all).
pub async fn search_gaps(
    days: u16,
    lang: Option<Language>,
    limit: u8,
) -> Result<SearchGaps, ApiError> {
    let mut path = format!("/staff/kb/search-gaps?days={days}&limit={limit}");
    if let Some(lang) = lang {
        path.push_str(&format!("&lang={}", lang.code()));
    }
    json(send(get(&path)).await?).await
}

/// The help desk's figures for `period` (Insight), category names in `lang`. A
/// non-administrator gets only their own row among the technicians.
pub async fn insight(
    period: selfdesk_shared::insight::Period,
    lang: Language,
) -> Result<selfdesk_shared::insight::Insight, ApiError> {
    let path = format!(
        "/staff/insight?from={}&to={}&lang={}",
        period.from,
        period.to,
        lang.code()
    );
    json(send(get(&path)).await?).await
}

/// Every synonym group, in every language.
pub async fn synonym_groups() -> Result<Vec<SynonymGroup>, ApiError> {
    json(send(get("/staff/search/synonyms")).await?).await
}

/// Creates a group (`id` `None`) or replaces one.
pub async fn save_synonym_group(
    id: Option<i64>,
    request: &SynonymGroupRequest,
) -> Result<SynonymGroup, ApiError> {
    let request = match id {
        Some(id) => with_json(
            Request::put(&url(&format!("/staff/search/synonyms/{id}"))),
            request,
        ),
        None => post("/staff/search/synonyms", request),
    };
    json(send(request).await?).await
}

pub async fn delete_synonym_group(id: i64) -> Result<(), ApiError> {
    let path = url(&format!("/staff/search/synonyms/{id}"));
    send(Request::delete(&path).build()).await.map(|_| ())
}

pub async fn article_stats(slug: &str) -> Result<ArticleStats, ApiError> {
    json(send(get(&format!("{}/stats", article_path(slug)))).await?).await
}

/// Uploads an image file as it is; the server checks its type by its content.
pub async fn upload_image(file: &web_sys::File) -> Result<ImageUploaded, ApiError> {
    let request = Request::post(&url("/staff/kb/images"))
        .header("accept", "application/json")
        .header("content-type", &file.type_())
        .body(wasm_bindgen::JsValue::from(file.clone()));
    json(send(request).await?).await
}

// Tickets, requester side. The access token travels in the Authorization header, never
// in a page URL the server sees.

pub async fn ticket_categories(lang: Language) -> Result<TicketCategoryList, ApiError> {
    json(send(get(&format!("/tickets/categories?lang={}", lang.code()))).await?).await
}

/// What the ticket form keeps of a filed ticket. The server answers with the whole
/// `TicketCreated` (its `TicketView` too); reading only these fields keeps the
/// tracking page's types — events, SLA standing — and their decoders out of the filing
/// app (unknown fields are skipped).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TicketFiled {
    pub number: TicketNumber,
    pub access_token: String,
    pub ticket: FiledTicket,
}

/// The part of the filed ticket's view the form keeps for "My tickets".
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FiledTicket {
    pub subject: String,
    pub created_at: i64,
}

/// A new ticket as the JSON text `file_ticket` sends, kept with the draft so that
/// every retry sends the very same body.
pub fn ticket_body(ticket: &NewTicket) -> Option<String> {
    let value = ticket
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .ok()?;
    js_sys::JSON::stringify(&value).ok()?.as_string()
}

/// Files a ticket (`body` from `ticket_body`). Retrying with the same
/// `idempotency_key` and body returns the ticket the first attempt filed, never a
/// second one; the same key with another body is refused (409).
pub async fn file_ticket(idempotency_key: &str, body: &str) -> Result<TicketFiled, ApiError> {
    let request = Request::post(&url("/tickets"))
        .header(IDEMPOTENCY_HEADER, idempotency_key)
        .header("accept", "application/json")
        .header("content-type", "application/json")
        .body(wasm_bindgen::JsValue::from_str(body));
    json(send(request).await?).await
}

fn ticket_path(number: &str, action: &str) -> String {
    format!("/tickets/{}{action}", param(number))
}

/// The ticket, and the answer as JSON text: the page keeps the text for opening the
/// ticket offline (`ticket_from_text`), so the tracking app carries no serializer for
/// the whole view.
pub async fn ticket(number: &str, token: &str) -> Result<(TicketView, String), ApiError> {
    let request = RequestBuilder::new(&url(&ticket_path(number, "")))
        .header("accept", "application/json")
        .header("authorization", &format!("Bearer {token}"))
        .build()
        .map_err(|_| ApiError::Network)?;
    let response = match started_by_the_page(&request).await {
        Some(response) => checked(response).await?,
        None => send(Ok(request)).await?,
    };
    let value = parsed(response).await.ok_or(ApiError::Network)?;
    let text = js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_default();
    let view = js_decode::from_value(value).map_err(|_| ApiError::Network)?;
    Ok((view, text))
}

/// A ticket kept as `ticket` answered it; `None` if this build cannot read it.
pub fn ticket_from_text(text: &str) -> Option<TicketView> {
    js_decode::from_value(js_sys::JSON::parse(text).ok()?).ok()
}

async fn ticket_action<B: Serialize>(
    number: &str,
    token: &str,
    action: &str,
    body: &B,
) -> Result<TicketView, ApiError> {
    let builder = Request::post(&url(&ticket_path(number, action)))
        .header("authorization", &format!("Bearer {token}"));
    json(send(with_json(builder, body)).await?).await
}

pub async fn ticket_reply(
    number: &str,
    token: &str,
    body: &str,
    attachments: &[String],
) -> Result<TicketView, ApiError> {
    let request = ReplyRequest {
        body: body.to_owned(),
        attachments: attachments.to_vec(),
    };
    ticket_action(number, token, "/replies", &request).await
}

pub async fn ticket_confirm(
    number: &str,
    token: &str,
    request: &ConfirmRequest,
) -> Result<TicketView, ApiError> {
    ticket_action(number, token, "/confirm", request).await
}

pub async fn ticket_reopen(
    number: &str,
    token: &str,
    reason: &str,
) -> Result<TicketView, ApiError> {
    let request = ReopenRequest {
        reason: reason.to_owned(),
    };
    ticket_action(number, token, "/reopen", &request).await
}

pub async fn ticket_rate(
    number: &str,
    token: &str,
    request: &RatingRequest,
) -> Result<TicketView, ApiError> {
    ticket_action(number, token, "/rating", request).await
}

/// A short-lived grant for a URL the browser opens without headers (the live stream,
/// a download): the access token itself stays in the `Authorization` header.
pub async fn ticket_grant(
    number: &str,
    token: &str,
    purpose: GrantPurpose,
) -> Result<TicketGrant, ApiError> {
    let builder = Request::post(&url(&ticket_path(number, "/grants")))
        .header("authorization", &format!("Bearer {token}"));
    json(send(with_json(builder, &TicketGrantRequest { purpose })).await?).await
}

/// "Someone else has my link": every link of the ticket stops working, and this new
/// token is the only one.
pub async fn renew_ticket_access(
    number: &str,
    token: &str,
) -> Result<TicketAccessRenewed, ApiError> {
    let request = Request::post(&url(&ticket_path(number, "/access/renew")))
        .header("accept", "application/json")
        .header("authorization", &format!("Bearer {token}"))
        .build();
    json(send(request).await?).await
}

/// The live event stream's URL, with a stream grant (`EventSource` cannot send
/// headers), for the events after `after`.
pub fn ticket_events_url(number: &str, grant: &str, after: i64) -> String {
    url(&format!(
        "{}?grant={}&after={after}",
        ticket_path(number, "/events"),
        param(grant)
    ))
}

/// Uploads a file to attach to a new ticket or a reply; the server checks its type by
/// its content.
pub async fn upload_attachment(file: &web_sys::File) -> Result<Attachment, ApiError> {
    let path = format!("/tickets/uploads?name={}", param(&file.name()));
    let request = Request::post(&url(&path))
        .header("accept", "application/json")
        .header("content-type", "application/octet-stream")
        .body(wasm_bindgen::JsValue::from(file.clone()));
    json(send(request).await?).await
}

/// The address of one of the ticket's files: without `grant`, what the link shows
/// (opening it asks for a grant first, see the tracking page); with one, what the
/// browser downloads.
pub fn ticket_attachment_url(number: &str, id: &str, grant: Option<&str>) -> String {
    let path = ticket_path(number, &format!("/attachments/{}", param(id)));
    match grant {
        Some(grant) => url(&format!("{path}?grant={}", param(grant))),
        None => url(&path),
    }
}

/// Reports a self-service event with `navigator.sendBeacon`, which the browser
/// delivers even when the page is being left (the usual case: a suggestion's link).
/// Best effort: measurement never gets in the user's way.
pub fn report_self_service(event: &SelfServiceEvent) {
    beacon("/self-service/events", event);
}

/// Walk reports, a batch at a time (see `walk_reports`).
pub fn report_walks(reports: &[WalkReport]) {
    beacon("/flows/walks", &reports);
}

/// Search reports, a batch at a time (see `search_reports`).
pub fn report_searches(reports: &[SearchReport]) {
    beacon("/kb/searches", &reports);
}

/// POSTs `body` as JSON with `navigator.sendBeacon`: queued by the browser, sent even
/// as the page is left, never awaited.
fn beacon<B: Serialize + ?Sized>(path: &str, body: &B) {
    let Ok(value) = body.serialize(&serde_wasm_bindgen::Serializer::json_compatible()) else {
        return;
    };
    let Ok(text) = js_sys::JSON::stringify(&value) else {
        return;
    };
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let parts = js_sys::Array::of1(&text);
    if let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        && let Some(window) = web_sys::window()
    {
        let _ = window
            .navigator()
            .send_beacon_with_opt_blob(&url(path), Some(&blob));
    }
}

/// Open incidents of the category, and how many open tickets have a very similar
/// subject.
pub async fn already_reported(
    category: &str,
    subject: &str,
    lang: Language,
    signal: &web_sys::AbortSignal,
) -> Result<AlreadyReported, ApiError> {
    let path = format!(
        "/tickets/already-reported?category={}&subject={}&lang={}",
        param(category),
        param(subject),
        lang.code()
    );
    let request = RequestBuilder::new(&url(&path))
        .header("accept", "application/json")
        .abort_signal(Some(signal))
        .build();
    json(send(request).await?).await
}

/// "Me too" for a known incident, or for the similar open reports the check counted.
pub async fn me_too(target: &MeTooTarget, who: &MeToo) -> Result<MeTooRecorded, ApiError> {
    let request = match target {
        MeTooTarget::Incident(id) => post(&format!("/incidents/{id}/affected"), who),
        MeTooTarget::Similar {
            category,
            subject,
            lang,
        } => post(
            "/tickets/similar/affected",
            &SimilarMeToo {
                category: category.clone(),
                subject: subject.clone(),
                lang: Some(lang.code().to_owned()),
                name: who.name.clone(),
                email: who.email.clone(),
            },
        ),
    };
    json(send(request).await?).await
}

/// What a "me too" is about.
#[derive(Debug, Clone, PartialEq)]
pub enum MeTooTarget {
    Incident(i64),
    /// The open reports like this one (the server finds them again; their numbers
    /// are never shown).
    Similar {
        category: String,
        subject: String,
        lang: Language,
    },
}

/// Asks for a fresh tracking link by email (the answer is the same whether or not the
/// pair matches; 503 when the desk cannot send email).
pub async fn ticket_lookup(request: &TicketLookupRequest) -> Result<(), ApiError> {
    send(post("/tickets/lookup", request)).await.map(|_| ())
}

/// The signed-in requester, or `None` when this browser's requester session is gone.
pub async fn requester_me() -> Result<Option<RequesterMe>, ApiError> {
    match send(get("/me")).await {
        Ok(response) => json(response).await.map(Some),
        Err(ApiError::Server { status: 401, .. }) => Ok(None),
        Err(err) => Err(err),
    }
}

/// Every ticket filed with the signed-in requester's address.
pub async fn requester_tickets() -> Result<MyTicketList, ApiError> {
    json(send(get("/me/tickets")).await?).await
}

/// A token of this device's own for one of the signed-in requester's tickets.
pub async fn open_my_ticket(number: &str) -> Result<MyTicketAccess, ApiError> {
    let path = format!("/me/tickets/{}/access", param(number));
    json(send(Request::post(&url(&path)).build()).await?).await
}

/// Ends this requester session, or (`everywhere`) every one of the requester's.
pub async fn requester_sign_out(everywhere: bool) -> Result<(), ApiError> {
    let path = if everywhere {
        "/me/sign-out-everywhere"
    } else {
        "/me/sign-out"
    };
    send(Request::post(&url(path)).build()).await.map(|_| ())
}

/// Asks for a one-time sign-in link by email.
pub async fn email_sign_in(request: &EmailSignInRequest) -> Result<(), ApiError> {
    send(post("/auth/email/start", request)).await.map(|_| ())
}

/// Signs in with an emailed link's token; where to go next.
pub async fn finish_email_sign_in(request: &EmailSignInFinish) -> Result<EmailSignedIn, ApiError> {
    json(send(post("/auth/email/finish", request)).await?).await
}

/// Every flow for the staff list.
pub async fn staff_flows() -> Result<Vec<StaffFlowListItem>, ApiError> {
    json(send(get("/staff/flows")).await?).await
}

pub async fn staff_flow(slug: &str) -> Result<StaffFlowView, ApiError> {
    json(send(get(&format!("/staff/flows/{}", param(slug)))).await?).await
}

/// Saves the draft as written; the answer lists its problems.
pub async fn save_flow_draft(slug: &str, source: &str) -> Result<StaffFlowView, ApiError> {
    let path = url(&format!("/staff/flows/{}/draft", param(slug)));
    let body = SaveFlowDraft {
        source: source.to_owned(),
    };
    json(send(with_json(Request::put(&path), &body)).await?).await
}

pub async fn discard_flow_draft(slug: &str) -> Result<StaffFlowView, ApiError> {
    let path = url(&format!("/staff/flows/{}/draft", param(slug)));
    json(send(Request::delete(&path).build()).await?).await
}

#[derive(serde::Deserialize)]
pub struct Published {
    pub version: i64,
}

pub async fn publish_flow(slug: &str) -> Result<Published, ApiError> {
    let path = url(&format!("/staff/flows/{}/publish", param(slug)));
    json(send(Request::post(&path).build()).await?).await
}

pub fn flow_export_url(slug: &str) -> String {
    url(&format!("/staff/flows/{}/export", param(slug)))
}

pub async fn flow_stats(slug: &str) -> Result<FlowStats, ApiError> {
    json(send(get(&format!("/staff/flows/{}/stats", param(slug)))).await?).await
}

// Staff: the ticket queue and working a ticket.

pub async fn staff_queue(query: &str, after: Option<&str>) -> Result<QueuePage, ApiError> {
    let mut path = format!("/staff/tickets?{query}");
    if let Some(after) = after {
        path.push_str(&format!("&after={}", param(after)));
    }
    json(send(get(&path)).await?).await
}

pub fn staff_queue_events_url() -> String {
    url("/staff/queue/events")
}

fn staff_ticket_path(number: &str, action: &str) -> String {
    format!("/staff/tickets/{}{action}", param(number))
}

pub async fn staff_ticket(number: &str) -> Result<TicketView, ApiError> {
    json(send(get(&staff_ticket_path(number, ""))).await?).await
}

/// A ticket's live stream for staff, for the events after `after`.
pub fn staff_ticket_events_url(number: &str, after: i64) -> String {
    url(&staff_ticket_path(
        number,
        &format!("/events?after={after}"),
    ))
}

pub fn staff_attachment_url(number: &str, id: &str) -> String {
    url(&staff_ticket_path(
        number,
        &format!("/attachments/{}", param(id)),
    ))
}

async fn staff_action<B: Serialize>(
    number: &str,
    action: &str,
    body: &B,
) -> Result<TicketView, ApiError> {
    json(send(post(&staff_ticket_path(number, action), body)).await?).await
}

pub async fn staff_reply(
    number: &str,
    request: &StaffReplyRequest,
) -> Result<TicketView, ApiError> {
    staff_action(number, "/replies", request).await
}

pub async fn staff_set_status(
    number: &str,
    request: &StatusChangeRequest,
) -> Result<TicketView, ApiError> {
    staff_action(number, "/status", request).await
}

pub async fn staff_set_tier(
    number: &str,
    request: &TierChangeRequest,
) -> Result<TicketView, ApiError> {
    staff_action(number, "/tier", request).await
}

pub async fn staff_assign(number: &str, assignee: Option<i64>) -> Result<TicketView, ApiError> {
    staff_action(number, "/assignee", &AssignRequest { assignee }).await
}

pub async fn staff_set_priority(number: &str, priority: Priority) -> Result<TicketView, ApiError> {
    staff_action(number, "/priority", &PriorityChangeRequest { priority }).await
}

pub async fn assignees() -> Result<AssigneeList, ApiError> {
    json(send(get("/staff/assignees")).await?).await
}

pub async fn canned_responses() -> Result<CannedResponseList, ApiError> {
    json(send(get("/staff/canned-responses")).await?).await
}

// Known incidents.

/// Known problems right now (the portal's home page).
pub async fn open_incidents() -> Result<IncidentList, ApiError> {
    json(send(get("/incidents")).await?).await
}

pub async fn staff_incidents() -> Result<IncidentList, ApiError> {
    json(send(get("/staff/incidents")).await?).await
}

pub async fn post_incident(new: &NewIncident) -> Result<Incident, ApiError> {
    json(send(post("/staff/incidents", new)).await?).await
}

pub async fn close_incident(id: i64, close: &CloseIncident) -> Result<Incident, ApiError> {
    json(send(post(&format!("/staff/incidents/{id}/close"), close)).await?).await
}

pub async fn staff_link_incident(
    number: &str,
    incident: Option<i64>,
) -> Result<TicketView, ApiError> {
    staff_action(number, "/incident", &LinkIncidentRequest { incident }).await
}

// Admin: service levels and canned responses.

pub async fn sla_settings() -> Result<SlaSettings, ApiError> {
    json(send(get("/staff/sla")).await?).await
}

pub async fn save_sla_settings(settings: &SlaSettings) -> Result<SlaSettingsSaved, ApiError> {
    json(send(with_json(Request::put(&url("/staff/sla")), settings)).await?).await
}

pub async fn create_canned(input: &CannedResponseInput) -> Result<CannedResponse, ApiError> {
    json(send(post("/staff/canned-responses", input)).await?).await
}

pub async fn update_canned(
    id: i64,
    input: &CannedResponseInput,
) -> Result<CannedResponse, ApiError> {
    let path = url(&format!("/staff/canned-responses/{id}"));
    json(send(with_json(Request::put(&path), input)).await?).await
}

pub async fn delete_canned(id: i64) -> Result<(), ApiError> {
    let path = url(&format!("/staff/canned-responses/{id}"));
    send(Request::delete(&path).build()).await.map(|_| ())
}

// Admin: deliveries (the outbox, webhooks) and the mail read.

pub async fn outbox(status: Option<OutboxStatus>) -> Result<OutboxList, ApiError> {
    let path = match status {
        Some(status) => format!("/staff/outbox?status={}", status.as_str()),
        None => "/staff/outbox".to_owned(),
    };
    json(send(get(&path)).await?).await
}

pub async fn retry_outbox(id: i64) -> Result<OutboxMessage, ApiError> {
    let path = url(&format!("/staff/outbox/{id}/retry"));
    json(send(Request::post(&path).build()).await?).await
}

pub async fn webhooks() -> Result<WebhookEndpointList, ApiError> {
    json(send(get("/staff/webhooks")).await?).await
}

pub async fn create_webhook(request: &WebhookEndpointRequest) -> Result<WebhookEndpoint, ApiError> {
    json(send(post("/staff/webhooks", request)).await?).await
}

pub async fn update_webhook(
    id: i64,
    request: &WebhookEndpointRequest,
) -> Result<WebhookEndpoint, ApiError> {
    let path = url(&format!("/staff/webhooks/{id}"));
    json(send(with_json(Request::put(&path), request)).await?).await
}

pub async fn delete_webhook(id: i64) -> Result<(), ApiError> {
    let path = url(&format!("/staff/webhooks/{id}"));
    send(Request::delete(&path).build()).await.map(|_| ())
}

pub async fn webhook_deliveries(id: i64) -> Result<WebhookDeliveryList, ApiError> {
    json(send(get(&format!("/staff/webhooks/{id}/deliveries"))).await?).await
}

pub async fn mail_in(outcome: Option<&'static str>) -> Result<MailInList, ApiError> {
    let path = match outcome {
        Some(outcome) => format!("/staff/mail-in?outcome={outcome}"),
        None => "/staff/mail-in".to_owned(),
    };
    json(send(get(&path)).await?).await
}

// Admin: staff accounts.

pub async fn create_staff(request: &CreateStaffRequest) -> Result<StaffMember, ApiError> {
    json(send(post("/staff", request)).await?).await
}

pub async fn set_staff_active(id: i64, active: bool) -> Result<StaffMember, ApiError> {
    let path = url(&format!("/staff/{id}"));
    json(
        send(with_json(
            Request::patch(&path),
            &UpdateStaffRequest { active },
        ))
        .await?,
    )
    .await
}

/// An admin's one-time link for a colleague to choose a new password.
pub async fn issue_password_reset(id: i64) -> Result<PasswordResetIssued, ApiError> {
    json(send(Request::post(&url(&format!("/staff/{id}/password-reset"))).build()).await?).await
}

// A staff member's own sign-in security (the manage app's Security page).

pub async fn security_settings() -> Result<SecuritySettings, ApiError> {
    json(send(get("/staff/me/security")).await?).await
}

pub async fn change_password(request: &ChangePasswordRequest) -> Result<(), ApiError> {
    let request = with_json(Request::put(&url("/staff/me/password")), request);
    send(request).await.map(|_| ())
}

pub async fn start_two_factor() -> Result<TwoFactorSetup, ApiError> {
    json(send(Request::post(&url("/staff/me/two-factor")).build()).await?).await
}

pub async fn confirm_two_factor(code: String) -> Result<RecoveryCodes, ApiError> {
    let body = TwoFactorConfirmation { code };
    json(send(post("/staff/me/two-factor/confirm", &body)).await?).await
}

pub async fn turn_off_two_factor(password: String) -> Result<(), ApiError> {
    let body = PasswordConfirmation { password };
    send(post("/staff/me/two-factor/disable", &body))
        .await
        .map(|_| ())
}

pub async fn new_recovery_codes(password: String) -> Result<RecoveryCodes, ApiError> {
    let body = PasswordConfirmation { password };
    json(send(post("/staff/me/two-factor/recovery-codes", &body)).await?).await
}

/// A new password with a reset link's token (no session needed).
pub async fn reset_password(request: &PasswordResetRequest) -> Result<(), ApiError> {
    send(post("/auth/password-reset", request))
        .await
        .map(|_| ())
}

// Admin: ticket categories.

pub async fn category_definitions() -> Result<CategoryDefinitionList, ApiError> {
    json(send(get("/staff/categories")).await?).await
}

pub async fn save_category(def: &CategoryDefinition) -> Result<CategoryDefinition, ApiError> {
    let path = url(&format!("/staff/categories/{}", param(&def.slug)));
    json(send(with_json(Request::put(&path), def)).await?).await
}

// The articles kept for offline use: read by anyone, replaced by experts.

pub async fn offline_articles() -> Result<OfflineList, ApiError> {
    json(send(get("/offline")).await?).await
}

pub async fn save_offline_articles(list: &OfflineList) -> Result<OfflineList, ApiError> {
    json(send(with_json(Request::put(&url("/staff/offline")), list)).await?).await
}

// The services a reach check tries: read by the check, replaced by admins.

pub async fn reach_services(
    signal: Option<&web_sys::AbortSignal>,
) -> Result<ReachServices, ApiError> {
    let request = RequestBuilder::new(&url("/reach-services"))
        .header("accept", "application/json")
        .abort_signal(signal)
        .build();
    json(send(request).await?).await
}

pub async fn save_reach_services(list: &ReachServices) -> Result<ReachServices, ApiError> {
    let request = with_json(Request::put(&url("/staff/reach-services")), list);
    json(send(request).await?).await
}

/// Tries a service for a reach check: `Ok` when anything answered, however it
/// answered (a `no-cors` request to another site gets an opaque answer, and any
/// answer means the site is reachable); `Err` when nothing did before `signal`, the
/// connection was refused or its TLS failed, or the page's policy blocked it. A
/// `no-cors` request must follow redirects, and one to a site not on the list (a
/// sign-in page elsewhere) is blocked: admins list addresses that answer by
/// themselves (the staff page says so).
pub async fn probe_service(address: &str, signal: &web_sys::AbortSignal) -> Result<(), ()> {
    RequestBuilder::new(address)
        .mode(web_sys::RequestMode::NoCors)
        .cache(web_sys::RequestCache::NoStore)
        .credentials(web_sys::RequestCredentials::Omit)
        .abort_signal(Some(signal))
        .send()
        .await
        .map(|_| ())
        .map_err(|_| ())
}

/// How the portal's health endpoint answered a diagnostic check (see
/// `pages::diagnose::checks`): the status and the server's clock (its `Date` header).
pub struct HealthProbe {
    pub status: u16,
    pub date: Option<String>,
}

/// Asks the health endpoint, bypassing every cache: a check must see the network as it
/// is now. `Err` when no answer came (no network, refused, aborted).
pub async fn probe_health(signal: Option<&web_sys::AbortSignal>) -> Result<HealthProbe, ()> {
    let response = RequestBuilder::new(&url("/health"))
        .header("accept", "application/json")
        .header("cache-control", "no-store")
        .abort_signal(signal)
        .build()
        .map_err(|_| ())?
        .send()
        .await
        .map_err(|_| ())?;
    Ok(HealthProbe {
        status: response.status(),
        date: response.headers().get("date"),
    })
}
