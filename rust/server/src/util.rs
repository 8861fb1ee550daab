//! Small helpers: clock and message UIDs.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

const BASE32: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A new message UID in RongCloud's shape (`XXXX-XXXX-XXXX-XXXX`, base32): 42 bits of time,
/// 16 bits of a process counter and 22 random bits.
pub(crate) fn new_uid(time_ms: i64) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let counter = u128::from(COUNTER.fetch_add(1, Ordering::Relaxed) & 0xffff);
    let random = u128::from(rand::random::<u32>() & 0x3f_ffff);
    let time = (time_ms.max(0) as u128) & ((1 << 42) - 1);
    let mut v: u128 = (time << 38) | (counter << 22) | random;
    let mut chars = [0u8; 16];
    for c in chars.iter_mut().rev() {
        *c = BASE32[(v & 31) as usize];
        v >>= 5;
    }
    let s: Vec<String> = chars
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    s.join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uids_are_unique_and_shaped() {
        let a = new_uid(now_ms());
        let b = new_uid(now_ms());
        assert_ne!(a, b);
        assert_eq!(a.len(), 19);
        assert_eq!(a.matches('-').count(), 3);
    }
}
