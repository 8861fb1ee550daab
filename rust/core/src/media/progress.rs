//! Progress of a transfer as the API reports it: integer percents 0..=100 that only rise; 100
//! is reported once the transfer is complete (for an upload: once the server accepted it), so
//! byte counts alone never reach it.

/// Tracks bytes moved out of a known total and says when the percent rose.
#[derive(Debug, Clone)]
pub struct Progress {
    total: u64,
    done: u64,
    reported: Option<u8>,
}

impl Progress {
    /// A transfer of `total` bytes of which `done` are already there (a resumed download).
    pub fn new(total: u64, done: u64) -> Self {
        Self {
            total,
            done: done.min(total),
            reported: None,
        }
    }

    /// The percent of `done` bytes out of `total`, rounded down and capped at 99 (100 means
    /// finished, see [`Progress::finish`]); an empty transfer is at 99 straight away.
    pub fn percent(done: u64, total: u64) -> u8 {
        if total == 0 {
            return 99;
        }
        let percent = (u128::from(done.min(total)) * 100 / u128::from(total)) as u8;
        percent.min(99)
    }

    /// `bytes` more moved: the new percent when it is higher than the last reported one.
    pub fn advance(&mut self, bytes: u64) -> Option<u8> {
        self.done = self.done.saturating_add(bytes).min(self.total);
        let percent = Self::percent(self.done, self.total);
        self.report(percent)
    }

    /// The transfer completed: 100, unless it was already reported.
    pub fn finish(&mut self) -> Option<u8> {
        self.report(100)
    }

    fn report(&mut self, percent: u8) -> Option<u8> {
        if self.reported.is_some_and(|r| r >= percent) {
            return None;
        }
        self.reported = Some(percent);
        Some(percent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percents_rise_stop_at_99_and_end_at_100() {
        assert_eq!(Progress::percent(0, 0), 99);
        assert_eq!(Progress::percent(1, 3), 33);
        assert_eq!(Progress::percent(3, 3), 99);
        assert_eq!(Progress::percent(u64::MAX - 1, u64::MAX), 99);
        let mut p = Progress::new(1000, 0);
        let mut seen = Vec::new();
        for _ in 0..100 {
            seen.extend(p.advance(13));
        }
        seen.extend(p.finish());
        assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
        assert_eq!(seen.last(), Some(&100));
        assert_eq!(p.finish(), None);
        // A resumed transfer starts where it was.
        let mut resumed = Progress::new(100, 60);
        assert_eq!(resumed.advance(1), Some(61));
        assert_eq!(resumed.advance(0), None);
    }

    #[test]
    fn repeats_and_overshoot_never_report_a_percent_twice() {
        let mut p = Progress::new(200, 0);
        let mut seen = Vec::new();
        // 0 first, repeated byte counts (no new percent), a jump, an overshoot past the total, more
        // bytes after it, then the end reported twice.
        for bytes in [1, 1, 0, 0, 2, 2, 100, 0, 150, 10, 0] {
            seen.push(p.advance(bytes));
        }
        seen.push(p.finish());
        seen.push(p.finish());
        assert_eq!(
            seen,
            [
                Some(0),
                Some(1),
                None,
                None,
                Some(2),
                Some(3),
                Some(53),
                None,
                Some(99),
                None,
                None,
                Some(100),
                None
            ]
        );
        // A resumed transfer with more already there than its total is at 99, once.
        let mut over = Progress::new(10, 50);
        assert_eq!(over.advance(0), Some(99));
        assert_eq!(over.advance(5), None);
        assert_eq!(over.finish(), Some(100));
    }
}
