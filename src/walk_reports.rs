//! Measuring diagnostics without slowing them: each step's report goes out in a
//! batch (`beacon_batch`). Only a walk's latest state matters, so a newer report
//! replaces a waiting one, and a lost batch loses nothing the walk needs.

use selfdesk_shared::flows::api::{MAX_WALK_REPORTS, WalkReport};

use crate::api;
use crate::beacon_batch::{self, Batch};

thread_local! {
    static WALKS: Batch<WalkReport> =
        const { Batch::new(|a, b| a.walk == b.walk, api::report_walks, MAX_WALK_REPORTS) };
}

pub fn report(report: WalkReport) {
    beacon_batch::push(&WALKS, report);
}

/// Sends what is waiting.
pub fn flush() {
    beacon_batch::flush(&WALKS);
}

/// A new random walk id.
pub fn new_walk_id() -> String {
    crate::requester_storage::new_idempotency_key()
}
