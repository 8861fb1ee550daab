//! The sliding one-second window every request rate is counted in.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// Accepted events in the last second, at most `per_sec` (0 = unlimited).
pub(crate) struct SlidingWindow {
    per_sec: usize,
    accepted: VecDeque<Instant>,
}

impl SlidingWindow {
    /// At most `per_sec` accepted events in any sliding second; 0 = unlimited.
    pub(crate) fn new(per_sec: u32) -> Self {
        Self {
            per_sec: per_sec as usize,
            accepted: VecDeque::new(),
        }
    }

    /// No limit at all.
    pub(crate) fn is_unlimited(&self) -> bool {
        self.per_sec == 0
    }

    /// True if one more event fits in the second before `now` (nothing is counted).
    pub(crate) fn has_room(&mut self, now: Instant) -> bool {
        if self.is_unlimited() {
            return true;
        }
        while self
            .accepted
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
        {
            self.accepted.pop_front();
        }
        self.accepted.len() < self.per_sec
    }

    /// Counts an event accepted at `now` (after [`Self::has_room`]).
    pub(crate) fn record(&mut self, now: Instant) {
        if !self.is_unlimited() {
            self.accepted.push_back(now);
        }
    }

    /// Counts `n` events accepted elsewhere at `now` (at most the limit: beyond it the window
    /// is full anyway).
    pub(crate) fn record_many(&mut self, now: Instant, n: u32) {
        if self.is_unlimited() {
            return;
        }
        for _ in 0..(n as usize).min(self.per_sec) {
            self.accepted.push_back(now);
        }
        while self.accepted.len() > self.per_sec {
            self.accepted.pop_front();
        }
    }

    /// True (and counted) if one more event fits now.
    pub(crate) fn try_acquire(&mut self) -> bool {
        let now = Instant::now();
        let room = self.has_room(now);
        if room {
            self.record(now);
        }
        room
    }
}
