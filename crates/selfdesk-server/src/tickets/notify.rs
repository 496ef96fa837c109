//! Which changes the requester hears about by email, and the outbox row for each.
//!
//! Every email carries a fresh tracking link: only hashes of access tokens are stored,
//! so a link cannot be rebuilt from an earlier one. The new token is written in the
//! same transaction as the change and its outbox row (`store::tickets::apply`).

use selfdesk_shared::language::Language;
use selfdesk_shared::ticket_state::Action;
use selfdesk_shared::tickets::{ActorKind, TicketChange, TicketStatus};

use crate::auth::session::{new_token, token_hash};
use crate::mail::messages::{self, Notice, TicketFacts};
use crate::mail::{answer_link, tracking_link};
use crate::outbox::store::NewEmail;
use crate::state::AppState;

/// What a change tells the requester, if anything. Their own actions (a reply, a
/// confirmation, a reopening) and what only staff see tell them nothing.
pub fn notice_for<'a>(
    actor: ActorKind,
    action: &Action<'_>,
    change: &'a TicketChange,
    fixed_link: &'a str,
    not_fixed_link: &'a str,
) -> Option<Notice<'a>> {
    if actor == ActorKind::Requester || !change.is_public() {
        return None;
    }
    Some(match change {
        TicketChange::Reply { body } => Notice::Reply { body },
        TicketChange::Status { to, summary, .. } => match to {
            TicketStatus::WaitingForRequester => Notice::Waiting,
            TicketStatus::Resolved => {
                let summary = summary.as_deref().unwrap_or_default();
                if matches!(action, Action::ResolveWithIncident { .. }) {
                    Notice::IncidentResolved {
                        message: summary,
                        fixed_link,
                        not_fixed_link,
                    }
                } else {
                    Notice::Resolved {
                        summary,
                        fixed_link,
                        not_fixed_link,
                    }
                }
            }
            TicketStatus::Closed => Notice::Closed,
            _ => return None,
        },
        TicketChange::AutoClosed => Notice::Closed,
        TicketChange::Tier { to, reason, .. } => Notice::TierChanged {
            tier: u8::from(*to),
            reason,
        },
        _ => return None,
    })
}

/// An email with its own access token; the caller stores both with its change.
pub struct Notification {
    pub token_hash: String,
    pub email: NewEmail,
}

/// The ticket as an email describes it.
pub struct About<'a> {
    pub language: Language,
    pub number: &'a str,
    pub subject: &'a str,
    pub requester_name: &'a str,
    pub requester_email: &'a str,
}

/// The requester's email about `change`, when email is on and the change is one they
/// hear about.
pub fn for_change(
    state: &AppState,
    about: &About<'_>,
    actor: ActorKind,
    action: &Action<'_>,
    change: &TicketChange,
    now: i64,
) -> Option<Notification> {
    let mailer = state.mailer.as_ref()?;
    let token = new_token();
    let fixed = answer_link(&state.public_url, about.number, &token, "fixed");
    let not_fixed = answer_link(&state.public_url, about.number, &token, "not-fixed");
    let notice = notice_for(actor, action, change, &fixed, &not_fixed)?;
    let link = tracking_link(&state.public_url, about.number, &token);
    let email = messages::notice(&facts(about, &link), &notice);
    Some(Notification {
        token_hash: token_hash(&token),
        email: with_reply_to(
            state,
            NewEmail::new(
                &state.outbox,
                notice.purpose(),
                about.requester_email,
                email,
                &mailer.domain(),
                now,
            ),
        ),
    })
}

/// Gives the email a Reply-To with a new reply token when the help desk reads its
/// mailbox (`mail_in`): a reply then lands on the ticket. Without a mailbox replies
/// would go to an address nobody reads, so there is none.
pub fn with_reply_to(state: &AppState, mut new: NewEmail) -> NewEmail {
    if let Some(address) = &state.reply_address {
        let token = crate::mail_in::new_reply_token();
        new.email.reply_to = Some(address.with_token(&token));
        new.reply_token_hash = Some(token_hash(&token));
    }
    new
}

