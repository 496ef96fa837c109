//! Tickets on the server: filing, what requesters and technicians may change, the
//! views with their SLA standing, live updates and the auto-close.
//!
//! The HTTP edge is `routes::tickets` (requesters) and `routes::staff_tickets`; the SQL
//! is `store::tickets`. Everything here decides; nothing here speaks HTTP or SQL.

pub mod auto_close;
pub mod changes;
pub mod filing;
pub mod live;
pub mod notify;
pub mod policy;
pub mod queue;
pub mod sla_watch;
pub mod staff_notify;
pub mod stream;
pub mod view;

use selfdesk_shared::sla::{BusinessCalendar, SlaSettings, SlaTargets};

/// The help desk's service levels: what admins set (`policy`), or the shared defaults
/// (Mon–Fri 08:00–17:00 UTC, targets per priority) until they do.
#[derive(Debug, Clone)]
pub struct SlaPolicy {
    pub calendar: BusinessCalendar,
    pub targets: SlaTargets,
    /// A deadline this close counts as "due soon".
    pub warn_before_secs: i64,
}

impl SlaPolicy {
    pub fn from_settings(settings: SlaSettings) -> Self {
        Self {
            calendar: settings.calendar,
            targets: settings.targets,
            ..Self::default()
        }
    }

    pub fn settings(&self) -> SlaSettings {
        SlaSettings {
            calendar: self.calendar.clone(),
            targets: self.targets.clone(),
        }
    }
}

impl Default for SlaPolicy {
    fn default() -> Self {
        Self {
            calendar: BusinessCalendar::default(),
            targets: SlaTargets::default(),
            warn_before_secs: 60 * 60,
        }
    }
}
