//! Sending notifications through the providers: a bounded queue per provider, a few sends
//! in flight, retries with backoff. Never blocks its caller.
//!
//! Each provider has its own lane (queue, worker, in-flight limit), so a provider that hangs
//! or fails holds only its own slots: the other provider's notifications go on.

use super::apns::ApnsProvider;
use super::config::PushConfig;
use super::fcm::FcmProvider;
use super::{Notification, ProviderKind, PushProvider, SendOutcome};
use backon::{ExponentialBuilder, Retryable};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, Semaphore};
use tokio::task::{JoinHandle, JoinSet};
use tokio_util::sync::CancellationToken;

/// Called with a token its provider called unregistered (the caller forgets it).
pub type OnUnregistered = Arc<dyn Fn(ProviderKind, String) + Send + Sync>;

/// The longest wait before a retry, whatever the backoff or `Retry-After` say: a longer
/// one would hold an in-flight slot for too long.
const MAX_RETRY_DELAY: Duration = Duration::from_secs(60);

/// Counts since the dispatcher started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DispatchStats {
    /// Notifications accepted by [`Dispatcher::enqueue`].
    pub enqueued: u64,
    /// Accepted by their provider.
    pub delivered: u64,
    /// Attempts that failed temporarily and were tried again.
    pub retried: u64,
    /// Given up: rejected by the provider, or still failing after the last attempt.
    pub failed: u64,
    /// Answered "unregistered token" (the token was handed to `on_unregistered`).
    pub unregistered: u64,
    /// Never sent: the provider's queue was full, no provider of that kind is configured,
    /// or the dispatcher was closed before their turn. (Sends still in flight at
    /// [`Dispatcher::close`] are abandoned and counted nowhere.)
    pub dropped: u64,
}

#[derive(Default)]
struct Counters {
    enqueued: AtomicU64,
    delivered: AtomicU64,
    retried: AtomicU64,
    failed: AtomicU64,
    unregistered: AtomicU64,
    dropped: AtomicU64,
}

fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// How each notification is sent: the limits of [`PushConfig`].
#[derive(Clone, Copy)]
struct Policy {
    concurrency: usize,
    max_attempts: u32,
    request_timeout: Duration,
    retry_base_delay: Duration,
}

/// Queues notifications per provider and sends them with retries.
pub struct Dispatcher {
    lanes: HashMap<ProviderKind, mpsc::Sender<Notification>>,
    counters: Arc<Counters>,
    closed: AtomicBool,
    stop: CancellationToken,
    workers: Mutex<Vec<JoinHandle<()>>>,
}

impl Dispatcher {
    /// Starts one lane per provider (a later provider of the same kind replaces an earlier
    /// one). Must be called inside a Tokio runtime.
    pub fn new(
        providers: Vec<Arc<dyn PushProvider>>,
        config: &PushConfig,
        on_unregistered: OnUnregistered,
    ) -> Self {
        let policy = Policy {
            concurrency: config.concurrency.max(1),
            max_attempts: config.max_attempts.max(1),
            request_timeout: config.request_timeout,
            retry_base_delay: config.retry_base_delay,
        };
        let counters = Arc::new(Counters::default());
        let stop = CancellationToken::new();
        let mut lanes = HashMap::new();
        let mut workers = Vec::new();
        for provider in providers {
            let (tx, rx) = mpsc::channel(config.queue_capacity.max(1));
            lanes.insert(provider.kind(), tx);
            workers.push(tokio::spawn(run_lane(Lane {
                provider,
                rx,
                policy,
                counters: counters.clone(),
                on_unregistered: on_unregistered.clone(),
                stop: stop.clone(),
            })));
        }
        Self {
            lanes,
            counters,
            closed: AtomicBool::new(false),
            stop,
            workers: Mutex::new(workers),
        }
    }

    /// The real clients of the providers `config` configures (none for the default).
    pub fn from_config(
        config: &PushConfig,
        on_unregistered: OnUnregistered,
    ) -> anyhow::Result<Self> {
        let mut providers: Vec<Arc<dyn PushProvider>> = Vec::new();
        if let Some(apns) = &config.apns {
            providers.push(Arc::new(ApnsProvider::new(apns)?));
        }
        if let Some(fcm) = &config.fcm {
            providers.push(Arc::new(FcmProvider::new(fcm)?));
        }
        let kinds: Vec<ProviderKind> = providers.iter().map(|p| p.kind()).collect();
        tracing::info!(providers = ?kinds, "push providers ready");
        Ok(Self::new(providers, config, on_unregistered))
    }

