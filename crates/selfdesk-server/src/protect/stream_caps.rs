//! Caps on open event streams, per ticket and per client address, so that nobody can
//! hold thousands of connections open on one replica. A stream holds a [`StreamSlot`]
//! for as long as it lives; dropping it (the connection closed) gives the place back.
//!
//! The counts are this replica's own: each replica protects its own connections and
//! memory, which is what the caps are for.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use selfdesk_shared::error::ErrorCode;

use crate::error::ApiError;

/// A ticket's page is open in a few tabs and on a few technicians' screens.
pub const DEFAULT_PER_TICKET: usize = 20;
/// An office behind one address watches many tickets at once, a script more.
pub const DEFAULT_PER_CLIENT: usize = 200;

#[derive(Default)]
struct Counts {
    by_ticket: HashMap<i64, usize>,
    by_client: HashMap<String, usize>,
}

#[derive(Clone)]
pub struct StreamCaps {
    counts: Arc<Mutex<Counts>>,
    per_ticket: usize,
    per_client: usize,
}

impl Default for StreamCaps {
    fn default() -> Self {
        Self::new(DEFAULT_PER_TICKET, DEFAULT_PER_CLIENT)
    }
}

impl StreamCaps {
    pub fn new(per_ticket: usize, per_client: usize) -> Self {
        Self {
            counts: Arc::default(),
            per_ticket,
            per_client,
        }
    }

    /// A place for one more stream from `client` (on `ticket`, when it watches one),
    /// or 429 when either cap is reached.
    pub fn acquire(&self, ticket: Option<i64>, client: String) -> Result<StreamSlot, ApiError> {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let on_ticket = ticket.map_or(0, |t| counts.by_ticket.get(&t).copied().unwrap_or(0));
        let from_client = counts.by_client.get(&client).copied().unwrap_or(0);
        if on_ticket >= self.per_ticket || from_client >= self.per_client {
            return Err(too_many());
        }
        if let Some(t) = ticket {
            *counts.by_ticket.entry(t).or_default() += 1;
        }
        *counts.by_client.entry(client.clone()).or_default() += 1;
        Ok(StreamSlot {
            counts: self.counts.clone(),
            ticket,
            client,
        })
    }
}

fn too_many() -> ApiError {
    // A stream refused for now: the browser's EventSource retries on its own.
    ApiError::new(
        ErrorCode::RateLimited,
        "Too many live connections are open; close some tabs and try again",
    )
    .with_retry_after(30)
}

/// One open stream's place; given back when dropped.
pub struct StreamSlot {
    counts: Arc<Mutex<Counts>>,
    ticket: Option<i64>,
    client: String,
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(t) = self.ticket {
            release(&mut counts.by_ticket, &t);
        }
        release(&mut counts.by_client, &self.client);
    }
}

fn release<K: std::hash::Hash + Eq>(map: &mut HashMap<K, usize>, key: &K) {
    if let Some(n) = map.get_mut(key) {
        *n -= 1;
        if *n == 0 {
            map.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_hold_and_places_come_back() {
        let caps = StreamCaps::new(2, 3);
        let a = caps.acquire(Some(1), "x".into()).unwrap();
        let _b = caps.acquire(Some(1), "y".into()).unwrap();
        assert!(caps.acquire(Some(1), "z".into()).is_err(), "ticket full");
        let _c = caps.acquire(Some(2), "x".into()).unwrap();
        let _d = caps.acquire(None, "x".into()).unwrap();
        assert!(caps.acquire(Some(3), "x".into()).is_err(), "client full");
        drop(a);
        assert!(caps.acquire(Some(1), "z".into()).is_ok());
        assert!(caps.acquire(Some(3), "x".into()).is_ok());
    }
}
