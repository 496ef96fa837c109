use std::sync::Arc;

use crate::db::Db;
use crate::insight::upkeep::Upkeep;
use crate::mail::Mailer;
use crate::outbox::Outbox;
use crate::protect::Protection;
use crate::search::SearchIndex;
use crate::tickets::live::{TicketFeed, TicketHub};
use crate::tickets::policy::PolicyHolder;

/// What every handler may use. Cloned per request; everything in it is shared.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// This server's search index (see `search::live`).
    pub search: Arc<SearchIndex>,
    pub cookie_secure: bool,
    /// The help desk's calendar and targets (`sla.current()`).
    pub sla: Arc<PolicyHolder>,
    /// Keeps the insight facts of every ticket true (see `insight::upkeep`).
    pub insight: Arc<Upkeep>,
    /// The services a reach check tries, and the origins pages may connect to.
    pub reach: Arc<crate::flows::reach_services::ReachHolder>,
    /// Ticket events as this replica sees them arrive (see `tickets::live`).
    pub feed: TicketFeed,
    /// Full events of watched tickets, read once per event (see `tickets::live`).
    pub hub: TicketHub,
    /// Limits, caps and the client address rules (see `protect`).
    pub protect: Arc<Protection>,
    /// `None` when no SMTP server is configured: nothing is emailed, and asking for a
    /// lost link answers that this help desk cannot send one.
    pub mailer: Option<Arc<Mailer>>,
    /// Settings of the outbox every email goes through, and its worker's bell.
    pub outbox: Arc<Outbox>,
    /// Where people reach the portal, without a trailing slash: the start of every
    /// link in an email (`https://help.example.org`).
    pub public_url: Arc<str>,
    /// The help desk's address when its mailbox is read (`mail_in`): every email to a
    /// requester then carries a Reply-To with a reply token. `None`: no Reply-To.
    pub reply_address: Option<Arc<crate::mail_in::ReplyAddress>>,
    /// The organisation's OpenID provider; `None` when none is set up (requesters stay
    /// anonymous, staff use passwords).
    pub oidc: Option<Arc<crate::auth::oidc::Oidc>>,
    /// Whether requesters may, must, or may not sign in (`auth::portal_access`).
    pub requester_sign_in: crate::auth::portal_access::RequesterSignIn,
    /// Who may sign in with a password, and whether admins need two-factor sign-in.
    pub staff_sign_in: crate::config::StaffSignInArgs,
}

impl AppState {
    /// Requesters may sign in with the organisation's provider.
    pub fn offers_organisation_sign_in(&self) -> bool {
        self.oidc.is_some() && self.requester_sign_in.offered()
    }

    /// Requesters may sign in with a link by email.
    pub fn offers_email_sign_in(&self) -> bool {
        self.mailer.is_some() && self.requester_sign_in.offered()
    }
}
