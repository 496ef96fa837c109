//! The organisation's services a reach check tries (`checks::reach`): the intranet,
//! mail, the VPN gateway, a public site for "is the internet up". Admins keep the
//! list; the server also lets the diagnostics page connect to exactly these sites
//! (its Content Security Policy's `connect-src`, built from [`origin`]), so an
//! address is checked strictly here: whatever passes becomes part of a header, and
//! must be a host a CSP source can name (a DNS name or an IPv4 address).

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Reason};

/// Enough for the services people depend on; each is one request per reach check.
pub const MAX_REACH_SERVICES: usize = 8;
/// "Intranet", "Mail (Outlook on the web)".
pub const MAX_SERVICE_NAME_CHARS: usize = 60;
pub const MAX_SERVICE_URL_CHARS: usize = 300;

/// One service: what people call it, and an address the browser tries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReachService {
    /// Shown to the requester and in the ticket ("Intranet").
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 60,
            pattern = "^[^\\x00-\\x1f\\x7f]*\\S[^\\x00-\\x1f\\x7f]*$"
        )
    )]
    pub name: String,
    /// `https://intranet.example.org/` (or `http://` when the portal itself is
    /// served over plain HTTP: browsers block plain requests from an HTTPS page).
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 300,
            pattern = "^\\s*[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?][!-~]*)?\\s*$"
        )
    )]
    pub url: String,
}

/// The whole list, in the order the check shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReachServices {
    #[cfg_attr(feature = "openapi", schema(max_items = 8))]
    pub services: Vec<ReachService>,
}

/// The list as stored (names and addresses trimmed, hosts in lower case), or every
/// problem, each named by its place (`services.2.url`). `https_only`: the portal is
/// served over HTTPS, so a plain `http://` address could never be tried.
pub fn check_reach_services(
    list: &ReachServices,
    https_only: bool,
) -> Result<ReachServices, Vec<FieldError>> {
    let mut problems = Vec::new();
    if list.services.len() > MAX_REACH_SERVICES {
        problems.push(
            FieldError::new("services", Reason::too_many(MAX_REACH_SERVICES)).because(format!(
                "At most {MAX_REACH_SERVICES} services can be checked"
            )),
        );
        return Err(problems);
    }
    let mut services = Vec::with_capacity(list.services.len());
    let mut names_seen: Vec<String> = Vec::new();
    for (i, service) in list.services.iter().enumerate() {
        let name = service.name.trim();
        let field = |part: &str| format!("services.{i}.{part}");
        if name.is_empty() {
            problems.push(
                FieldError::new(field("name"), Reason::Required)
                    .because("Every service needs a name"),
            );
        } else if name.chars().count() > MAX_SERVICE_NAME_CHARS {
            problems.push(
                FieldError::new(field("name"), Reason::too_long(MAX_SERVICE_NAME_CHARS)).because(
                    format!("A name has at most {MAX_SERVICE_NAME_CHARS} characters"),
                ),
            );
        } else if name.chars().any(char::is_control) {
            problems.push(
                FieldError::new(field("name"), Reason::OneLine)
                    .because("A name must fit on one line"),
            );
        } else if names_seen.contains(&name.to_lowercase()) {
            problems.push(
                FieldError::new(field("name"), Reason::Duplicate)
                    .because("Another service has this name"),
            );
        }
        names_seen.push(name.to_lowercase());
        let url = service.url.trim();
        match checked_url(url, https_only) {
            Err(reason) => problems.push(FieldError::new(field("url"), reason).because(
                if https_only {
                    "An address is a full https:// address, such as https://intranet.example.org/"
                } else {
                    "An address is a full http:// or https:// address, such as \
                     https://intranet.example.org/"
                },
            )),
            Ok(url) => services.push(ReachService {
                name: name.to_owned(),
                url,
            }),
        }
    }
    if problems.is_empty() {
        Ok(ReachServices { services })
    } else {
        Err(problems)
    }
}

/// The address with its scheme and host in lower case, or why not.
fn checked_url(url: &str, https_only: bool) -> Result<String, Reason> {
    if url.is_empty() {
        return Err(Reason::Required);
    }
    if url.chars().count() > MAX_SERVICE_URL_CHARS {
        return Err(Reason::too_long(MAX_SERVICE_URL_CHARS));
    }
    let (origin, rest) = split(url).ok_or(Reason::BadFormat)?;
    if origin.starts_with("http:") && https_only {
        return Err(Reason::BadFormat);
    }
    // The path and query are only ever requested, never put in a header; printable
    // ASCII keeps them from meaning anything else anywhere.
    if !rest.bytes().all(|b| b.is_ascii_graphic()) || rest.contains('#') {
        return Err(Reason::BadFormat);
    }
    Ok(format!("{origin}{rest}"))
}

/// `scheme://host[:port]` of a stored address: one source of a `connect-src`.
pub fn origin(url: &str) -> Option<String> {
    split(url).map(|(origin, _)| origin)
}

