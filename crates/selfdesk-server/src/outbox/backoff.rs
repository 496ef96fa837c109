//! When a failed delivery is tried again: twice as long after each failure, from the
//! configured first wait up to an hour, so a mail server that is down for a day is
//! asked about 30 times, not thousands.

/// The longest wait between two tries.
pub const MAX_DELAY_SECS: i64 = 60 * 60;

/// Seconds to wait after the `attempt`-th try (1 = the first) failed.
pub fn delay_secs(first_delay_secs: i64, attempt: i64) -> i64 {
    let doublings = (attempt.max(1) - 1).min(32) as u32;
    first_delay_secs
        .max(1)
        .saturating_mul(1_i64 << doublings)
        .min(MAX_DELAY_SECS)
}

/// What to do after a failed try at `now`: the time of the next try, or `None` when
/// the message is given up (its retry time is over, or the receiver refused it for
/// good).
pub fn next_try(
    first_delay_secs: i64,
    attempt: i64,
    now: i64,
    give_up_at: i64,
    permanent: bool,
) -> Option<i64> {
    if permanent {
        return None;
    }
    let next = now.saturating_add(delay_secs(first_delay_secs, attempt));
    // The last try is made at the give-up time rather than skipped.
    if now >= give_up_at {
        None
    } else {
        Some(next.min(give_up_at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_an_hour() {
        let waits: Vec<i64> = (1..=10).map(|n| delay_secs(30, n)).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
        assert_eq!(delay_secs(30, 1_000), MAX_DELAY_SECS);
        assert_eq!(delay_secs(0, 1), 1, "never a busy loop");
    }

    #[test]
    fn gives_up_at_the_deadline_or_on_a_permanent_refusal() {
        assert_eq!(next_try(30, 1, 1_000, 10_000, false), Some(1_030));
        // The last wait is cut short so that one try happens at the deadline.
        assert_eq!(next_try(30, 9, 9_000, 10_000, false), Some(10_000));
        assert_eq!(next_try(30, 10, 10_000, 10_000, false), None);
        assert_eq!(next_try(30, 1, 1_000, 10_000, true), None);
    }
}
