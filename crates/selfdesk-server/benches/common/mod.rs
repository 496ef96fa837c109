//! What the benchmarks share: a deterministic generator for their data and the
//! percentile they report. Each benchmark uses part of it.
#![allow(dead_code)]

use std::time::Duration;

/// A small deterministic generator (xorshift), so every run builds the same data.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// Somewhere between `min` and `max` seconds, mostly near `min`.
    pub fn delay(&mut self, min: i64, max: i64) -> i64 {
        let span = (max - min).max(1) as u64;
        let a = self.below(span);
        let b = self.below(span);
        min + a.min(b) as i64
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// The nearest-rank percentile `p` (0–1) of sorted durations.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}
