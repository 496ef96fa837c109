//! What the help desk writes to requesters, in each language it speaks. Plain text
//! only: every mail client shows it the same, and there is no markup to escape.
//!
//! Everything the requester typed (name, subject) passes through [`one_line`] before
//! it goes into a header or the text: a subject with a line break must not be able to
//! add headers (`Bcc:`) or lay out a fake message of its own.

use selfdesk_shared::language::Language;

/// One message, ready for the transport.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub subject: String,
    pub body: String,
}

/// The facts every ticket email states.
pub struct TicketFacts<'a> {
    pub language: Language,
    pub number: &'a str,
    pub subject: &'a str,
    pub requester_name: &'a str,
    /// The tracking page with the access token: `…/tickets/SD-…#access=…`.
    pub link: &'a str,
}

/// Control characters (CR and LF above all) become spaces, runs of spaces one space.
pub fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_control() || c.is_whitespace())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The texts of one language. `{number}`-style placeholders would need a template
/// engine; fixed pieces put together in code keep each language readable in one place.
struct Texts {
    filed_subject: &'static str,
    link_subject: &'static str,
    hello: &'static str,
    filed_intro: &'static str,
    link_intro: &'static str,
    number: &'static str,
    subject: &'static str,
    filed_open: &'static str,
    link_open: &'static str,
    filed_secret: &'static str,
    link_secret: &'static str,
    signature: &'static str,
}

const EN: Texts = Texts {
    filed_subject: "We have your ticket",
    link_subject: "Your link to the ticket",
    hello: "Hello",
    filed_intro: "We have received your ticket, and the IT team will take it from here.",
    link_intro: "Someone, most likely you, asked for a new link to this ticket.",
    number: "Ticket number",
    subject: "Subject",
    filed_open: "Follow the ticket, answer the technicians and confirm the fix on its page:",
    link_open: "Open the ticket:",
    filed_secret: "Anyone with this link can see the ticket and act on it, so keep this email to yourself and do not forward it.",
    link_secret: "Anyone with this link can see the ticket and act on it, so do not forward this email. If you did not ask for it, you can ignore it: only this mailbox received the link, and your earlier links still work.",
    signature: "Selfdesk, your IT help desk",
};

const RU: Texts = Texts {
    filed_subject: "Мы получили вашу заявку",
    link_subject: "Ссылка на вашу заявку",
    hello: "Здравствуйте",
    filed_intro: "Мы получили вашу заявку, ИТ-отдел займётся ею.",
    link_intro: "Кто-то, скорее всего вы, запросил новую ссылку на эту заявку.",
    number: "Номер заявки",
    subject: "Тема",
    filed_open: "Следите за заявкой, отвечайте специалистам и подтвердите решение на её странице:",
    link_open: "Открыть заявку:",
    filed_secret: "Любой, у кого есть эта ссылка, может видеть заявку и действовать в ней, поэтому не пересылайте это письмо.",
    link_secret: "Любой, у кого есть эта ссылка, может видеть заявку и действовать в ней, поэтому не пересылайте это письмо. Если вы не запрашивали ссылку, просто не обращайте внимания на письмо: ссылку получил только этот почтовый ящик, а прежние ссылки продолжают работать.",
    signature: "Selfdesk, ваша служба ИТ-поддержки",
};

const FR: Texts = Texts {
    filed_subject: "Nous avons bien reçu votre ticket",
    link_subject: "Votre lien vers le ticket",
    hello: "Bonjour",
    filed_intro: "Nous avons bien reçu votre ticket ; l’équipe informatique s’en occupe.",
    link_intro: "Quelqu’un, sans doute vous, a demandé un nouveau lien vers ce ticket.",
    number: "Numéro du ticket",
    subject: "Objet",
    filed_open: "Suivez le ticket, répondez aux techniciens et confirmez la résolution sur sa page :",
    link_open: "Ouvrir le ticket :",
    filed_secret: "Toute personne qui a ce lien peut voir le ticket et agir dessus : gardez ce message pour vous et ne le transférez pas.",
    link_secret: "Toute personne qui a ce lien peut voir le ticket et agir dessus : ne transférez pas ce message. Si vous n’avez rien demandé, ignorez-le : seule cette boîte aux lettres a reçu le lien, et vos liens précédents fonctionnent toujours.",
    signature: "Selfdesk, votre support informatique",
};

