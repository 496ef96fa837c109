//! One module per screen or area of screens (`kb`, `diagnose`, `tickets`, `staff`,
//! `insight`).

pub mod diagnose;
pub mod home;
pub mod insight;
pub mod kb;
pub mod not_found;
pub mod sign_in;
pub mod staff;
pub mod tickets;