    /// Whether notifications for `kind` can be sent at all.
    pub fn has_provider(&self, kind: ProviderKind) -> bool {
        self.lanes.contains_key(&kind)
    }

    /// Queues `n` for its provider without waiting. `false` (and counted as dropped) when
    /// that provider's queue is full, no such provider is configured, or after
    /// [`Self::close`].
    pub fn enqueue(&self, n: Notification) -> bool {
        let accepted = !self.closed.load(Ordering::Relaxed)
            && self
                .lanes
                .get(&n.provider)
                .is_some_and(|lane| lane.try_send(n).is_ok());
        bump(if accepted {
            &self.counters.enqueued
        } else {
            &self.counters.dropped
        });
        accepted
    }

    /// Queues `n` for its provider, waiting up to `timeout` for room in its queue (pushes
    /// with no other way to go, such as a broadcast: never on the message path, which must
    /// not wait). `false` (and counted as dropped) when the time ran out, no such provider is
    /// configured, or after [`Self::close`].
    pub async fn enqueue_wait(&self, n: Notification, timeout: Duration) -> bool {
        let lane = self
            .lanes
            .get(&n.provider)
            .filter(|_| !self.closed.load(Ordering::Relaxed));
        let accepted = match lane {
            Some(lane) => matches!(
                tokio::time::timeout(timeout, lane.send(n)).await,
                Ok(Ok(()))
            ),
            None => false,
        };
        bump(if accepted {
            &self.counters.enqueued
        } else {
            &self.counters.dropped
        });
        accepted
    }

    /// The counts so far.
    pub fn stats(&self) -> DispatchStats {
        let c = &self.counters;
        DispatchStats {
            enqueued: c.enqueued.load(Ordering::Relaxed),
            delivered: c.delivered.load(Ordering::Relaxed),
            retried: c.retried.load(Ordering::Relaxed),
            failed: c.failed.load(Ordering::Relaxed),
            unregistered: c.unregistered.load(Ordering::Relaxed),
            dropped: c.dropped.load(Ordering::Relaxed),
        }
    }

    /// Shutdown: refuses new notifications, abandons the sends in flight and counts the
    /// queued ones as dropped. Pushes are best effort; waiting for a hanging provider would
    /// hold up the server's stop.
    pub async fn close(&self) {
        self.closed.store(true, Ordering::Relaxed);
        self.stop.cancel();
        let workers = std::mem::take(&mut *self.workers.lock().unwrap_or_else(|e| e.into_inner()));
        for worker in workers {
            let _ = worker.await;
        }
    }
}

