//! Diagnostic flows on the server: technicians write them as TOML (`source`), the
//! server checks them with the shared validator plus what only it knows (which
//! articles, categories and flows exist), and publishes numbered versions.

pub mod reach_services;
pub mod source;
