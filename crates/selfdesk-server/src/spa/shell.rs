//! The apps' page before its script runs, in the reader's language: `lang`, the
//! `<title>`, the description and the `<noscript>` text. What search results, link
//! previews and a browser without JavaScript show would otherwise be English on every
//! portal; the app then keeps the title per page. The language is the browser's
//! (`Accept-Language`), as the app itself chooses it on a first visit; a language
//! chosen in the app later is kept in the browser, out of the server's sight, so the
//! shell may differ from it until the script runs.

use selfdesk_shared::areas::AppArea;
use selfdesk_shared::language::Language;

/// The texts of `index.html`, `diagnose.html`, `filing.html`, `my-tickets.html`,
/// `tracking.html`, `staff.html` and `insight.html` as written (English);
/// a test checks that the sources still contain them.
const DESCRIPTION: &str =
    "Selfdesk: fix computer, printer, network and program problems yourself, or ask IT.";
const NOSCRIPT: &str = "Selfdesk needs JavaScript and WebAssembly. Please enable JavaScript, or contact your IT department directly.";

struct Shell {
    description: &'static str,
    noscript: &'static str,
    diagnose: &'static str,
    tickets: &'static str,
    staff: &'static str,
    insight: &'static str,
}

fn shell(language: Language) -> Shell {
    match language {
        Language::En => Shell {
            description: DESCRIPTION,
            noscript: NOSCRIPT,
            diagnose: "Selfdesk — diagnose",
            tickets: "Selfdesk — tickets",
            staff: "Selfdesk — staff",
            insight: "Selfdesk — Insight",
        },
        Language::Ru => Shell {
            description: "Selfdesk: решите проблемы с компьютером, принтером, сетью и программами сами — или обратитесь в ИТ.",
            noscript: "Для Selfdesk нужны JavaScript и WebAssembly. Включите JavaScript или обратитесь в ИТ-отдел напрямую.",
            diagnose: "Selfdesk — диагностика",
            tickets: "Selfdesk — заявки",
            staff: "Selfdesk — раздел сотрудников",
            insight: "Selfdesk — Аналитика",
        },
        Language::Fr => Shell {
            description: "Selfdesk : réglez vous-même les problèmes d’ordinateur, d’imprimante, de réseau et de logiciels — ou demandez à l’informatique.",
            noscript: "Selfdesk a besoin de JavaScript et de WebAssembly. Activez JavaScript, ou contactez directement votre service informatique.",
            diagnose: "Selfdesk — diagnostic",
            tickets: "Selfdesk — tickets",
            staff: "Selfdesk — espace du personnel",
            insight: "Selfdesk — Statistiques",
        },
        Language::Nb => Shell {
            description: "Selfdesk: løs problemer med datamaskin, skriver, nettverk og programmer selv – eller spør IT.",
            noscript: "Selfdesk trenger JavaScript og WebAssembly. Slå på JavaScript, eller kontakt IT-avdelingen direkte.",
            diagnose: "Selfdesk — feilsøking",
            tickets: "Selfdesk — saker",
            staff: "Selfdesk — ansattområde",
            insight: "Selfdesk — Innsikt",
        },
    }
}

/// The reader's language from an `Accept-Language` header: the tags by their
/// weight (`q`, 1 when absent; 0 means "not this one"), the first we speak.
pub fn language_of(accept_language: Option<&str>) -> Language {
    let Some(header) = accept_language else {
        return Language::En;
    };
    let mut tags: Vec<(&str, f32)> = header
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';');
            let tag = pieces.next()?.trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (!tag.is_empty() && q > 0.0).then_some((tag, q))
        })
        .collect();
    // Stable: equal weights keep the browser's order.
    tags.sort_by(|a, b| b.1.total_cmp(&a.1));
    Language::negotiate(tags.into_iter().map(|(tag, _)| tag))
}

/// `html` (an app's built page) with its texts in `language`.
pub fn localized(html: &str, area: AppArea, language: Language) -> String {
    if language == Language::En {
        return html.to_owned();
    }
    let texts = shell(language);
    let title = match area {
        AppArea::Portal => "Selfdesk",
        AppArea::Diagnose => texts.diagnose,
        AppArea::Filing | AppArea::MyTickets | AppArea::Tracking => texts.tickets,
        AppArea::Staff | AppArea::Manage => texts.staff,
        AppArea::Insight => texts.insight,
    };
    let mut page = html
        .replacen("lang=en", &format!("lang={}", language.code()), 1)
        .replacen("lang=\"en\"", &format!("lang=\"{}\"", language.code()), 1)
        .replacen(DESCRIPTION, texts.description, 1)
        .replacen(NOSCRIPT, texts.noscript, 1);
    if let (Some(start), Some(end)) = (page.find("<title>"), page.find("</title>")) {
        page.replace_range(start + "<title>".len()..end, title);
    }
    page
}

