//! Replay protection of the Server API: a time window around the server's clock and a
//! memory of the `(Timestamp, Nonce)` pairs seen within it, bounded in entries and in time.

use crate::config::ApiSecurityConfig;
use std::collections::BTreeSet;
use std::sync::Mutex;

/// Longest accepted `Nonce` header while the window is on: every remembered nonce costs
/// memory (RongCloud's SDKs send a decimal number).
pub(crate) const MAX_NONCE_LEN: usize = 128;

/// `Timestamp` values from this on are milliseconds: 10^11 seconds is in the year 5138,
/// 10^11 milliseconds in 1973.
const MS_THRESHOLD: i64 = 100_000_000_000;

/// Least time between two warnings that the full memory moved the floor: under a sustained
/// overload it moves on every request.
const FLOOR_WARNING_EVERY_MS: i64 = 60_000;

/// Why a request was refused as a possible replay (all answered 1004).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// `Timestamp` is not a whole number of seconds or milliseconds since the epoch.
    BadTimestamp,
    /// `Timestamp` is outside the window (or no newer than a nonce the full memory dropped).
    Stale,
    /// The nonce is missing or longer than [`MAX_NONCE_LEN`].
    BadNonce,
    /// This `(Timestamp, Nonce)` pair was already accepted.
    Replayed,
}

impl Refusal {
    /// The error message of the 1004 answer.
    pub(crate) fn message(self) -> &'static str {
        match self {
            Self::BadTimestamp => "Timestamp must be seconds or milliseconds since the epoch",
            Self::Stale => "Timestamp is outside the accepted window",
            Self::BadNonce => "Nonce is missing or too long",
            Self::Replayed => "Nonce was already used",
        }
    }
}

/// The nonce memory (one per server).
pub(crate) struct ReplayGuard {
    window_ms: i64,
    max_nonces: usize,
    seen: Mutex<Seen>,
}

#[derive(Default)]
struct Seen {
    /// `(timestamp ms, nonce)`, oldest first.
    entries: BTreeSet<(i64, String)>,
    /// Requests at or before this time are refused: a nonce of that time was forgotten
    /// because the memory was full.
    floor_ms: i64,
    /// When the last floor warning was logged (ms since the epoch; 0: never).
    warned_ms: i64,
}

/// `Timestamp` in milliseconds since the epoch, whichever unit was sent.
pub(crate) fn timestamp_ms(raw: &str) -> Option<i64> {
    let value: i64 = raw.parse().ok().filter(|v| *v >= 0)?;
    Some(if value >= MS_THRESHOLD {
        value
    } else {
        value.checked_mul(1000)?
    })
}

impl ReplayGuard {
    /// A guard for `config`; [`Self::check`] accepts everything when its window is zero.
    pub(crate) fn new(config: &ApiSecurityConfig) -> Self {
        Self {
            window_ms: i64::try_from(config.replay_window.as_millis()).unwrap_or(i64::MAX),
            max_nonces: config.max_nonces.max(1),
            seen: Mutex::default(),
        }
    }

