//! One try of one webhook delivery: resolve the endpoint's host, refuse inside
//! addresses (`address`), POST the signed event to the checked addresses only, and
//! report the answer with its timing.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use super::{address, signature};

/// A receiver that has not answered within this long has failed this try.
pub const TIMEOUT: Duration = Duration::from_secs(15);

/// How a try went.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The answer's status, when there was one.
    pub status: Option<u16>,
    pub duration_ms: i64,
    /// Why it did not succeed; `None` for a 2xx.
    pub error: Option<String>,
    /// Whether trying again cannot help (a refused address, a malformed URL, a bad secret).
    pub permanent: bool,
}

impl Outcome {
    fn refused(error: String, started: Instant) -> Self {
        Self {
            status: None,
            duration_ms: elapsed_ms(started),
            error: Some(error),
            permanent: true,
        }
    }
}

fn elapsed_ms(started: Instant) -> i64 {
    i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX)
}

/// What is delivered where.
pub struct Delivery<'a> {
    pub url: &'a str,
    pub secret: &'a str,
    pub webhook_id: &'a str,
    pub body: &'a str,
    pub timestamp: i64,
    /// `SELFDESK_WEBHOOKS_ALLOW_PRIVATE`.
    pub allow_private: bool,
}

/// The addresses `url` may be delivered to, all checked; an error says why not.
pub async fn addresses(url: &reqwest::Url, allow_private: bool) -> Result<Vec<SocketAddr>, String> {
    let host = url.host_str().ok_or("the URL has no host")?;
    let port = url
        .port_or_known_default()
        .ok_or("the URL has no port for its scheme")?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let found: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|err| format!("cannot resolve {host}: {err}"))?
        .collect();
    if found.is_empty() {
        return Err(format!("{host} has no address"));
    }
    if !allow_private {
        for addr in &found {
            if let Some(why) = address::refused(addr.ip()) {
                return Err(format!(
                    "refused: {host} resolves to {} ({why}); webhooks go to public addresses only unless SELFDESK_WEBHOOKS_ALLOW_PRIVATE is set",
                    addr.ip()
                ));
            }
        }
    }
    Ok(found)
}

pub async fn deliver(delivery: &Delivery<'_>) -> Outcome {
    let started = Instant::now();
    let url = match reqwest::Url::parse(delivery.url) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => url,
        _ => return Outcome::refused("the endpoint's URL is not an http(s) URL".into(), started),
    };
    let Some(key) = signature::key_of(delivery.secret) else {
        return Outcome::refused("the endpoint's secret is not a whsec_ key".into(), started);
    };
    let resolved = match addresses(&url, delivery.allow_private).await {
        Ok(resolved) => resolved,
        Err(error) => {
            // A name that does not resolve may resolve later; a refused address not.
            let permanent = error.starts_with("refused");
            return Outcome {
                permanent,
                ..Outcome::refused(error, started)
            };
        }
    };
    let host = url.host_str().unwrap_or_default().to_owned();
    // Connections go to the addresses just checked, never to a new lookup; redirects
    // are not followed (a redirect could point anywhere).
    let client = match reqwest::Client::builder()
        .resolve_to_addrs(&host, &resolved)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(TIMEOUT)
        .no_proxy()
        .build()
    {
        Ok(client) => client,
        Err(err) => return Outcome::refused(format!("setting up HTTP: {err}"), started),
    };
    let signature = signature::sign(&key, delivery.webhook_id, delivery.timestamp, delivery.body);
    let sent = client
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", delivery.webhook_id)
        .header("webhook-timestamp", delivery.timestamp.to_string())
        .header("webhook-signature", signature)
        .body(delivery.body.to_owned())
        .send()
        .await;
    let duration_ms = elapsed_ms(started);
    match sent {
        Ok(response) if response.status().is_success() => Outcome {
            status: Some(response.status().as_u16()),
            duration_ms,
            error: None,
            permanent: false,
        },
        Ok(response) => Outcome {
            status: Some(response.status().as_u16()),
            duration_ms,
            error: Some(format!("the endpoint answered {}", response.status())),
            // Receivers answer 4xx for a bad signature or a gone route and 5xx when
            // down; both are retried, as Standard Webhooks senders do.
            permanent: false,
        },
        Err(err) => Outcome {
            status: None,
            duration_ms,
            error: Some(format!("no answer: {err}")),
            permanent: false,
        },
    }
}
