//! What the help desk tells technicians by email, in the language each chose: a
//! requester answered on a ticket of theirs, a ticket arrived in their tier's pool, a
//! ticket of theirs is about to miss its service level.
//!
//! Staff addresses are accounts an admin created, yet the subject still says only the
//! ticket number and what happened: the requester's words go in the body, quoted and
//! escaped (`compose`), where they cannot pass for the help desk's own.

use selfdesk_shared::language::Language;

use super::compose::{Block, Email, render};
use super::messages::{colon, one_line};

/// The ticket as a technician's email describes it.
pub struct StaffFacts<'a> {
    pub language: Language,
    pub number: &'a str,
    pub subject: &'a str,
    pub staff_name: &'a str,
    /// The ticket's page in the staff area.
    pub link: &'a str,
}

/// Something a technician is told about by email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffNotice<'a> {
    /// The requester replied on a ticket assigned to the technician.
    RequesterReplied { body: &'a str },
    /// The ticket moved to the technician's tier, unassigned, with the reason given.
    InYourPool { tier: u8, reason: &'a str },
    /// The ticket's next deadline is this many minutes away.
    SlaSoon { minutes: i64 },
}

impl StaffNotice<'_> {
    /// What the outbox records the message as (`OutboxMessage::purpose`).
    pub const fn purpose(&self) -> &'static str {
        match self {
            Self::RequesterReplied { .. } => "staff_requester_replied",
            Self::InYourPool { .. } => "staff_tier_pool",
            Self::SlaSoon { .. } => "staff_sla_soon",
        }
    }
}

struct Texts {
    ticket: &'static str,
    hello: &'static str,
    replied_subject: &'static str,
    replied_intro: &'static str,
    pool_subject: &'static str,
    /// Followed by the tier's number.
    pool_intro: &'static str,
    pool_reason: &'static str,
    sla_subject: &'static str,
    /// Followed by the minutes and [`Texts::sla_after`].
    sla_intro: &'static str,
    sla_after: &'static str,
    number: &'static str,
    subject: &'static str,
    open: &'static str,
    why: &'static str,
    signature: &'static str,
}

const EN: Texts = Texts {
    ticket: "Ticket",
    hello: "Hello",
    replied_subject: "the requester answered",
    replied_intro: "The requester answered on a ticket assigned to you:",
    pool_subject: "new in your tier's queue",
    pool_intro: "A ticket has been passed, unassigned, to tier",
    pool_reason: "The reason given:",
    sla_subject: "its deadline is near",
    sla_intro: "A ticket assigned to you will miss its service level in",
    sla_after: "minutes unless someone acts on it.",
    number: "Ticket number",
    subject: "Subject",
    open: "Open the ticket:",
    why: "You get these emails as a member of the help desk's staff. You can turn each kind off under \"Email notifications\" in the staff area.",
    signature: "Selfdesk",
};

const RU: Texts = Texts {
    ticket: "Заявка",
    hello: "Здравствуйте",
    replied_subject: "ответ пользователя",
    replied_intro: "Пользователь ответил в заявке, назначенной вам:",
    pool_subject: "новая в очереди вашей линии",
    pool_intro: "Заявка без исполнителя передана на линию поддержки",
    pool_reason: "Указанная причина:",
    sla_subject: "срок скоро истечёт",
    sla_intro: "Назначенная вам заявка нарушит уровень обслуживания через",
    sla_after: "мин., если по ней ничего не сделать.",
    number: "Номер заявки",
    subject: "Тема",
    open: "Открыть заявку:",
    why: "Вы получаете эти письма как сотрудник службы поддержки. Каждый вид можно отключить в разделе «Уведомления по почте» в рабочей области.",
    signature: "Selfdesk",
};

const FR: Texts = Texts {
    ticket: "Ticket",
    hello: "Bonjour",
    replied_subject: "le demandeur a répondu",
    replied_intro: "Le demandeur a répondu sur un ticket qui vous est attribué :",
    pool_subject: "nouveau dans la file de votre niveau",
    pool_intro: "Un ticket non attribué a été transmis au niveau",
    pool_reason: "La raison donnée :",
    sla_subject: "son échéance approche",
    sla_intro: "Un ticket qui vous est attribué dépassera son niveau de service dans",
    sla_after: "minutes si personne n'agit.",
    number: "Numéro du ticket",
    subject: "Objet",
    open: "Ouvrir le ticket :",
    why: "Vous recevez ces e-mails en tant que membre du support. Vous pouvez désactiver chaque type sous « Notifications par e-mail » dans l'espace du support.",
    signature: "Selfdesk",
};

