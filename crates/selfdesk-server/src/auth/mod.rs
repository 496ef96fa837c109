//! Who is asking: password hashing, session cookies, sign-in throttling, and the
//! extractors that guard staff endpoints.

pub mod extract;
pub mod password;
pub mod session;
pub mod throttle;
