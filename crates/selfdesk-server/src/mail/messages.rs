//! What the help desk writes to requesters, in each language it speaks, as plain text
//! and HTML (`compose`).
//!
//! Everything the requester typed (name, subject) passes through [`one_line`] before it
//! goes into the text, so a subject with a line break cannot lay out a fake message of
//! its own, and HTML escapes it (`compose`). None of it goes into the subject line:
//! nothing verifies that a requester owns the address they gave, and a help desk that
//! put a stranger's words in the subject of a mail to any address would be a spam relay.
//! Subjects say only the ticket number and what happened ("Ticket SD-… — new reply").

use selfdesk_shared::language::Language;

pub use super::compose::Email;
use super::compose::{Block, render};

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

/// Something that happened to a ticket which its requester is told about by email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice<'a> {
    /// A technician's public reply, with its text.
    Reply { body: &'a str },
    /// The ticket waits for the requester.
    Waiting,
    /// Resolved, with what was done and one link for each answer.
    Resolved {
        summary: &'a str,
        fixed_link: &'a str,
        not_fixed_link: &'a str,
    },
    /// Closed by staff, or because the resolution went unanswered.
    Closed,
    /// Moved to another support tier, with the reason the requester is given.
    TierChanged { tier: u8, reason: &'a str },
    /// The known incident the ticket was part of is fixed, which resolves the ticket.
    IncidentResolved {
        message: &'a str,
        fixed_link: &'a str,
        not_fixed_link: &'a str,
    },
}

impl Notice<'_> {
    /// What the outbox records the message as (`OutboxMessage::purpose`).
    pub const fn purpose(&self) -> &'static str {
        match self {
            Self::Reply { .. } => "staff_reply",
            Self::Waiting => "waiting",
            Self::Resolved { .. } => "resolved",
            Self::Closed => "closed",
            Self::TierChanged { .. } => "tier_changed",
            Self::IncidentResolved { .. } => "incident_resolved",
        }
    }
}

/// The texts of one language. `{number}`-style placeholders would need a template
/// engine; fixed pieces put together in code keep each language readable in one place.
struct Texts {
    /// "Ticket" in "Ticket SD-2026-000123 — new reply".
    ticket: &'static str,
    filed_subject: &'static str,
    link_subject: &'static str,
    reply_subject: &'static str,
    waiting_subject: &'static str,
    resolved_subject: &'static str,
    closed_subject: &'static str,
    tier_subject: &'static str,
    incident_subject: &'static str,
    hello: &'static str,
    filed_intro: &'static str,
    link_intro: &'static str,
    reply_intro: &'static str,
    waiting_intro: &'static str,
    resolved_intro: &'static str,
    closed_intro: &'static str,
    /// Followed by the tier's number.
    tier_intro: &'static str,
    tier_reason: &'static str,
    incident_intro: &'static str,
    fixed: &'static str,
    not_fixed: &'static str,
    number: &'static str,
    subject: &'static str,
    filed_open: &'static str,
    link_open: &'static str,
    open: &'static str,
    filed_secret: &'static str,
    link_secret: &'static str,
    secret: &'static str,
    signature: &'static str,
}

const EN: Texts = Texts {
    ticket: "Ticket",
    filed_subject: "we have it",
    link_subject: "your new link",
    reply_subject: "new reply",
    waiting_subject: "we need your answer",
    resolved_subject: "resolved, please confirm",
    closed_subject: "closed",
    tier_subject: "passed to another team",
    incident_subject: "the known problem is fixed",
    hello: "Hello",
    filed_intro: "We have received your ticket, and the IT team will take it from here.",
    link_intro: "Someone, most likely you, asked for a new link to this ticket.",
    reply_intro: "A technician has answered on your ticket:",
    waiting_intro: "We need something from you before we can go on with your ticket. Please read the technician's last message and answer it on the ticket's page. The ticket waits for your answer.",
    resolved_intro: "We believe your problem is solved. What was done:",
    closed_intro: "Your ticket is now closed. If the problem comes back, file a new ticket and mention this number.",
    tier_intro: "Your ticket has been passed to support tier",
    tier_reason: "The reason:",
    incident_intro: "Your ticket was part of a known problem affecting several people. It has been fixed, so we consider your ticket resolved too. What the team says:",
    fixed: "Is it working again? Yes, it is fixed:",
    not_fixed: "No, it is not fixed (the ticket reopens):",
    number: "Ticket number",
    subject: "Subject",
    filed_open: "Follow the ticket, answer the technicians and confirm the fix on its page:",
    link_open: "Open the ticket:",
    open: "Open the ticket:",
    filed_secret: "Anyone with this link can see the ticket and act on it, so keep this email to yourself and do not forward it.",
    link_secret: "Anyone with this link can see the ticket and act on it, so do not forward this email. If you did not ask for it, you can ignore it: only this mailbox received the link, and your earlier links still work.",
    secret: "Anyone with the links in this email can see the ticket and act on it, so do not forward it.",
    signature: "Selfdesk, your IT help desk",
};

