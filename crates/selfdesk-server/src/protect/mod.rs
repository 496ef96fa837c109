//! Holding up under abuse: who the client is behind proxies, per-client limits on
//! anonymous writes, caps on open streams, the cross-site check and the headers every
//! answer carries. (Password hashing has its own limit, in `auth::password`.) The threat model these answer is in docs/ARCHITECTURE.md.

pub mod client_addr;
pub mod csrf;
pub mod headers;
pub mod rate_limits;
pub mod storage_quota;
pub mod stream_caps;
pub mod timeouts;

use ipnet::IpNet;

use self::rate_limits::RateLimits;
use self::stream_caps::StreamCaps;

/// The protection settings and shared counters of one replica.
pub struct Protection {
    /// Peers whose forwarding headers are believed (`SELFDESK_TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<IpNet>,
    /// The header those proxies write.
    pub forwarded_header: client_addr::ForwardedHeader,
    pub rate_limits: RateLimits,
    pub streams: StreamCaps,
    /// A staff session unused this long ends.
    pub session_idle_secs: i64,
    /// All stored files together (attachments and article images) may not exceed this.
    pub storage_quota_bytes: i64,
    /// Uploads not yet attached to a ticket, together; one address may hold a quarter.
    pub uploads_waiting_bytes: i64,
}