/// The origin in lower case, and the rest (path, query) as written. `None` unless the
/// scheme is http or https, there are no credentials, and the host is a DNS name or
/// an IPv4 address: a CSP source cannot name an IPv6 address (its grammar has no
/// brackets), so such a service could never be tried.
fn split(url: &str) -> Option<(String, &str)> {
    let (scheme, after) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let end = after.find(['/', '?']).unwrap_or(after.len());
    let (authority, rest) = after.split_at(end);
    let authority = authority.to_ascii_lowercase();
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host.to_owned(), Some(port)),
        None => (authority.clone(), None),
    };
    if !is_dns_name(&host) || (looks_numeric(&host) && !is_ipv4(&host)) {
        return None;
    }
    let port = match port {
        None if authority.ends_with(':') => return None,
        None => String::new(),
        Some(port) => {
            let number: u16 = port.parse().ok().filter(|p| *p > 0)?;
            if !port.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            format!(":{number}")
        }
    };
    Some((format!("{scheme}://{host}{port}"), rest))
}

/// Browsers read a host whose last label is a number (`10.0.0.1`, `0x7f.1`) as an IPv4
/// address, however it is written.
fn looks_numeric(host: &str) -> bool {
    let last = host.rsplit('.').next().unwrap_or("");
    last.bytes().all(|b| b.is_ascii_digit()) || last.starts_with("0x")
}

/// Four decimal numbers 0-255 without leading zeros: the form browsers keep as it is.
fn is_ipv4(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes().all(|b| b.is_ascii_digit())
                && (p.len() == 1 || !p.starts_with('0'))
                && p.parse::<u8>().is_ok()
        })
}

/// Labels of a-z, 0-9 and `-` (not at either end), separated by single dots.
fn is_dns_name(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(services: &[(&str, &str)]) -> ReachServices {
        ReachServices {
            services: services
                .iter()
                .map(|(name, url)| ReachService {
                    name: (*name).into(),
                    url: (*url).into(),
                })
                .collect(),
        }
    }

    fn fields(result: Result<ReachServices, Vec<FieldError>>) -> Vec<String> {
        result
            .unwrap_err()
            .into_iter()
            .map(|e| e.field.into_owned())
            .collect()
    }

    #[test]
    fn good_addresses_are_kept_with_their_origin_in_lower_case() {
        let checked = check_reach_services(
            &list(&[
                (" Intranet ", " HTTPS://Intranet.Example.org/Status?x=1 "),
                ("VPN", "https://10.0.0.1:8443"),
            ]),
            true,
        )
        .unwrap();
        assert_eq!(checked.services[0].name, "Intranet");
        assert_eq!(
            checked.services[0].url,
            "https://intranet.example.org/Status?x=1"
        );
        assert_eq!(
            origin(&checked.services[1].url).unwrap(),
            "https://10.0.0.1:8443"
        );
    }

    #[test]
    fn nothing_that_could_change_a_header_passes() {
        for bad in [
            "intranet.example.org",
            "ftp://files.example.org/",
            "https://user:pw@example.org/",
            "https://exa mple.org/",
            "https://example.org;script-src *",
            "https://example.org'/",
            "https://example.org:/",
            "https://example.org:99999/",
            "https://example.org:+1/",
            "https://-bad.example.org/",
            "https://[fd00::1]/",
            "https://[::1]@evil.example/",
            "https://999.1.1.1/",
            "https://0x7f.1/",
            "https://10.0.0.01/",
            "https://10.0.0/",
            "https://example.org/a b",
            "https://example.org/#top",
            "https://*.example.org/",
            "https://exämple.org/",
        ] {
            assert_eq!(
                fields(check_reach_services(&list(&[("X", bad)]), false)),
                ["services.0.url"],
                "{bad}"
            );
        }
    }

    #[test]
    fn plain_http_only_where_the_portal_is_plain_too() {
        let one = list(&[("Intranet", "http://127.0.0.1:8080/")]);
        assert!(check_reach_services(&one, false).is_ok());
        assert_eq!(fields(check_reach_services(&one, true)), ["services.0.url"]);
    }

    #[test]
    fn every_problem_is_named_by_its_place() {
        let problems = fields(check_reach_services(
            &list(&[
                ("", "https://a.example.org/"),
                ("Mail", ""),
                ("mail", "https://b.example.org/"),
                ("Two\nlines", "https://c.example.org/"),
            ]),
            true,
        ));
        assert_eq!(
            problems,
            [
                "services.0.name",
                "services.1.url",
                "services.2.name",
                "services.3.name"
            ]
        );
        let many: Vec<(&str, &str)> = (0..=MAX_REACH_SERVICES)
            .map(|_| ("X", "https://a.example.org/"))
            .collect();
        assert_eq!(
            fields(check_reach_services(&list(&many), true)),
            ["services"]
        );
    }
}