    /// Accepts a request signed with `nonce` and `timestamp` at `now_ms` once; call it only
    /// for requests whose signature is valid, so that forgeries cannot fill the memory.
    pub(crate) fn check(&self, nonce: &str, timestamp: &str, now_ms: i64) -> Result<(), Refusal> {
        if self.window_ms == 0 {
            return Ok(());
        }
        let ts = timestamp_ms(timestamp).ok_or(Refusal::BadTimestamp)?;
        if ts.abs_diff(now_ms) > self.window_ms.unsigned_abs() {
            return Err(Refusal::Stale);
        }
        if nonce.is_empty() || nonce.len() > MAX_NONCE_LEN {
            return Err(Refusal::BadNonce);
        }
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if ts <= seen.floor_ms {
            return Err(Refusal::Stale);
        }
        // Entries older than the window can no longer be replayed: the window refuses them.
        let horizon = now_ms.saturating_sub(self.window_ms);
        while seen.entries.first().is_some_and(|(t, _)| *t < horizon) {
            seen.entries.pop_first();
        }
        if !seen.entries.insert((ts, nonce.to_owned())) {
            return Err(Refusal::Replayed);
        }
        let mut forgot = false;
        while seen.entries.len() > self.max_nonces {
            if let Some((t, _)) = seen.entries.pop_first() {
                seen.floor_ms = seen.floor_ms.max(t);
                forgot = true;
            }
        }
        if forgot && now_ms.saturating_sub(seen.warned_ms) >= FLOOR_WARNING_EVERY_MS {
            seen.warned_ms = now_ms;
            // Requests no newer than the floor are now refused (1004), whatever their nonce:
            // the rate is above max_nonces / window, and app servers whose clock lags are
            // the first refused.
            tracing::warn!(
                max_nonces = self.max_nonces,
                window_secs = self.window_ms / 1000,
                floor_lag_ms = now_ms.saturating_sub(seen.floor_ms),
                "Server API nonce memory is full: requests with an older Timestamp are refused; \
                 raise --api-max-nonces or lower the request rate"
            );
        }
        Ok(())
    }

    /// Nonces remembered now.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.seen.lock().map(|s| s.entries.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn guard(window_secs: u64, max_nonces: usize) -> ReplayGuard {
        ReplayGuard::new(&ApiSecurityConfig {
            replay_window: Duration::from_secs(window_secs),
            max_nonces,
        })
    }

    const NOW: i64 = 1_800_000_000_000;

    #[test]
    fn seconds_and_milliseconds_are_both_accepted() {
        assert_eq!(timestamp_ms("1800000000"), Some(NOW));
        assert_eq!(timestamp_ms("1800000000000"), Some(NOW));
        assert_eq!(timestamp_ms("-5"), None);
        assert_eq!(timestamp_ms("1.5"), None);
        let g = guard(300, 10);
        assert_eq!(g.check("1", "1800000000", NOW), Ok(()));
        assert_eq!(g.check("2", "1800000000000", NOW), Ok(()));
        assert_eq!(g.check("3", "soon", NOW), Err(Refusal::BadTimestamp));
    }

    #[test]
    fn window_and_nonce_memory() {
        let g = guard(300, 10);
        assert_eq!(g.check("n", "1800000000", NOW), Ok(()));
        assert_eq!(g.check("n", "1800000000", NOW + 1), Err(Refusal::Replayed));
        // The same nonce at another time is another signature.
        assert_eq!(g.check("n", "1800000001", NOW), Ok(()));
        assert_eq!(g.check("m", "1799999699", NOW), Err(Refusal::Stale));
        assert_eq!(g.check("m", "1800000301", NOW), Err(Refusal::Stale));
        assert_eq!(g.check("", "1800000000", NOW), Err(Refusal::BadNonce));
        let long = "9".repeat(MAX_NONCE_LEN + 1);
        assert_eq!(g.check(&long, "1800000000", NOW), Err(Refusal::BadNonce));
        // Nonces leave the memory once the window has moved past them.
        assert_eq!(g.len(), 2);
        assert_eq!(g.check("k", "1800000400", NOW + 400_000), Ok(()));
        assert_eq!(g.len(), 1);
    }

    #[test]
    fn a_full_memory_refuses_what_it_forgot() {
        let g = guard(300, 2);
        assert_eq!(g.check("a", "1800000000", NOW), Ok(()));
        assert_eq!(g.check("b", "1800000001", NOW), Ok(()));
        assert_eq!(g.check("c", "1800000002", NOW), Ok(()));
        assert_eq!(g.len(), 2);
        // "a" was forgotten: replaying it is refused by the floor, not accepted.
        assert_eq!(g.check("a", "1800000000", NOW), Err(Refusal::Stale));
        assert_eq!(g.check("d", "1800000003", NOW), Ok(()));
    }

    #[test]
    fn zero_window_accepts_reused_headers() {
        let g = guard(0, 10);
        assert_eq!(g.check("n", "1", NOW), Ok(()));
        assert_eq!(g.check("n", "1", NOW), Ok(()));
        assert_eq!(g.len(), 0);
    }
}
