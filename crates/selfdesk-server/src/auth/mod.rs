//! Who is asking: password hashing, session cookies, sign-in throttling, the
//! extractors that guard staff endpoints, and requesters signed in with the
//! organisation's OpenID provider (`oidc`, `requester`), whose sessions are a type of
//! their own.

pub mod extract;
pub mod oidc;
pub mod password;
pub mod portal_access;
pub mod requester;
pub mod second_factor;
pub mod session;
pub mod staff_groups;
pub mod throttle;
pub mod two_factor;
