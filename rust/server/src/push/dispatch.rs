//! Sending notifications through the providers: a bounded queue per provider, a few sends
//! in flight, retries with backoff. Never blocks its caller.

use super::{Notification, ProviderKind, PushConfig, PushProvider, SendOutcome};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// What to do with a token a provider called unregistered.
pub type OnUnregistered = Arc<dyn Fn(ProviderKind, String) + Send + Sync>;

/// Counters of a dispatcher.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DispatchStats {
    pub enqueued: u64,
    pub delivered: u64,
    pub retried: u64,
    pub failed: u64,
    pub unregistered: u64,
    pub dropped: u64,
}

#[derive(Default)]
struct Counters {
    enqueued: AtomicU64,
    delivered: AtomicU64,
    failed: AtomicU64,
    unregistered: AtomicU64,
    dropped: AtomicU64,
}

/// Interim dispatcher: one send per notification, no queue bound, no retry.
pub struct Dispatcher {
    providers: Vec<Arc<dyn PushProvider>>,
    on_unregistered: OnUnregistered,
    counters: Arc<Counters>,
}

impl Dispatcher {
    /// A dispatcher over `providers`.
    pub fn new(
        providers: Vec<Arc<dyn PushProvider>>,
        _config: &PushConfig,
        on_unregistered: OnUnregistered,
    ) -> Self {
        Self {
            providers,
            on_unregistered,
            counters: Arc::default(),
        }
    }

    /// The real clients of the providers `config` configures (none here).
    pub fn from_config(
        config: &PushConfig,
        on_unregistered: OnUnregistered,
    ) -> anyhow::Result<Self> {
        Ok(Self::new(Vec::new(), config, on_unregistered))
    }

    /// Whether notifications for `kind` can be sent at all.
    pub fn has_provider(&self, kind: ProviderKind) -> bool {
        self.providers.iter().any(|p| p.kind() == kind)
    }

    /// Hands `n` to its provider; false when there is none.
    pub fn enqueue(&self, n: Notification) -> bool {
        let c = &self.counters;
        let Some(p) = self
            .providers
            .iter()
            .find(|p| p.kind() == n.provider)
            .cloned()
        else {
            c.dropped.fetch_add(1, Ordering::Relaxed);
            return false;
        };
        c.enqueued.fetch_add(1, Ordering::Relaxed);
        let counters = self.counters.clone();
        let on_unregistered = self.on_unregistered.clone();
        tokio::spawn(async move {
            match p.send(&n).await {
                SendOutcome::Delivered => counters.delivered.fetch_add(1, Ordering::Relaxed),
                SendOutcome::Unregistered => {
                    on_unregistered(n.provider, n.token.clone());
                    counters.unregistered.fetch_add(1, Ordering::Relaxed)
                }
                _ => counters.failed.fetch_add(1, Ordering::Relaxed),
            };
        });
        true
    }

    /// The counters so far.
    pub fn stats(&self) -> DispatchStats {
        let c = &self.counters;
        DispatchStats {
            enqueued: c.enqueued.load(Ordering::Relaxed),
            delivered: c.delivered.load(Ordering::Relaxed),
            retried: 0,
            failed: c.failed.load(Ordering::Relaxed),
            unregistered: c.unregistered.load(Ordering::Relaxed),
            dropped: c.dropped.load(Ordering::Relaxed),
        }
    }

    /// Stops sending.
    pub async fn close(&self) {}
}