impl Drop for Dispatcher {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

/// One provider's worker and what it needs.
struct Lane {
    provider: Arc<dyn PushProvider>,
    rx: mpsc::Receiver<Notification>,
    policy: Policy,
    counters: Arc<Counters>,
    on_unregistered: OnUnregistered,
    stop: CancellationToken,
}

/// Takes notifications off the queue while an in-flight slot is free and sends each in its
/// own task.
async fn run_lane(mut lane: Lane) {
    let slots = Arc::new(Semaphore::new(lane.policy.concurrency));
    let mut in_flight = JoinSet::new();
    loop {
        let slot = tokio::select! {
            _ = lane.stop.cancelled() => break,
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
        };
        let n = tokio::select! {
            _ = lane.stop.cancelled() => break,
            n = lane.rx.recv() => match n {
                Some(n) => n,
                None => break,
            },
        };
        let provider = lane.provider.clone();
        let counters = lane.counters.clone();
        let on_unregistered = lane.on_unregistered.clone();
        let policy = lane.policy;
        in_flight.spawn(async move {
            deliver(&*provider, &n, policy, &counters, &on_unregistered).await;
            drop(slot);
        });
        while in_flight.try_join_next().is_some() {}
    }
    // Closed or dropped: what is queued is never sent; what is in flight is abandoned
    // when `in_flight` drops.
    lane.rx.close();
    while lane.rx.try_recv().is_ok() {
        bump(&lane.counters.dropped);
    }
}

/// A temporary failure of one attempt.
struct Temporary {
    reason: String,
    retry_after: Option<Duration>,
}

/// A final answer for one notification.
enum Final {
    Delivered,
    Unregistered,
    Rejected(String),
}

/// Sends `n` with up to `max_attempts` attempts, each bounded by the request timeout, with
/// exponential backoff and jitter between them (at least the provider's `Retry-After`).
async fn deliver(
    provider: &dyn PushProvider,
    n: &Notification,
    policy: Policy,
    counters: &Counters,
    on_unregistered: &OnUnregistered,
) {
    let attempt = || async {
        match tokio::time::timeout(policy.request_timeout, provider.send(n)).await {
            Ok(SendOutcome::Delivered) => Ok(Final::Delivered),
            Ok(SendOutcome::Unregistered) => Ok(Final::Unregistered),
            Ok(SendOutcome::Rejected(reason)) => Ok(Final::Rejected(reason)),
            Ok(SendOutcome::Retry {
                reason,
                retry_after,
            }) => Err(Temporary {
                reason,
                retry_after,
            }),
            Err(_) => Err(Temporary {
                reason: format!("no answer within {:?}", policy.request_timeout),
                retry_after: None,
            }),
        }
    };
    let backoff = ExponentialBuilder::default()
        .with_min_delay(policy.retry_base_delay)
        .with_max_delay(MAX_RETRY_DELAY)
        .with_max_times(policy.max_attempts as usize - 1)
        .with_jitter();
    let result = attempt
        .retry(backoff)
        .adjust(|e: &Temporary, delay| {
            delay.map(|d| e.retry_after.map_or(d, |after| after.max(d).min(MAX_RETRY_DELAY)))
        })
        .notify(|e: &Temporary, delay| {
            bump(&counters.retried);
            tracing::debug!(provider = ?provider.kind(), reason = %e.reason, ?delay, "push retried");
        })
        .await;
    match result {
        Ok(Final::Delivered) => bump(&counters.delivered),
        Ok(Final::Unregistered) => {
            tracing::debug!(provider = ?provider.kind(), "push token unregistered");
            on_unregistered(n.provider, n.token.clone());
            bump(&counters.unregistered);
        }
        Ok(Final::Rejected(reason)) => {
            bump(&counters.failed);
            tracing::warn!(provider = ?provider.kind(), %reason, "push rejected");
        }
        Err(e) => {
            bump(&counters.failed);
            tracing::warn!(provider = ?provider.kind(), reason = %e.reason, "push failed after retries");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::future::BoxFuture;

    /// A provider that takes this long per notification.
    struct Slow(Duration);

    impl PushProvider for Slow {
        fn kind(&self) -> ProviderKind {
            ProviderKind::Fcm
        }
        fn send<'a>(&'a self, _n: &'a Notification) -> BoxFuture<'a, SendOutcome> {
            Box::pin(async {
                tokio::time::sleep(self.0).await;
                SendOutcome::Delivered
            })
        }
    }

    fn notification() -> Notification {
        Notification {
            provider: ProviderKind::Fcm,
            token: "t".into(),
            title: String::new(),
            body: "b".into(),
            data: String::new(),
            badge: None,
            voip: false,
            rc: serde_json::Value::Null,
            ios: Default::default(),
            android: Default::default(),
        }
    }

    fn dispatcher(per_send: Duration) -> Dispatcher {
        let config = PushConfig {
            queue_capacity: 2,
            concurrency: 1,
            ..Default::default()
        };
        Dispatcher::new(vec![Arc::new(Slow(per_send))], &config, Arc::new(|_, _| {}))
    }

    #[tokio::test]
    async fn enqueue_never_waits_and_enqueue_wait_waits_for_room() {
        // More notifications than the queue holds: `enqueue` drops most of them at once.
        let d = dispatcher(Duration::from_millis(20));
        let taken = (0..10).filter(|_| d.enqueue(notification())).count();
        assert!(taken < 10, "{taken}");
        assert_eq!(d.stats().dropped, 10 - taken as u64);
        // `enqueue_wait` waits for room: all of them go.
        let d = dispatcher(Duration::from_millis(20));
        for _ in 0..10 {
            assert!(d.enqueue_wait(notification(), Duration::from_secs(5)).await);
        }
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while d.stats().delivered < 10 {
            assert!(std::time::Instant::now() < deadline, "{:?}", d.stats());
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(d.stats().dropped, 0);
        // Within its time only: a full queue (the provider hangs) and the time runs out.
        let d = dispatcher(Duration::from_secs(30));
        while d.enqueue(notification()) {}
        // The worker takes one into flight (and hangs on it); fill the room it left.
        tokio::time::sleep(Duration::from_millis(50)).await;
        while d.enqueue(notification()) {}
        assert!(
            !d.enqueue_wait(notification(), Duration::from_millis(50))
                .await
        );
        // No provider of that kind: dropped at once.
        let mut apns = notification();
        apns.provider = ProviderKind::Apns;
        assert!(!d.enqueue_wait(apns, Duration::from_secs(5)).await);
    }
}
