//! Who is on the other end: the address every per-client limit counts against.
//!
//! Behind a load balancer every connection comes from the balancer, so counting by
//! peer would put all people in one bucket (30 wrong passwords from anyone would lock
//! out all staff). Only when the peer is one of `SELFDESK_TRUSTED_PROXIES` is the
//! forwarding header believed, and then only as far as it stays inside the trusted
//! hops: the client is the rightmost address that is not a trusted proxy. Anything
//! left of it was written by the client and proves nothing.
//!
//! Only the one header the proxies write is read (`SELFDESK_FORWARDED_HEADER`,
//! `X-Forwarded-For` by default): most balancers append to `X-Forwarded-For` and pass
//! a client's own `Forwarded` through untouched, so reading whichever is present would
//! let a client name any address it likes.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::IpNet;

use crate::error::ApiError;
use crate::state::AppState;

/// The client's address as limits see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl ClientAddr {
    /// The text stored in limit tables: IPv6 clients are counted per /64, since one
    /// household or phone gets a whole /64 and could otherwise rotate addresses freely.
    pub fn key(&self) -> String {
        match self.0 {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => v4.to_string(),
                None => {
                    let s = v6.segments();
                    format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
                }
            },
        }
    }
}

/// The proxies whose forwarding headers are believed (`SELFDESK_TRUSTED_PROXIES`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(pub Vec<IpNet>);

impl std::str::FromStr for TrustedProxies {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse_trusted(text).map(Self)
    }
}

impl ClientAddr {
    /// The key for limits kept apart for staff (their own pool of streams).
    pub fn staff_key(&self) -> String {
        format!("staff {}", self.key())
    }
}

/// Parses `SELFDESK_TRUSTED_PROXIES`: CIDR blocks or single addresses, separated by
/// commas or white space.
pub fn parse_trusted(list: &str) -> Result<Vec<IpNet>, String> {
    list.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(|item| {
            item.parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    format!(
                        "{item:?} is not an address or CIDR block (e.g. 10.0.0.0/8 or 127.0.0.1)"
                    )
                })
        })
        .collect()
}

/// The header the trusted proxies write the client's address into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ForwardedHeader {
    /// `X-Forwarded-For: client, proxy1` (nginx, HAProxy, AWS, most balancers).
    #[default]
    XForwardedFor,
    /// RFC 7239 `Forwarded: for=client` (for proxies configured to write it).
    Forwarded,
}

/// The client behind `peer`, given the request's headers, the trusted proxies and
/// the header they write.
pub fn client_of(
    peer: IpAddr,
    headers: &HeaderMap,
    trusted: &[IpNet],
    header: ForwardedHeader,
) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(&canonical(*ip)));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops = match header {
        ForwardedHeader::XForwardedFor => x_forwarded_for(headers),
        ForwardedHeader::Forwarded => forwarded_for(headers),
    };
    let mut client = peer;
    for hop in hops.iter().rev() {
        match hop {
            Some(ip) => {
                client = *ip;
                if !is_trusted(ip) {
                    return *ip;
                }
            }
            // An obfuscated or unparsable hop: nothing further left can be believed,
            // and the trusted proxy that wrote it is the best we know.
            None => return client,
        }
    }
    client
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// Every `for=` of every `Forwarded` header, in order.
fn forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let mut hops = Vec::new();
    for value in headers.get_all("forwarded") {
        let Ok(text) = value.to_str() else {
            hops.push(None);
            continue;
        };
        for element in text.split(',') {
            let for_value = element.split(';').find_map(|pair| {
                let (key, value) = pair.split_once('=')?;
                key.trim()
                    .eq_ignore_ascii_case("for")
                    .then(|| value.trim().trim_matches('"'))
            });
            if let Some(value) = for_value {
                hops.push(parse_node(value));
            }
        }
    }
    hops
}

fn x_forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .flat_map(|value| {
            value
                .to_str()
                .map(|text| text.split(',').map(|s| parse_node(s.trim())).collect())
                .unwrap_or_else(|_| vec![None])
        })
        .collect()
}

