//! The email that signs a requester in (`routes::email_sign_in`), in the language they
//! asked in. It names no ticket and repeats nothing anyone typed but the address.

use selfdesk_shared::language::Language;

use super::compose::{Block, render};
use super::messages::{Email, colon};

struct Texts {
    subject: &'static str,
    hello: &'static str,
    intro: &'static str,
    open: &'static str,
    /// Followed by the link's lifetime in minutes.
    lifetime: fn(i64) -> String,
    not_you: &'static str,
    signature: &'static str,
}

fn texts(language: Language) -> Texts {
    match language {
        Language::En => Texts {
            subject: "Your link to sign in to Selfdesk",
            hello: "Hello,",
            intro: "Someone, hopefully you, asked to sign in to the IT help desk with this address.",
            open: "Sign in:",
            lifetime: |m| {
                format!(
                    "The link works once, within {m} minutes. Do not pass it on: it opens your tickets."
                )
            },
            not_you: "If you did not ask for it, ignore this email; nobody can sign in without the link.",
            signature: "Selfdesk, your IT help desk",
        },
        Language::Ru => Texts {
            subject: "Ссылка для входа в Selfdesk",
            hello: "Здравствуйте!",
            intro: "Кто-то — надеемся, вы — попросил войти в службу ИТ-поддержки с этим адресом.",
            open: "Войти:",
            lifetime: |m| {
                format!(
                    "Ссылка срабатывает один раз в течение {m} мин. Не пересылайте её: она открывает ваши заявки."
                )
            },
            not_you: "Если вы не просили ссылку, просто не обращайте внимания на это письмо: без ссылки войти нельзя.",
            signature: "Selfdesk, ваша служба ИТ-поддержки",
        },
        Language::Fr => Texts {
            subject: "Votre lien de connexion à Selfdesk",
            hello: "Bonjour,",
            intro: "Quelqu’un, vous sans doute, a demandé à se connecter au support informatique avec cette adresse.",
            open: "Se connecter :",
            lifetime: |m| {
                format!(
                    "Le lien fonctionne une seule fois, pendant {m} minutes. Ne le transmettez pas : il ouvre vos tickets."
                )
            },
            not_you: "Si vous ne l’avez pas demandé, ignorez ce message : personne ne peut se connecter sans le lien.",
            signature: "Selfdesk, votre support informatique",
        },
        Language::Nb => Texts {
            subject: "Lenken din for å logge inn i Selfdesk",
            hello: "Hei,",
            intro: "Noen, forhåpentlig du, ba om å logge inn i IT-brukerstøtten med denne adressen.",
            open: "Logg inn:",
            lifetime: |m| {
                format!(
                    "Lenken virker én gang, innen {m} minutter. Ikke del den: den åpner sakene dine."
                )
            },
            not_you: "Hvis du ikke ba om den, kan du se bort fra denne e-posten; ingen kan logge inn uten lenken.",
            signature: "Selfdesk, IT-brukerstøtten din",
        },
    }
}

pub fn sign_in_link(language: Language, link: &str, lifetime_minutes: i64) -> Email {
    let t = texts(language);
    let blocks = [
        Block::Para(t.hello.to_owned()),
        Block::Para(t.intro.to_owned()),
        Block::Link {
            label: t.open.to_owned(),
            url: link.to_owned(),
        },
        Block::Para((t.lifetime)(lifetime_minutes)),
        Block::Para(t.not_you.to_owned()),
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
    fn every_language_has_the_link_and_its_lifetime() {
        for language in Language::ALL {
            let email = sign_in_link(
                language,
                "https://desk.example/tickets/sign-in#link=abc",
                15,
            );
            assert!(email.body.contains("#link=abc"), "{language:?}");
            assert!(email.body.contains("15"), "{language:?}");
            assert!(email.html.as_deref().unwrap().contains("#link=abc"));
        }
        assert!(
            sign_in_link(Language::Ru, "x", 15)
                .subject
                .contains("Ссылка")
        );
    }
}