const RU: Texts = Texts {
    ticket: "Заявка",
    filed_subject: "получена",
    link_subject: "новая ссылка",
    reply_subject: "новый ответ",
    waiting_subject: "нужен ваш ответ",
    resolved_subject: "решена, подтвердите",
    closed_subject: "закрыта",
    tier_subject: "передана другой группе",
    incident_subject: "общая проблема устранена",
    hello: "Здравствуйте",
    filed_intro: "Мы получили вашу заявку, ИТ-отдел займётся ею.",
    link_intro: "Кто-то, скорее всего вы, запросил новую ссылку на эту заявку.",
    reply_intro: "Специалист ответил по вашей заявке:",
    waiting_intro: "Чтобы продолжить работу по заявке, нам нужна информация от вас. Прочитайте последнее сообщение специалиста и ответьте на странице заявки. Заявка ждёт вашего ответа.",
    resolved_intro: "Мы считаем, что проблема решена. Что было сделано:",
    closed_intro: "Ваша заявка закрыта. Если проблема вернётся, подайте новую заявку и укажите этот номер.",
    tier_intro: "Ваша заявка передана на линию поддержки",
    tier_reason: "Причина:",
    incident_intro: "Ваша заявка была частью известной проблемы, затронувшей многих. Проблема устранена, поэтому ваша заявка тоже считается решённой. Сообщение специалистов:",
    fixed: "Всё работает? Да, проблема решена:",
    not_fixed: "Нет, проблема не решена (заявка будет открыта снова):",
    number: "Номер заявки",
    subject: "Тема",
    filed_open: "Следите за заявкой, отвечайте специалистам и подтвердите решение на её странице:",
    link_open: "Открыть заявку:",
    open: "Открыть заявку:",
    filed_secret: "Любой, у кого есть эта ссылка, может видеть заявку и действовать в ней, поэтому не пересылайте это письмо.",
    link_secret: "Любой, у кого есть эта ссылка, может видеть заявку и действовать в ней, поэтому не пересылайте это письмо. Если вы не запрашивали ссылку, просто не обращайте внимания на письмо: ссылку получил только этот почтовый ящик, а прежние ссылки продолжают работать.",
    secret: "Любой, у кого есть ссылки из этого письма, может видеть заявку и действовать в ней, поэтому не пересылайте его.",
    signature: "Selfdesk, ваша служба ИТ-поддержки",
};