const NB: Texts = Texts {
    ticket: "Sak",
    hello: "Hei",
    replied_subject: "innmelderen har svart",
    replied_intro: "Innmelderen har svart på en sak som er tildelt deg:",
    pool_subject: "ny i køen til nivået ditt",
    pool_intro: "En sak uten ansvarlig er sendt til nivå",
    pool_reason: "Oppgitt grunn:",
    sla_subject: "fristen nærmer seg",
    sla_intro: "En sak som er tildelt deg, bryter tjenestenivået om",
    sla_after: "minutter hvis ingen gjør noe.",
    number: "Saksnummer",
    subject: "Emne",
    open: "Åpne saken:",
    why: "Du får disse e-postene som medarbeider i brukerstøtten. Du kan slå av hver type under «Varsler på e-post» i arbeidsområdet.",
    signature: "Selfdesk",
};

fn texts(language: Language) -> &'static Texts {
    match language {
        Language::En => &EN,
        Language::Ru => &RU,
        Language::Fr => &FR,
        Language::Nb => &NB,
    }
}

/// The technician's email about `notice`.
pub fn staff_notice(facts: &StaffFacts<'_>, notice: &StaffNotice<'_>) -> Email {
    let t = texts(facts.language);
    let name = one_line(facts.staff_name);
    let greeting = match (name.is_empty(), facts.language) {
        (true, _) => format!("{},", t.hello),
        (false, Language::Ru) => format!("{}, {name}!", t.hello),
        (false, _) => format!("{} {name},", t.hello),
    };
    let mut blocks = vec![Block::Para(greeting)];
    let what = match notice {
        StaffNotice::RequesterReplied { body } => {
            blocks.push(Block::Para(t.replied_intro.to_owned()));
            blocks.push(Block::Quote(body.trim().to_owned()));
            t.replied_subject
        }
        StaffNotice::InYourPool { tier, reason } => {
            blocks.push(Block::Para(format!("{} {tier}.", t.pool_intro)));
            blocks.push(Block::Para(t.pool_reason.to_owned()));
            blocks.push(Block::Quote(reason.trim().to_owned()));
            t.pool_subject
        }
        StaffNotice::SlaSoon { minutes } => {
            blocks.push(Block::Para(format!(
                "{} {} {}",
                t.sla_intro,
                (*minutes).max(1),
                t.sla_after
            )));
            t.sla_subject
        }
    };
    blocks.push(Block::Facts(vec![
        (t.number.to_owned(), one_line(facts.number)),
        (t.subject.to_owned(), one_line(facts.subject)),
    ]));
    blocks.push(Block::Link {
        label: t.open.to_owned(),
        url: one_line(facts.link),
    });
    blocks.push(Block::Para(t.why.to_owned()));
    blocks.push(Block::Signature(t.signature.to_owned()));
    render(
        format!("{} {} — {what}", t.ticket, one_line(facts.number)),
        &blocks,
        colon(facts.language),
        facts.language.code(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(language: Language) -> StaffFacts<'static> {
        StaffFacts {
            language,
            number: "SD-2026-000042",
            subject: "Printer <b>jammed</b>\r\nBcc: x@example.org",
            staff_name: "Ann",
            link: "https://help.example.org/staff/tickets/SD-2026-000042",
        }
    }

    fn every_notice() -> [StaffNotice<'static>; 3] {
        [
            StaffNotice::RequesterReplied {
                body: "<script>alert(1)</script> still broken",
            },
            StaffNotice::InYourPool {
                tier: 2,
                reason: "Needs a specialist",
            },
            StaffNotice::SlaSoon { minutes: 25 },
        ]
    }

    #[test]
    fn subjects_name_the_number_and_nothing_typed() {
        for language in Language::ALL {
            for notice in every_notice() {
                let email = staff_notice(&facts(language), &notice);
                assert!(
                    email.subject.contains("SD-2026-000042"),
                    "{}",
                    email.subject
                );
                assert!(!email.subject.contains("Printer"), "{}", email.subject);
                assert!(!email.body.contains("\r\nBcc"), "{}", email.body);
            }
        }
    }

    #[test]
    fn typed_text_is_escaped_in_html() {
        let email = staff_notice(&facts(Language::En), &every_notice()[0]);
        let html = email.html.unwrap();
        assert!(
            !html.contains("<script>") && html.contains("&lt;script&gt;"),
            "{html}"
        );
        assert!(!html.contains("<b>jammed"), "{html}");
        assert!(email.body.contains("still broken"));
    }

    #[test]
    fn every_language_has_its_own_words() {
        let english = staff_notice(&facts(Language::En), &every_notice()[2]);
        for language in [Language::Ru, Language::Fr, Language::Nb] {
            let email = staff_notice(&facts(language), &every_notice()[2]);
            assert_ne!(email.subject, english.subject, "{language:?}");
            assert!(email.body.contains("25"), "{}", email.body);
            assert!(!email.body.contains("minutes unless"), "{language:?}");
        }
    }
}
