//! Building the application: database, router, listener.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use axum::extract::{ConnectInfo, DefaultBodyLimit};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{Extension, Router, middleware};
use selfdesk_shared::error::{ErrorBody, ErrorCode};
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::auth::oidc::{Oidc, OidcSettings};
use crate::auth::portal_access::{self, RequesterSignIn};
use crate::config::{DatabaseArgs, PasswordSignIn, ServeArgs};
use crate::flows::reach_services::{self, ReachHolder, ReachList};
use crate::insight::upkeep::Upkeep;
use crate::mail::Mailer;
use crate::mail_in::{self, ReplyAddress, imap::ImapSettings};
use crate::outbox::{self, Outbox};
use crate::protect::Protection;
use crate::protect::stream_caps::StreamCaps;
use crate::protect::{csrf, headers, timeouts};
use crate::routes::docs::OpenApiJson;
use crate::search::SearchIndex;
use crate::state::AppState;
use crate::tickets::live::{TicketFeed, TicketHub};
use crate::tickets::policy::{self, PolicyHolder};
use crate::tickets::{auto_close, queue, sla_watch};
use crate::{db, routes, seed, spa};

/// JSON bodies are small (forms). Routes that carry more set their own limit, which
/// wins because it sits closer to the handler: article text (`routes/kb_authoring.rs`)
/// and image uploads (`routes/kb_images.rs`).
const JSON_BODY_LIMIT: usize = 64 * 1024;

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

impl Application {
    pub async fn build(database: &DatabaseArgs, serve: &ServeArgs) -> anyhow::Result<Self> {
        let pool = db::connect(database).await?;
        db::migrate(&pool).await?;
        if serve.seed_demo {
            seed::demo(&pool).await?;
            if serve.seed_demo_history {
                seed::history::load_if_missing(&pool).await?;
            }
        }
        let search = Arc::new(SearchIndex::load(&pool).await?);
        let mailer = Mailer::from_args(&serve.smtp)?.map(Arc::new);
        let imap = ImapSettings::from_args(&serve.imap)?;
        let reply_address = match &imap {
            Some(_) => {
                let address = serve
                    .imap
                    .imap_address
                    .as_deref()
                    .unwrap_or(&serve.smtp.smtp_from);
                Some(Arc::new(ReplyAddress::parse(address).with_context(|| {
                    format!("SELFDESK_IMAP_ADDRESS (or SELFDESK_SMTP_FROM) {address:?} is not an address like help@example.org")
                })?))
            }
            None => None,
        };
        // Bound before the state is built: with port 0 (tests) the default public URL
        // needs the port actually given.
        let listener = TcpListener::bind(serve.bind)
            .await
            .with_context(|| format!("binding {}", serve.bind))?;
        let public_url = public_url(serve, listener.local_addr()?, mailer.is_some())?;
        let oidc = match OidcSettings::from_args(&serve.oidc, &public_url)? {
            Some(settings) => Some(Arc::new(Oidc::new(settings)?)),
            None => None,
        };
        let requester_sign_in = serve.oidc.requester_sign_in;
        if requester_sign_in == RequesterSignIn::Required && oidc.is_none() && mailer.is_none() {
            anyhow::bail!(
                "SELFDESK_REQUESTER_SIGN_IN=required needs a way to sign in: set up the organisation's provider (SELFDESK_OIDC_*) or email (SELFDESK_SMTP_*)"
            );
        }
        let staff_sso = oidc.as_deref().is_some_and(|o| o.staff_groups().is_some());
        if serve.staff_sign_in.staff_password_sign_in == PasswordSignIn::Off && !staff_sso {
            anyhow::bail!(
                "SELFDESK_STAFF_PASSWORD_SIGN_IN=off needs staff to sign in another way: set up the provider's staff groups (SELFDESK_OIDC_GROUP_*)"
            );
        }
        let sla = policy::load(&pool).await?;
        let refreshed = queue::refresh_keys(&pool, &sla, false).await?;
        let sla = Arc::new(PolicyHolder::new(sla));
        let insight = Arc::new(Upkeep::default());
        policy::follow(pool.clone(), sla.clone(), insight.clone());
        if refreshed > 0 {
            tracing::info!(tickets = refreshed, "queue: recomputed SLA due times");
        }
        let reach = Arc::new(ReachHolder::new(ReachList::new(
            reach_services::load(&pool).await?,
        )));
        reach_services::follow(pool.clone(), reach.clone());
        let feed = TicketFeed::start(pool.clone()).await?;
        let hub = TicketHub::start(pool.clone(), &feed);
        let protect = &serve.protect;
        let protection = Protection {
            trusted_proxies: protect.trusted_proxies.0.clone(),
            forwarded_header: protect.forwarded_header,
            rate_limits: protect.rate_limits.clone(),
            streams: StreamCaps::new(protect.streams_per_ticket, protect.streams_per_client),
            session_idle_secs: i64::from(protect.session_idle_minutes.max(1)) * 60,
            storage_quota_bytes: mib(protect.storage_quota_mib),
            uploads_waiting_bytes: mib(protect.uploads_waiting_mib),
        };
        let state = AppState {
            db: pool,
            search,
            cookie_secure: serve.cookie_secure,
            sla,
            insight,
            reach,
            feed,
            hub,
            protect: Arc::new(protection),
            mailer,
            outbox: Arc::new(Outbox::new(&serve.outbox)),
            public_url: public_url.into(),
            reply_address,
            oidc,
            requester_sign_in,
            staff_sign_in: serve.staff_sign_in.clone(),
        };
        outbox::worker::spawn(state.db.clone(), state.mailer.clone(), state.outbox.clone());
        if let (Some(settings), Some(ours)) = (imap, state.reply_address.clone()) {
            mail_in::imap::spawn(state.clone(), settings, ours);
        }
        // Facts for tickets written while no server ran (or by an import, or the demo
        // seed above) and, when the service levels changed, for every ticket: in the
        // background, so that a large recomputation never delays the start.
        state
            .insight
            .spawn(state.db.clone(), (*state.sla.current()).clone(), false);
        auto_close::spawn(
            state.clone(),
            auto_close::Lifetimes {
                resolved_tickets: serve.auto_close_days,
                searches: serve.search_log_days,
            },
            std::time::Duration::from_secs(15 * 60),
        );
        sla_watch::spawn(state.clone(), std::time::Duration::from_secs(60));
        let router = app(state.clone(), &serve.static_dir)?;
        Ok(Self {
            listener,
            router,
            state,
        })
    }