/// The ways to sign in on this portal besides staff passwords.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SignInWays {
    /// Requesters, with the organisation's provider.
    pub organisation: bool,
    /// Requesters, with a link by email.
    pub email: bool,
    /// Staff, with the organisation's provider (staff groups are set up).
    pub staff: bool,
    /// Requesters must sign in (a private portal).
    pub required: bool,
    /// Who may sign in as staff with a password (`password-admins`, `no-password`).
    pub staff_password: crate::config::PasswordSignIn,
}

/// `html` with what its pages need to offer signing in without asking the server:
/// `data-sign-in` lists the ways offered (`organisation`, `email`, `staff`, and
/// `required` on a private portal, and `password-admins` or `no-password` when staff
/// passwords are for admins only or for nobody; none:
/// nothing is written, and no page offers them), `data-signed-in` is there when the
/// browser holds a requester cookie.
pub fn requester(html: &str, ways: SignInWays, signed_in: bool) -> String {
    let mut offered = Vec::new();
    if ways.organisation {
        offered.push("organisation");
    }
    if ways.email {
        offered.push("email");
    }
    if ways.staff {
        offered.push("staff");
    }
    if ways.required {
        offered.push("required");
    }
    match ways.staff_password {
        crate::config::PasswordSignIn::On => {}
        crate::config::PasswordSignIn::Admins => offered.push("password-admins"),
        crate::config::PasswordSignIn::Off => offered.push("no-password"),
    }
    if offered.is_empty() {
        return html.to_owned();
    }
    let mut attributes = format!(" data-sign-in=\"{}\"", offered.join(" "));
    if signed_in {
        attributes.push_str(" data-signed-in");
    }
    html.replacen("<html", &format!("<html{attributes}"), 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_says_how_requesters_sign_in_and_whether_they_did() {
        let built = "<!doctype html><html lang=en><body>";
        let none = SignInWays::default();
        assert_eq!(requester(built, none, true), built);
        let both = SignInWays {
            organisation: true,
            email: true,
            staff: false,
            required: false,
            ..SignInWays::default()
        };
        assert_eq!(
            requester(built, both, false),
            "<!doctype html><html data-sign-in=\"organisation email\" lang=en><body>"
        );
        let email = SignInWays {
            email: true,
            ..SignInWays::default()
        };
        assert!(
            requester(built, email, true)
                .contains("<html data-sign-in=\"email\" data-signed-in lang=en>")
        );
    }

    #[test]
    fn the_browsers_weights_choose_the_language() {
        assert_eq!(language_of(None), Language::En);
        assert_eq!(language_of(Some("ru-RU,ru;q=0.9,en;q=0.8")), Language::Ru);
        assert_eq!(
            language_of(Some("de-DE,de;q=0.9,fr;q=0.8,en;q=0.7")),
            Language::Fr
        );
        assert_eq!(language_of(Some("en;q=0.5, nb;q=0.9")), Language::Nb);
        assert_eq!(language_of(Some("fr;q=0, en")), Language::En);
        assert_eq!(language_of(Some("*")), Language::En);
    }

    #[test]
    fn the_page_speaks_the_language_before_its_script_runs() {
        let built = format!(
            "<!doctype html><html lang=en><meta content=\"{DESCRIPTION}\" name=description><title>Selfdesk — tickets</title><body><noscript>{NOSCRIPT}</noscript>"
        );
        let page = localized(&built, AppArea::Tracking, Language::Ru);
        assert!(page.contains("<html lang=ru>"), "{page}");
        assert!(page.contains("<title>Selfdesk — заявки</title>"), "{page}");
        assert!(page.contains("решите проблемы"), "{page}");
        assert!(page.contains("Включите JavaScript"), "{page}");
        assert_eq!(localized(&built, AppArea::Tracking, Language::En), built);
    }

    #[test]
    fn the_sources_still_hold_the_texts_replaced() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        for page in [
            "index.html",
            "diagnose.html",
            "filing.html",
            "my-tickets.html",
            "tracking.html",
            "staff.html",
            "insight.html",
        ] {
            let html = std::fs::read_to_string(format!("{root}/{page}")).unwrap();
            assert!(html.contains(DESCRIPTION), "{page}: description");
            assert!(html.contains(NOSCRIPT), "{page}: noscript");
            assert!(html.contains("lang=\"en\""), "{page}: lang");
        }
    }
}
