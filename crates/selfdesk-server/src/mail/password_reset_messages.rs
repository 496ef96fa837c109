//! The email with a link to choose a new staff password (`routes::staff_security`),
//! in the member's language for staff emails. It repeats nothing anyone typed but
//! the member's own name.

use selfdesk_shared::language::Language;

use super::compose::{Block, render};
use super::messages::{Email, colon};

struct Texts {
    subject: &'static str,
    /// Followed by the member's name.
    hello: fn(&str) -> String,
    intro: &'static str,
    open: &'static str,
    /// Followed by the link's lifetime in hours.
    lifetime: fn(i64) -> String,
    not_expected: &'static str,
    signature: &'static str,
}

fn texts(language: Language) -> Texts {
    match language {
        Language::En => Texts {
            subject: "Choose a new password for Selfdesk",
            hello: |name| format!("Hello {name},"),
            intro: "An admin of the IT help desk asked for a new password to be set for your staff account.",
            open: "Choose your password:",
            lifetime: |h| {
                format!(
                    "The link works once, within {h} hours. Setting the password signs your account out everywhere."
                )
            },
            not_expected: "If you did not expect this, tell your help desk's admins; your current password keeps working until the link is used.",
            signature: "Selfdesk, your IT help desk",
        },
        Language::Ru => Texts {
            subject: "Новый пароль для Selfdesk",
            hello: |name| format!("Здравствуйте, {name}!"),
            intro: "Администратор службы ИТ-поддержки попросил задать новый пароль для вашей учётной записи сотрудника.",
            open: "Задать пароль:",
            lifetime: |h| {
                format!(
                    "Ссылка срабатывает один раз в течение {h} ч. После смены пароля все ваши сеансы завершатся."
                )
            },
            not_expected: "Если вы этого не ждали, сообщите администраторам службы поддержки; текущий пароль действует, пока ссылкой не воспользовались.",
            signature: "Selfdesk, ваша служба ИТ-поддержки",
        },
        Language::Fr => Texts {
            subject: "Choisissez un nouveau mot de passe pour Selfdesk",
            hello: |name| format!("Bonjour {name},"),
            intro: "Un administrateur du support informatique a demandé un nouveau mot de passe pour votre compte du personnel.",
            open: "Choisir votre mot de passe :",
            lifetime: |h| {
                format!(
                    "Le lien fonctionne une seule fois, pendant {h} heures. Choisir le mot de passe déconnecte votre compte partout."
                )
            },
            not_expected: "Si vous ne vous y attendiez pas, prévenez les administrateurs du support ; votre mot de passe actuel reste valable tant que le lien n’a pas servi.",
            signature: "Selfdesk, votre support informatique",
        },
        Language::Nb => Texts {
            subject: "Velg et nytt passord for Selfdesk",
            hello: |name| format!("Hei {name},"),
            intro: "En administrator i IT-brukerstøtten ba om at det settes et nytt passord for ansattkontoen din.",
            open: "Velg passordet ditt:",
            lifetime: |h| {
                format!(
                    "Lenken virker én gang, innen {h} timer. Når passordet er satt, logges kontoen ut overalt."
                )
            },
            not_expected: "Hvis du ikke ventet dette, si fra til administratorene i brukerstøtten; det nåværende passordet virker til lenken er brukt.",
            signature: "Selfdesk, IT-brukerstøtten din",
        },
    }
}

pub fn password_reset_link(
    language: Language,
    name: &str,
    link: &str,
    lifetime_hours: i64,
) -> Email {
    let t = texts(language);
    let blocks = [
        Block::Para((t.hello)(name)),
        Block::Para(t.intro.to_owned()),
        Block::Link {
            label: t.open.to_owned(),
            url: link.to_owned(),
        },
        Block::Para((t.lifetime)(lifetime_hours)),
        Block::Para(t.not_expected.to_owned()),
        Block::Signature(t.signature.to_owned()),
    ];
    render(
        t.subject.to_owned(),
        &blocks,
        colon(language),
        language.code(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_the_link_its_lifetime_and_an_escaped_name() {
        for language in Language::ALL {
            let email = password_reset_link(
                language,
                "<b>Ada</b>",
                "https://desk.example/staff/reset-password#token=abc",
                24,
            );
            assert!(email.body.contains("#token=abc"), "{language:?}");
            assert!(email.body.contains("24"), "{language:?}");
            let html = email.html.as_deref().unwrap();
            assert!(html.contains("#token=abc"));
            assert!(
                !html.contains("<b>Ada</b>"),
                "{language:?}: the name is escaped"
            );
        }
    }
}
