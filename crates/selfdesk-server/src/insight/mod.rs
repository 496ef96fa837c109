//! Insight: the help desk's numbers for managers (`GET /api/v1/staff/insight`).
//!
//! Each ticket's facts — business minutes to its first answer and to each resolution,
//! deadlines met or missed and the tier at the time, stays at each tier, reopenings,
//! the rating — are computed once in Rust (`facts`) and stored (`store::insight`);
//! `upkeep` keeps them true after every change, at start-up and in the periodic sweep,
//! and recomputes them all when the service levels change. The figures of a period
//! (`report`) are then counted from the stored facts, the self-service tables and the
//! search log, without recomputing any business time. What each figure means is
//! written on its field in `selfdesk_shared::insight` and in docs/INSIGHT.md.

pub mod facts;
pub mod report;
pub mod upkeep;
pub mod words;