const FR: Texts = Texts {
    ticket: "Ticket",
    filed_subject: "bien reçu",
    link_subject: "votre nouveau lien",
    reply_subject: "nouvelle réponse",
    waiting_subject: "nous attendons votre réponse",
    resolved_subject: "résolu, merci de confirmer",
    closed_subject: "clos",
    tier_subject: "transmis à une autre équipe",
    incident_subject: "le problème connu est réglé",
    hello: "Bonjour",
    filed_intro: "Nous avons bien reçu votre ticket ; l’équipe informatique s’en occupe.",
    link_intro: "Quelqu’un, sans doute vous, a demandé un nouveau lien vers ce ticket.",
    reply_intro: "Un technicien a répondu sur votre ticket :",
    waiting_intro: "Nous avons besoin d’une information de votre part pour avancer sur votre ticket. Lisez le dernier message du technicien et répondez-y sur la page du ticket. Le ticket attend votre réponse.",
    resolved_intro: "Nous pensons que votre problème est résolu. Ce qui a été fait :",
    closed_intro: "Votre ticket est maintenant clos. Si le problème revient, ouvrez un nouveau ticket en indiquant ce numéro.",
    tier_intro: "Votre ticket a été transmis au niveau de support",
    tier_reason: "La raison :",
    incident_intro: "Votre ticket faisait partie d’un problème connu qui touchait plusieurs personnes. Il est réglé ; nous considérons donc votre ticket comme résolu lui aussi. Le message de l’équipe :",
    fixed: "Tout fonctionne à nouveau ? Oui, c’est réglé :",
    not_fixed: "Non, ce n’est pas réglé (le ticket est rouvert) :",
    number: "Numéro du ticket",
    subject: "Objet",
    filed_open: "Suivez le ticket, répondez aux techniciens et confirmez la résolution sur sa page :",
    link_open: "Ouvrir le ticket :",
    open: "Ouvrir le ticket :",
    filed_secret: "Toute personne qui a ce lien peut voir le ticket et agir dessus : gardez ce message pour vous et ne le transférez pas.",
    link_secret: "Toute personne qui a ce lien peut voir le ticket et agir dessus : ne transférez pas ce message. Si vous n’avez rien demandé, ignorez-le : seule cette boîte aux lettres a reçu le lien, et vos liens précédents fonctionnent toujours.",
    secret: "Toute personne qui a les liens de ce message peut voir le ticket et agir dessus : ne le transférez pas.",
    signature: "Selfdesk, votre support informatique",
};

const NB: Texts = Texts {
    ticket: "Sak",
    filed_subject: "mottatt",
    link_subject: "ny lenke",
    reply_subject: "nytt svar",
    waiting_subject: "vi trenger svar fra deg",
    resolved_subject: "løst, bekreft gjerne",
    closed_subject: "lukket",
    tier_subject: "sendt videre til et annet team",
    incident_subject: "det kjente problemet er løst",
    hello: "Hei",
    filed_intro: "Vi har mottatt saken din, og IT-avdelingen tar den herfra.",
    link_intro: "Noen, mest sannsynlig du, ba om en ny lenke til denne saken.",
    reply_intro: "En tekniker har svart i saken din:",
    waiting_intro: "Vi trenger noe fra deg før vi kan gå videre med saken. Les teknikerens siste melding og svar på sakens side. Saken venter på svaret ditt.",
    resolved_intro: "Vi mener problemet ditt er løst. Dette ble gjort:",
    closed_intro: "Saken din er nå lukket. Hvis problemet kommer tilbake, meld en ny sak og oppgi dette nummeret.",
    tier_intro: "Saken din er sendt videre til brukerstøttenivå",
    tier_reason: "Begrunnelse:",
    incident_intro: "Saken din var en del av et kjent problem som rammet flere. Det er nå løst, så vi regner saken din som løst også. Dette sier teamet:",
    fixed: "Virker alt igjen? Ja, det er løst:",
    not_fixed: "Nei, det er ikke løst (saken åpnes igjen):",
    number: "Saksnummer",
    subject: "Emne",
    filed_open: "Følg saken, svar teknikerne og bekreft løsningen på sakens side:",
    link_open: "Åpne saken:",
    open: "Åpne saken:",
    filed_secret: "Alle som har denne lenken, kan se saken og gjøre endringer i den, så behold denne e-posten for deg selv og ikke videresend den.",
    link_secret: "Alle som har denne lenken, kan se saken og gjøre endringer i den, så ikke videresend denne e-posten. Hvis du ikke ba om den, kan du se bort fra den: bare denne innboksen fikk lenken, og de tidligere lenkene dine virker fortsatt.",
    secret: "Alle som har lenkene i denne e-posten, kan se saken og gjøre endringer i den, så ikke videresend den.",
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

/// French puts a space before the colon; the pieces carry their own punctuation.
pub(super) fn colon(language: Language) -> &'static str {
    if language == Language::Fr { " :" } else { ":" }
}

/// "Ticket SD-2026-000123 — new reply": the number and what happened, nothing typed.
fn subject_line(t: &Texts, number: &str, what: &str) -> String {
    format!("{} {} — {what}", t.ticket, one_line(number))
}

