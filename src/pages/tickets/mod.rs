//! The tickets app's screens: filing a ticket, the list of tickets filed from this
//! browser, and one ticket's tracking page.

pub mod already_reported;
pub mod my_tickets;
pub mod new_ticket;
pub mod track;