/// The confirmation of a filing, with the token the filing answers with.
pub fn filed(state: &AppState, about: &About<'_>, token: &str, now: i64) -> Option<NewEmail> {
    let mailer = state.mailer.as_ref()?;
    let link = tracking_link(&state.public_url, about.number, token);
    let email = messages::ticket_filed(&facts(about, &link));
    Some(with_reply_to(
        state,
        NewEmail::new(
            &state.outbox,
            "ticket_filed",
            about.requester_email,
            email,
            &mailer.domain(),
            now,
        ),
    ))
}

/// A fresh link asked for by number and address, with its new token.
pub fn new_link(state: &AppState, about: &About<'_>, now: i64) -> Option<Notification> {
    let mailer = state.mailer.as_ref()?;
    let token = new_token();
    let link = tracking_link(&state.public_url, about.number, &token);
    let email = messages::new_link(&facts(about, &link));
    Some(Notification {
        token_hash: token_hash(&token),
        email: with_reply_to(
            state,
            NewEmail::new(
                &state.outbox,
                "new_link",
                about.requester_email,
                email,
                &mailer.domain(),
                now,
            ),
        ),
    })
}

fn facts<'a>(about: &About<'a>, link: &'a str) -> TicketFacts<'a> {
    TicketFacts {
        language: about.language,
        number: about.number,
        subject: about.subject,
        requester_name: about.requester_name,
        link,
    }
}

#[cfg(test)]
mod tests {
    use selfdesk_shared::tier::Tier;

    use super::*;

    fn notice(actor: ActorKind, action: Action<'_>, change: &TicketChange) -> Option<&'static str> {
        notice_for(actor, &action, change, "f", "n").map(|n| n.purpose())
    }

    #[test]
    fn the_requester_hears_about_what_staff_and_the_system_do() {
        let reply = TicketChange::Reply {
            body: "Try this".into(),
        };
        let staff_reply = Action::Reply { body: "Try this" };
        assert_eq!(
            notice(ActorKind::Staff, staff_reply, &reply),
            Some("staff_reply")
        );
        assert_eq!(notice(ActorKind::Requester, staff_reply, &reply), None);
        let note = TicketChange::InternalNote { body: "x".into() };
        assert_eq!(
            notice(ActorKind::Staff, Action::Note { body: "x" }, &note),
            None
        );

        let status = |to| TicketChange::Status {
            from: TicketStatus::InProgress,
            to,
            summary: Some("Done".into()),
        };
        let set = |to| Action::SetStatus {
            to,
            summary: Some("Done"),
        };
        for (to, expected) in [
            (TicketStatus::WaitingForRequester, Some("waiting")),
            (TicketStatus::Resolved, Some("resolved")),
            (TicketStatus::Closed, Some("closed")),
            (TicketStatus::InProgress, None),
        ] {
            assert_eq!(
                notice(ActorKind::Staff, set(to), &status(to)),
                expected,
                "{to:?}"
            );
        }
        let by_incident = Action::ResolveWithIncident { message: "Done" };
        assert_eq!(
            notice(
                ActorKind::Staff,
                by_incident,
                &status(TicketStatus::Resolved)
            ),
            Some("incident_resolved")
        );
        assert_eq!(
            notice(
                ActorKind::System,
                Action::AutoClose,
                &TicketChange::AutoClosed
            ),
            Some("closed")
        );
        let tier = TicketChange::Tier {
            from: Tier::nearest(1),
            to: Tier::nearest(2),
            reason: "Specialists".into(),
        };
        let escalate = Action::SetTier {
            to: Tier::nearest(2),
            reason: "Specialists",
        };
        assert_eq!(
            notice(ActorKind::Staff, escalate, &tier),
            Some("tier_changed")
        );
        assert_eq!(
            notice(
                ActorKind::Requester,
                Action::Confirm,
                &TicketChange::Confirmed
            ),
            None
        );
    }
}