fn greeting(t: &Texts, facts: &TicketFacts<'_>) -> String {
    let name = one_line(facts.requester_name);
    match (name.is_empty(), facts.language) {
        (true, _) => format!("{},", t.hello),
        (false, Language::Ru) => format!("{}, {name}!", t.hello),
        (false, _) => format!("{} {name},", t.hello),
    }
}

fn facts_block(t: &Texts, facts: &TicketFacts<'_>) -> Block {
    Block::Facts(vec![
        (t.number.to_owned(), one_line(facts.number)),
        (t.subject.to_owned(), one_line(facts.subject)),
    ])
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
    what: &str,
    intro: &str,
    open: &str,
    secret: &str,
) -> Email {
    let blocks = [
        Block::Para(greeting(t, facts)),
        Block::Para(intro.to_owned()),
        facts_block(t, facts),
        Block::Link {
            label: open.to_owned(),
            url: one_line(facts.link),
        },
        Block::Para(secret.to_owned()),
        Block::Signature(t.signature.to_owned()),
    ];
    render(
        subject_line(t, facts.number, what),
        &blocks,
        colon(facts.language),
        facts.language.code(),
    )
}

/// What a change to the ticket tells its requester.
pub fn notice(facts: &TicketFacts<'_>, notice: &Notice<'_>) -> Email {
    let t = texts(facts.language);
    let mut blocks = vec![Block::Para(greeting(t, facts))];
    let answer_links = |blocks: &mut Vec<Block>, fixed: &str, not_fixed: &str| {
        blocks.push(Block::Link {
            label: t.fixed.to_owned(),
            url: one_line(fixed),
        });
        blocks.push(Block::Link {
            label: t.not_fixed.to_owned(),
            url: one_line(not_fixed),
        });
    };
    let what = match notice {
        Notice::Reply { body } => {
            blocks.push(Block::Para(t.reply_intro.to_owned()));
            blocks.push(Block::Quote(body.trim().to_owned()));
            t.reply_subject
        }
        Notice::Waiting => {
            blocks.push(Block::Para(t.waiting_intro.to_owned()));
            t.waiting_subject
        }
        Notice::Resolved {
            summary,
            fixed_link,
            not_fixed_link,
        } => {
            blocks.push(Block::Para(t.resolved_intro.to_owned()));
            blocks.push(Block::Quote(summary.trim().to_owned()));
            answer_links(&mut blocks, fixed_link, not_fixed_link);
            t.resolved_subject
        }
        Notice::Closed => {
            blocks.push(Block::Para(t.closed_intro.to_owned()));
            t.closed_subject
        }
        Notice::TierChanged { tier, reason } => {
            blocks.push(Block::Para(format!("{} {tier}.", t.tier_intro)));
            blocks.push(Block::Para(t.tier_reason.to_owned()));
            blocks.push(Block::Quote(reason.trim().to_owned()));
            t.tier_subject
        }
        Notice::IncidentResolved {
            message,
            fixed_link,
            not_fixed_link,
        } => {
            blocks.push(Block::Para(t.incident_intro.to_owned()));
            blocks.push(Block::Quote(message.trim().to_owned()));
            answer_links(&mut blocks, fixed_link, not_fixed_link);
            t.incident_subject
        }
    };
    blocks.push(facts_block(t, facts));
    blocks.push(Block::Link {
        label: t.open.to_owned(),
        url: one_line(facts.link),
    });
    blocks.push(Block::Para(t.secret.to_owned()));
    blocks.push(Block::Signature(t.signature.to_owned()));
    render(
        subject_line(t, facts.number, what),
        &blocks,
        colon(facts.language),
        facts.language.code(),
    )
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

    const FIXED: &str = "https://help.example.org/tickets/SD-2026-000123?answer=fixed#access=abc";
    const NOT_FIXED: &str =
        "https://help.example.org/tickets/SD-2026-000123?answer=not-fixed#access=abc";

    fn every_notice() -> Vec<Notice<'static>> {
        vec![
            Notice::Reply {
                body: "Please restart it.\n\n<b>Then</b> tell us.",
            },
            Notice::Waiting,
            Notice::Resolved {
                summary: "Replaced the fuser",
                fixed_link: FIXED,
                not_fixed_link: NOT_FIXED,
            },
            Notice::Closed,
            Notice::TierChanged {
                tier: 2,
                reason: "Needs the print server team",
            },
            Notice::IncidentResolved {
                message: "The mail server is back",
                fixed_link: FIXED,
                not_fixed_link: NOT_FIXED,
            },
        ]
    }

    #[test]
    fn the_subject_names_the_number_and_never_what_the_requester_typed() {
        let email = ticket_filed(&facts(Language::En, "Printer prints blank pages"));
        assert_eq!(email.subject, "Ticket SD-2026-000123 — we have it");
        assert!(email.body.contains("Ticket number: SD-2026-000123"));
        assert!(email.body.contains("Subject: Printer prints blank pages"));
        assert!(
            email
                .body
                .contains("\nhttps://help.example.org/tickets/SD-2026-000123#access=abc\n")
        );
        assert!(email.body.contains("Anyone with this link"));
        for lang in Language::ALL {
            for n in every_notice() {
                let email = notice(&facts(lang, "Buy cheap pills"), &n);
                assert!(!email.subject.contains("pills"), "{}", email.subject);
                assert!(!email.subject.contains("Ada"), "{}", email.subject);
                assert!(
                    email.subject.contains("SD-2026-000123"),
                    "{}",
                    email.subject
                );
            }
        }
    }

    #[test]
    fn line_breaks_typed_by_the_requester_cannot_add_headers_or_lines() {
        let email = new_link(&facts(
            Language::En,
            "Broken\r\nBcc: victim@example.org\n\nFake body",
        ));
        assert!(!email.subject.contains(['\r', '\n']), "{:?}", email.subject);
        assert_eq!(email.subject, "Ticket SD-2026-000123 — your new link");
        assert!(
            email
                .body
                .starts_with("Hello Ada Bcc: everyone@example.org,\n")
        );
        assert!(!email.body.contains("\nBcc:"));
        assert!(
            email
                .body
                .contains("Subject: Broken Bcc: victim@example.org Fake body\n")
        );
    }

    #[test]
    fn every_language_has_its_own_texts() {
        let subjects: Vec<String> = Language::ALL
            .into_iter()
            .map(|lang| ticket_filed(&facts(lang, "X")).subject)
            .collect();
        assert_eq!(subjects[0], "Ticket SD-2026-000123 — we have it");
        assert_eq!(subjects[1], "Заявка SD-2026-000123 — получена");
        assert_eq!(subjects[2], "Ticket SD-2026-000123 — bien reçu");
        assert_eq!(subjects[3], "Sak SD-2026-000123 — mottatt");
        for lang in Language::ALL {
            let body = new_link(&facts(lang, "X")).body;
            assert!(body.contains("#access=abc"), "{lang:?}");
            // Every notice reads differently in every language.
            let mut seen = std::collections::HashSet::new();
            for n in every_notice() {
                let email = notice(&facts(lang, "X"), &n);
                assert!(
                    seen.insert(email.subject.clone()),
                    "{lang:?}: {}",
                    email.subject
                );
                assert!(email.body.contains("#access=abc"), "{lang:?}");
                assert!(email.html.as_deref().unwrap().contains("#access=abc"));
            }
        }
        let fr = notice(&facts(Language::Fr, "X"), &Notice::Waiting);
        assert!(
            fr.body.contains("Numéro du ticket : SD-2026-000123"),
            "{}",
            fr.body
        );
    }

    #[test]
    fn a_reply_is_quoted_and_escaped_in_html() {
        let email = notice(&facts(Language::En, "X"), &every_notice()[0]);
        assert_eq!(email.subject, "Ticket SD-2026-000123 — new reply");
        assert!(
            email
                .body
                .contains("> Please restart it.\n>\n> <b>Then</b> tell us.")
        );
        let html = email.html.unwrap();
        assert!(html.contains("&lt;b&gt;Then&lt;/b&gt; tell us."), "{html}");
        assert!(!html.contains("<b>Then"));
    }

    #[test]
    fn a_resolution_offers_both_answers() {
        let email = notice(&facts(Language::Nb, "X"), &every_notice()[2]);
        assert!(email.body.contains("> Replaced the fuser"));
        assert!(email.body.contains(&format!("Ja, det er løst:\n{FIXED}\n")));
        assert!(
            email
                .body
                .contains(&format!("(saken åpnes igjen):\n{NOT_FIXED}\n"))
        );
    }
}