const NB: Texts = Texts {
    filed_subject: "Vi har mottatt saken din",
    link_subject: "Lenken til saken din",
    hello: "Hei",
    filed_intro: "Vi har mottatt saken din, og IT-avdelingen tar den herfra.",
    link_intro: "Noen, mest sannsynlig du, ba om en ny lenke til denne saken.",
    number: "Saksnummer",
    subject: "Emne",
    filed_open: "Følg saken, svar teknikerne og bekreft løsningen på sakens side:",
    link_open: "Åpne saken:",
    filed_secret: "Alle som har denne lenken, kan se saken og gjøre endringer i den, så behold denne e-posten for deg selv og ikke videresend den.",
    link_secret: "Alle som har denne lenken, kan se saken og gjøre endringer i den, så ikke videresend denne e-posten. Hvis du ikke ba om den, kan du se bort fra den: bare denne innboksen fikk lenken, og de tidligere lenkene dine virker fortsatt.",
    signature: "Selfdesk, IT-brukerstøtten din",
};

fn texts(language: Language) -> &'static Texts {
    match language {
        Language::En => &EN,
        Language::Ru => &RU,
        Language::Fr => &FR,
        Language::Nb => &NB,
    }
}

/// The confirmation sent when a ticket is filed.
pub fn ticket_filed(facts: &TicketFacts<'_>) -> Email {
    let t = texts(facts.language);
    compose(
        facts,
        t,
        t.filed_subject,
        t.filed_intro,
        t.filed_open,
        t.filed_secret,
    )
}

/// A fresh link, asked for with the ticket number and the requester's address.
pub fn new_link(facts: &TicketFacts<'_>) -> Email {
    let t = texts(facts.language);
    compose(
        facts,
        t,
        t.link_subject,
        t.link_intro,
        t.link_open,
        t.link_secret,
    )
}

fn compose(
    facts: &TicketFacts<'_>,
    t: &Texts,
    subject_line: &str,
    intro: &str,
    open: &str,
    secret: &str,
) -> Email {
    let number = one_line(facts.number);
    let subject = one_line(facts.subject);
    let name = one_line(facts.requester_name);
    let link = one_line(facts.link);
    // French puts a space before the colon; the pieces carry their own punctuation.
    let colon = if facts.language == Language::Fr {
        " :"
    } else {
        ":"
    };
    let greeting = match (name.is_empty(), facts.language) {
        (true, _) => format!("{},", t.hello),
        (false, Language::Ru) => format!("{}, {name}!", t.hello),
        (false, _) => format!("{} {name},", t.hello),
    };
    let body = format!(
        "{greeting}\n\n{intro}\n\n{number_label}{colon} {number}\n{subject_label}{colon} {subject}\n\n{open}\n{link}\n\n{secret}\n\n-- \n{signature}\n",
        number_label = t.number,
        subject_label = t.subject,
        signature = t.signature,
    );
    Email {
        subject: format!("[{number}] {subject_line}{colon} {subject}"),
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(language: Language, subject: &'static str) -> TicketFacts<'static> {
        TicketFacts {
            language,
            number: "SD-2026-000123",
            subject,
            requester_name: "Ada\r\nBcc: everyone@example.org",
            link: "https://help.example.org/tickets/SD-2026-000123#access=abc",
        }
    }

    #[test]
    fn the_subject_names_the_number_and_the_ticket() {
        let email = ticket_filed(&facts(Language::En, "Printer prints blank pages"));
        assert_eq!(
            email.subject,
            "[SD-2026-000123] We have your ticket: Printer prints blank pages"
        );
        assert!(email.body.contains("Ticket number: SD-2026-000123"));
        assert!(
            email
                .body
                .contains("\nhttps://help.example.org/tickets/SD-2026-000123#access=abc\n")
        );
        assert!(email.body.contains("Anyone with this link"));
    }

    #[test]
    fn line_breaks_typed_by_the_requester_cannot_add_headers_or_lines() {
        let email = new_link(&facts(
            Language::En,
            "Broken\r\nBcc: victim@example.org\n\nFake body",
        ));
        assert!(!email.subject.contains(['\r', '\n']), "{:?}", email.subject);
        assert_eq!(
            email.subject,
            "[SD-2026-000123] Your link to the ticket: Broken Bcc: victim@example.org Fake body"
        );
        assert!(
            email
                .body
                .starts_with("Hello Ada Bcc: everyone@example.org,\n")
        );
        assert!(!email.body.contains("\nBcc:"));
    }

    #[test]
    fn every_language_has_its_own_texts() {
        let subjects: Vec<String> = Language::ALL
            .into_iter()
            .map(|lang| ticket_filed(&facts(lang, "X")).subject)
            .collect();
        assert_eq!(subjects[0], "[SD-2026-000123] We have your ticket: X");
        assert_eq!(subjects[1], "[SD-2026-000123] Мы получили вашу заявку: X");
        assert_eq!(
            subjects[2],
            "[SD-2026-000123] Nous avons bien reçu votre ticket : X"
        );
        assert_eq!(subjects[3], "[SD-2026-000123] Vi har mottatt saken din: X");
        for lang in Language::ALL {
            let body = new_link(&facts(lang, "X")).body;
            assert!(body.contains("#access=abc"), "{lang:?}");
        }
    }
}
