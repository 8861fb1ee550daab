//! This node's subscriptions to users' and rooms' subjects: made once per user (counted by
//! connection) or room, confirmed before a login reads its inbox head, dropped with the
//! last connection.

use super::NatsBus;
use super::{lock, SUBSCRIBE_TIMEOUT};
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// One subscription of this node to a user's or a room's subject.
pub(super) struct Watch {
    /// Connections (logins) that need it; the room map does not count.
    pub(super) count: usize,
    /// Ends the reader task, which drops the subscription (unsubscribing).
    pub(super) cancel: CancellationToken,
    /// Set once the subscription exists.
    pub(super) ready: Arc<tokio::sync::OnceCell<()>>,
}

impl NatsBus {
    /// Subscribes to `user`'s subject unless this node already is (counted).
    pub(crate) async fn watch_user(self: &Arc<Self>, user: &str) {
        let subject = self.subjects.user(user);
        let (ready, cancel) = {
            let mut users = lock(&self.users);
            let w = users.entry(user.to_owned()).or_insert_with(new_watch);
            w.count += 1;
            (w.ready.clone(), w.cancel.clone())
        };
        self.subscribe_once(&ready, subject, Some(user.to_owned()), cancel)
            .await;
    }

    /// One connection of `user` less; the last one unsubscribes.
    pub(crate) fn unwatch_user(&self, user: &str) {
        let mut users = lock(&self.users);
        if let Some(w) = users.get_mut(user) {
            w.count = w.count.saturating_sub(1);
            if w.count == 0 {
                w.cancel.cancel();
                users.remove(user);
            }
        }
    }

    /// Subscribes to `room`'s subject unless this node already is.
    pub(crate) async fn watch_room(self: &Arc<Self>, room: &str) {
        let subject = self.subjects.room(room);
        let (ready, cancel) = {
            let mut rooms = lock(&self.rooms);
            let w = rooms.entry(room.to_owned()).or_insert_with(new_watch);
            (w.ready.clone(), w.cancel.clone())
        };
        self.subscribe_once(&ready, subject, None, cancel).await;
    }

    /// Unsubscribes from the rooms `keep` refuses.
    pub(crate) fn retain_rooms(&self, keep: impl Fn(&str) -> bool) {
        lock(&self.rooms).retain(|room, w| {
            let kept = keep(room);
            if !kept {
                w.cancel.cancel();
            }
            kept
        });
    }

    /// Subscribes to `subject` and starts its reader, once per `ready` cell; then waits
    /// until NATS confirms it. At most [`SUBSCRIBE_TIMEOUT`] in all, and no wait for the
    /// confirmation while NATS is unreachable: a login then goes on (see the module docs on
    /// outages). Abandoning the subscription halfway is safe: its reader starts right
    /// before the cell is set, so a later attempt never makes a second reader.
    pub(super) async fn subscribe_once(
        self: &Arc<Self>,
        ready: &tokio::sync::OnceCell<()>,
        subject: String,
        user: Option<String>,
        cancel: CancellationToken,
    ) {
        let started = tokio::time::Instant::now();
        let made = tokio::time::timeout(
            SUBSCRIBE_TIMEOUT,
            ready.get_or_try_init(|| async {
                let sub = self.client.subscribe(subject.clone()).await?;
                tokio::spawn(self.clone().read_loop(sub, user.clone(), cancel.clone()));
                anyhow::Ok(())
            }),
        )
        .await;
        match made {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                tracing::warn!(%subject, error = %e, "subscribing on the bus failed");
                return;
            }
            Err(_) => {
                tracing::warn!(%subject, "the bus took no subscription in time");
                return;
            }
        }
        if !self.connected() {
            return;
        }
        // The server has the subscription once it answered the flush's ping.
        let left = SUBSCRIBE_TIMEOUT.saturating_sub(started.elapsed());
        match tokio::time::timeout(left, self.client.flush()).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                tracing::warn!(%subject, error = %e, "flushing a bus subscription failed")
            }
            Err(_) => tracing::warn!(%subject, "the bus did not confirm a subscription in time"),
        }
    }

    /// Whether the connection to NATS is up now.
    pub(super) fn connected(&self) -> bool {
        self.client.connection_state() == async_nats::connection::State::Connected
    }
}

fn new_watch() -> Watch {
    Watch {
        count: 0,
        cancel: CancellationToken::new(),
        ready: Arc::default(),
    }
}