/// `192.0.2.1`, `192.0.2.1:4711`, `[2001:db8::1]`, `[2001:db8::1]:4711` or a bare IPv6.
fn parse_node(node: &str) -> Option<IpAddr> {
    if let Ok(ip) = node.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(addr) = node.parse::<SocketAddr>() {
        return Some(addr.ip());
    }
    node.strip_prefix('[')
        .and_then(|rest| rest.split_once(']'))
        .and_then(|(inside, _)| inside.parse().ok())
}

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
            .ok_or_else(|| ApiError::internal("the server runs without connection info"))?;
        Ok(Self(client_of(
            peer,
            &parts.headers,
            &state.protect.trusted_proxies,
            state.protect.forwarded_header,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const XFF: ForwardedHeader = ForwardedHeader::XForwardedFor;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        map
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn untrusted_peers_are_taken_as_they_are() {
        let h = headers(&[("x-forwarded-for", "203.0.113.9")]);
        let trusted = parse_trusted("10.0.0.0/8").unwrap();
        assert_eq!(
            client_of(ip("198.51.100.7"), &h, &trusted, XFF),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_of(ip("198.51.100.7"), &h, &[], XFF),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        let trusted = parse_trusted("10.0.0.0/8, 192.168.1.1").unwrap();
        // The client forged the first entry; the balancer appended the real one.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9, 192.168.1.1")]);
        assert_eq!(
            client_of(ip("10.0.0.2"), &h, &trusted, XFF),
            ip("203.0.113.9")
        );
        // Two header lines count as one list.
        let h = headers(&[
            ("x-forwarded-for", "1.2.3.4"),
            ("x-forwarded-for", "203.0.113.9"),
        ]);
        assert_eq!(
            client_of(ip("10.0.0.2"), &h, &trusted, XFF),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn only_the_configured_header_is_read_and_forwarded_is_parsed() {
        let trusted = parse_trusted("10.0.0.0/8").unwrap();
        let h = headers(&[
            ("x-forwarded-for", "203.0.113.50"),
            (
                "forwarded",
                "for=1.2.3.4;proto=https, for=\"[2001:db8::7]:4711\";by=10.0.0.1",
            ),
        ]);
        // A client's own `Forwarded` is not read when the proxies write XFF.
        assert_eq!(
            client_of(ip("10.0.0.2"), &h, &trusted, XFF),
            ip("203.0.113.50")
        );
        let fwd = ForwardedHeader::Forwarded;
        assert_eq!(
            client_of(ip("10.0.0.2"), &h, &trusted, fwd),
            ip("2001:db8::7")
        );
        let h = headers(&[("forwarded", "for=203.0.113.9:1234")]);
        assert_eq!(
            client_of(ip("10.0.0.2"), &h, &trusted, fwd),
            ip("203.0.113.9")
        );
        assert_eq!(client_of(ip("10.0.0.2"), &h, &trusted, XFF), ip("10.0.0.2"));
    }

    #[test]
    fn an_unreadable_hop_stops_the_walk_at_the_last_trusted_one() {
        let trusted = parse_trusted("10.0.0.0/8").unwrap();
        let h = headers(&[("forwarded", "for=_hidden, for=10.0.0.9")]);
        let fwd = ForwardedHeader::Forwarded;
        assert_eq!(client_of(ip("10.0.0.2"), &h, &trusted, fwd), ip("10.0.0.9"));
        let h = headers(&[("x-forwarded-for", "garbage, 10.0.0.9")]);
        assert_eq!(client_of(ip("10.0.0.2"), &h, &trusted, XFF), ip("10.0.0.9"));
        // No header at all: the proxy itself.
        assert_eq!(
            client_of(ip("10.0.0.2"), &HeaderMap::new(), &trusted, XFF),
            ip("10.0.0.2")
        );
    }

    #[test]
    fn ipv6_clients_count_per_64_and_mapped_v4_as_v4() {
        assert_eq!(
            ClientAddr(ip("2001:db8:1:2:aaaa::1")).key(),
            "2001:db8:1:2::/64"
        );
        assert_eq!(ClientAddr(ip("::ffff:192.0.2.1")).key(), "192.0.2.1");
    }

    #[test]
    fn bad_proxy_lists_name_the_bad_item() {
        let err = parse_trusted("10.0.0.0/8, nonsense").unwrap_err();
        assert!(err.contains("\"nonsense\""), "{err}");
    }
}