    /// What the handlers share (tests look at counters in it).
    pub fn state(&self) -> AppState {
        self.state.clone()
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// Serves until SIGINT or SIGTERM, then lets in-flight requests finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        serve(self.listener, self.router, shutdown_signal()).await;
        Ok(())
    }
}

fn mib(n: u64) -> i64 {
    i64::try_from(n.saturating_mul(1024 * 1024)).unwrap_or(i64::MAX)
}

/// How long a stopping server waits for answers in flight. Live streams never end by
/// themselves; browsers reconnect to another replica, or to this one once restarted.
const DRAIN: std::time::Duration = std::time::Duration::from_secs(10);

/// The accept loop: axum's `serve`, plus the header-read timeout it does not set
/// (see `protect::timeouts`), and a bounded drain on shutdown.
async fn serve(listener: TcpListener, router: Router, shutdown: impl Future<Output = ()>) {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::server::conn::auto::Builder;
    use hyper_util::server::graceful::GracefulShutdown;
    use tower::ServiceExt;

    // HTTP/1.1 only: browsers speak HTTP/2 only over TLS, which a proxy in front
    // terminates, and cleartext HTTP/2 would need timeouts of its own.
    let mut builder = Builder::new(TokioExecutor::new()).http1_only();
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(timeouts::HEADER_READ);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors, typically: wait a moment, do not spin.
                    tracing::warn!(%err, "accepting a connection failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(
            move |mut request: hyper::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                // Before routing, so path parameters see it too (see `error::without_nul`).
                if let Some(uri) = crate::error::without_nul(request.uri()) {
                    *request.uri_mut() = uri;
                }
                router.clone().oneshot(request)
            },
        );
        // Without upgrades (no WebSockets here): `http1_only` holds only then.
        let connection = builder
            .serve_connection(TokioIo::new(stream), service)
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(%err, "connection ended with an error");
            }
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(DRAIN) => {
            tracing::info!("stopping with connections still open (live streams)");
        }
    }
}

/// The portal's address for links in emails: `--public-url`, else the address this
/// server listens on.
fn public_url(serve: &ServeArgs, bound: SocketAddr, mailer: bool) -> anyhow::Result<String> {
    if let Some(url) = serve
        .public_url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            anyhow::bail!(
                "--public-url / SELFDESK_PUBLIC_URL {url:?} must start with https:// or http://"
            );
        }
        return Ok(url.trim_end_matches('/').to_owned());
    }
    if mailer {
        if bound.ip().is_unspecified() {
            tracing::warn!(
                "email is on but SELFDESK_PUBLIC_URL is not set: links in emails will point to http://{bound}, which no one can open; set it to the portal's address"
            );
        } else {
            tracing::info!(
                "links in emails point to http://{bound}; set SELFDESK_PUBLIC_URL if people reach the portal at another address"
            );
        }
    }
    Ok(format!("http://{bound}"))
}

/// The whole HTTP surface: `/api/v1/...` and, for every other path, the web app.
pub fn app(state: AppState, static_dir: &Path) -> anyhow::Result<Router> {
    let (api, openapi) = routes::api_router().split_for_parts();
    let openapi_json = OpenApiJson(Arc::new(
        serde_json::to_string(&crate::openapi::with_common_answers(
            serde_json::to_value(&openapi).context("serialising the OpenAPI document")?,
        ))
        .context("serialising the OpenAPI document")?,
    ));
    let api = api
        .route("/api", any(routes::unknown_route))
        .route("/api/{*rest}", any(routes::unknown_route))
        .method_not_allowed_fallback(routes::method_not_allowed)
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
        .layer(Extension(openapi_json))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            portal_access::require_sign_in,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            csrf::refuse_cross_site,
        ))
        .layer(middleware::from_fn(timeouts::limit_request_time))
        .layer(RequestBodyTimeoutLayer::new(timeouts::BODY_READ_IDLE))
        .layer(middleware::from_fn(headers::api_headers))
        .with_state(state.clone());
    let sign_in = spa::shell::SignInWays {
        organisation: state.offers_organisation_sign_in(),
        email: state.offers_email_sign_in(),
        staff: state
            .oidc
            .as_deref()
            .is_some_and(|o| o.staff_groups().is_some()),
        required: state.requester_sign_in == RequesterSignIn::Required,
        staff_password: state.staff_sign_in.staff_password_sign_in,
    };
    Ok(api
        .fallback_service(spa::service(
            static_dir,
            sign_in,
            state.requester_sign_in,
            state.reach.clone(),
        ))
        .layer(middleware::from_fn_with_state(state, headers::hsts))
        .layer(CompressionLayer::new())
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(TraceLayer::new_for_http()))
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    let body = ErrorBody::new(ErrorCode::Internal, "Something went wrong on the server");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(body),
    )
        .into_response()
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sig) => {
                sig.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
