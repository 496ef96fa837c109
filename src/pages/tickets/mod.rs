//! The tickets app's screens: filing a ticket, the requester's tickets, signing in,
//! and one ticket's tracking page.

pub mod already_reported;
pub mod my_tickets;
pub mod new_ticket;
pub mod sign_in;
pub mod track;
