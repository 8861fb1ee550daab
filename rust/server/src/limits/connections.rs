//! Connection admission: at most so many connections per client IP and overall on one
//! listener. A connection holds a [`ConnectionPermit`] for its lifetime; dropping it frees
//! its place.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// The connection counters of one listener.
#[derive(Debug)]
pub struct Connections {
    max_total: usize,
    max_per_ip: usize,
    loopback_exempt: bool,
    inner: Mutex<Counts>,
}

#[derive(Debug, Default)]
struct Counts {
    total: usize,
    per_ip: HashMap<IpAddr, usize>,
}

/// A connection's place among the admitted ones (see [`Connections::try_admit`]).
#[derive(Debug)]
pub struct ConnectionPermit {
    owner: Arc<Connections>,
    ip: Option<IpAddr>,
}

impl Connections {
    /// Counters allowing `max_total` connections and `max_per_ip` from one address (0 =
    /// unlimited); with `loopback_exempt`, loopback addresses count only towards the total
    /// (a local reverse proxy or the test suites).
    pub fn new(max_total: usize, max_per_ip: usize, loopback_exempt: bool) -> Arc<Self> {
        Arc::new(Self {
            max_total,
            max_per_ip,
            loopback_exempt,
            inner: Mutex::new(Counts::default()),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Counts> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A permit for one more connection from `ip`, or `None` when the listener is full or
    /// `ip` has its share already (the caller closes the socket at once).
    pub fn try_admit(self: &Arc<Self>, ip: IpAddr) -> Option<ConnectionPermit> {
        let ip = ip.to_canonical();
        let per_ip = self.max_per_ip > 0 && !(self.loopback_exempt && ip.is_loopback());
        let ip = address_block(ip);
        let mut counts = self.lock();
        if self.max_total > 0 && counts.total >= self.max_total {
            return None;
        }
        if per_ip {
            let n = counts.per_ip.entry(ip).or_default();
            if *n >= self.max_per_ip {
                return None;
            }
            *n += 1;
        }
        counts.total += 1;
        Some(ConnectionPermit {
            owner: self.clone(),
            ip: per_ip.then_some(ip),
        })
    }

    /// Connections admitted now (for monitoring).
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn open(&self) -> usize {
        self.lock().total
    }
}

/// What the per-IP limit counts: an IPv4 address, or an IPv6 /64 (one subscriber's
/// network: its hosts pick addresses in it at will).
fn address_block(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

impl Drop for ConnectionPermit {
    fn drop(&mut self) {
        let mut counts = self.owner.lock();
        counts.total = counts.total.saturating_sub(1);
        if let Some(ip) = self.ip {
            if let Some(n) = counts.per_ip.get_mut(&ip) {
                *n -= 1;
                if *n == 0 {
                    counts.per_ip.remove(&ip);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_ip_and_total_bounds_with_release() {
        let c = Connections::new(3, 2, true);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let a1 = c.try_admit(a).unwrap();
        let _a2 = c.try_admit(a).unwrap();
        assert!(c.try_admit(a).is_none(), "per-IP share used up");
        let _b1 = c.try_admit(b).unwrap();
        assert!(c.try_admit(b).is_none(), "listener full");
        drop(a1);
        assert!(c.try_admit(a).is_some());
        let local = Connections::new(0, 1, true);
        let lo: IpAddr = "127.0.0.1".parse().unwrap();
        let held: Vec<_> = (0..10).map(|_| local.try_admit(lo).unwrap()).collect();
        assert_eq!(local.open(), 10);
        drop(held);
        assert_eq!(local.open(), 0);
        let v6 = Connections::new(0, 1, false);
        let _first = v6.try_admit("2001:db8::1".parse().unwrap()).unwrap();
        assert!(
            v6.try_admit("2001:db8::2".parse().unwrap()).is_none(),
            "same /64"
        );
        assert!(v6.try_admit("2001:db8:0:1::1".parse().unwrap()).is_some());
        let strict = Connections::new(0, 1, false);
        let _one = strict.try_admit(lo).unwrap();
        assert!(strict.try_admit(lo).is_none());
    }
}
