//! Webhooks: admins register endpoints (`routes::webhooks`); every ticket event an
//! endpoint asked for is written to the outbox with the change (`events`, `store`),
//! and the outbox's worker delivers it (`deliver`) signed the Standard Webhooks way
//! (`signature`), to public addresses only unless allowed (`address`), logging each
//! try with its status and timing.

pub mod address;
pub mod deliver;
pub mod events;
pub mod signature;
pub mod store;
