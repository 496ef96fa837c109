//! One module per screen, in the order a user meets them.

pub mod diagnose;
pub mod home;
pub mod kb;
pub mod not_found;
pub mod sign_in;
pub mod staff;
pub mod tickets;
