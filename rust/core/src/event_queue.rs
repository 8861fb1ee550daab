//! The engine's event queue towards the embedder, bounded in events and in bytes.
//!
//! Policy: an event is weighed once, as the size of its JSON form (what the bridge hands to
//! JavaScript; see [`weight`]). The queue holds at most `event_queue_len` events and at most
//! `event_queue_bytes` bytes of them. A producer that finds either bound reached waits
//! (backpressure); nothing is dropped while someone listens. An event heavier than the whole
//! byte budget is admitted alone, once the queue is empty, so it still gets through. The
//! session's producer never blocks on this queue: its events wait in its outlet, whose own
//! bounds (`session::driver`) stop taking inbox entries, which then stay on the server.

use crate::event::Event;
use std::sync::Arc;
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};

/// An event with the share of the byte budget it holds until the embedder takes it.
struct Weighed {
    event: Event,
    _bytes: OwnedSemaphorePermit,
}

/// The receiving end of an engine's events (see the module documentation for its bounds).
pub struct EventStream {
    rx: mpsc::Receiver<Weighed>,
}

impl EventStream {
    /// The next event; `None` once the engine and all its tasks are gone.
    pub async fn recv(&mut self) -> Option<Event> {
        self.rx.recv().await.map(|w| w.event)
    }

    /// Whether no event is waiting.
    pub fn is_empty(&self) -> bool {
        self.rx.is_empty()
    }

    /// How many events are waiting.
    pub fn len(&self) -> usize {
        self.rx.len()
    }

    /// The next event if one is waiting.
    pub fn try_recv(&mut self) -> Option<Event> {
        self.rx.try_recv().ok().map(|w| w.event)
    }
}

/// The sending end, shared by the engine and its tasks.
#[derive(Clone)]
pub(crate) struct EventSender {
    tx: mpsc::Sender<Weighed>,
    bytes: Arc<Semaphore>,
    budget: u32,
}

/// The receiver is gone: nobody listens.
#[derive(Debug)]
pub(crate) struct Closed;

/// A place in the queue for one event of a known weight.
pub(crate) struct Permit {
    slot: mpsc::OwnedPermit<Weighed>,
    bytes: OwnedSemaphorePermit,
}

impl Permit {
    /// Queues `event` in the place taken.
    pub(crate) fn send(self, event: Event) {
        self.slot.send(Weighed {
            event,
            _bytes: self.bytes,
        });
    }
}

/// A queue of at most `len` events and `bytes` bytes.
pub(crate) fn channel(len: usize, bytes: usize) -> (EventSender, EventStream) {
    let (tx, rx) = mpsc::channel(len.max(1));
    let budget = bytes.clamp(1, u32::MAX as usize) as u32;
    let sender = EventSender {
        tx,
        bytes: Arc::new(Semaphore::new(budget as usize)),
        budget,
    };
    (sender, EventStream { rx })
}

/// The weight of `event`: the length of its JSON form, counted without building it.
pub(crate) fn weight(event: &Event) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    // Serialising an event does not fail; a failure would only make it look light.
    let _ = serde_json::to_writer(&mut count, event);
    count.0
}

impl EventSender {
    /// Waits for a place for an event of `weight` bytes (capped at the whole budget).
    pub(crate) async fn reserve(&self, weight: usize) -> Result<Permit, Closed> {
        let take = weight.clamp(1, self.budget as usize) as u32;
        let wait = async {
            let bytes = self.bytes.clone().acquire_many_owned(take).await;
            let slot = self.tx.clone().reserve_owned().await;
            match (bytes, slot) {
                (Ok(bytes), Ok(slot)) => Ok(Permit { slot, bytes }),
                _ => Err(Closed),
            }
        };
        // The byte budget is never closed: notice a receiver that is gone meanwhile.
        tokio::select! {
            permit = wait => permit,
            () = self.tx.closed() => Err(Closed),
        }
    }

    /// A place for an event of `weight` bytes if there is one now.
    pub(crate) fn try_reserve(&self, weight: usize) -> Option<Permit> {
        let take = weight.clamp(1, self.budget as usize) as u32;
        let bytes = self.bytes.clone().try_acquire_many_owned(take).ok()?;
        let slot = self.tx.clone().try_reserve_owned().ok()?;
        Some(Permit { slot, bytes })
    }

    /// Queues `event`, waiting while the queue is full.
    pub(crate) async fn send(&self, event: Event) -> Result<(), Closed> {
        let permit = self.reserve(weight(&event)).await?;
        permit.send(event);
        Ok(())
    }

    /// Bytes of the budget in use now (tests).
    #[cfg(test)]
    fn bytes_in_use(&self) -> usize {
        self.budget as usize - self.bytes.available_permits()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn message_of(len: usize) -> Event {
        let text = "x".repeat(len);
        Event::MessageReceived {
            message: crate::codec::new_text_message(1, "bob", None, &text),
            left: 0,
            offline: false,
            has_package: false,
        }
    }

    #[test]
    fn an_event_weighs_its_json() {
        let event = message_of(10_000);
        let json = serde_json::to_string(&event).unwrap();
        assert_eq!(weight(&event), json.len());
        assert!(weight(&event) > 10_000);
    }

    #[tokio::test]
    async fn the_byte_budget_holds_back_a_producer_until_the_embedder_reads() {
        // Room for 100 events but only 50 KB: two 20 KB messages fit, the third waits.
        let (tx, mut rx) = channel(100, 50_000);
        tx.send(message_of(20_000)).await.unwrap();
        tx.send(message_of(20_000)).await.unwrap();
        assert!(tx.try_reserve(weight(&message_of(20_000))).is_none());
        let producer = tokio::spawn({
            let tx = tx.clone();
            async move { tx.send(message_of(20_000)).await.unwrap() }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!producer.is_finished(), "the third message must wait");
        assert!(tx.bytes_in_use() <= 50_000);
        // Reading one frees its bytes: the third gets in; all three arrive, in order.
        assert!(rx.recv().await.is_some());
        tokio::time::timeout(Duration::from_secs(5), producer)
            .await
            .expect("the producer goes on once bytes are free")
            .unwrap();
        assert!(rx.recv().await.is_some());
        assert!(rx.recv().await.is_some());
        assert!(rx.try_recv().is_none());
        assert_eq!(tx.bytes_in_use(), 0);
    }

    #[tokio::test]
    async fn the_count_bound_still_holds_for_small_events() {
        let (tx, mut rx) = channel(2, 1 << 20);
        tx.send(message_of(1)).await.unwrap();
        tx.send(message_of(1)).await.unwrap();
        assert!(tx.try_reserve(1).is_none(), "two events at most");
        rx.recv().await.unwrap();
        assert!(tx.try_reserve(1).is_some());
    }

    #[tokio::test]
    async fn an_event_heavier_than_the_budget_passes_alone() {
        let (tx, mut rx) = channel(10, 1_000);
        tx.send(message_of(10)).await.unwrap();
        let big = tokio::spawn({
            let tx = tx.clone();
            async move { tx.send(message_of(5_000)).await.unwrap() }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!big.is_finished(), "waits for the queue to empty");
        rx.recv().await.unwrap();
        tokio::time::timeout(Duration::from_secs(5), big)
            .await
            .unwrap()
            .unwrap();
        let Some(Event::MessageReceived { message, .. }) = rx.recv().await else {
            panic!("the big message arrives")
        };
        assert!(serde_json::to_string(&message).unwrap().len() > 5_000);
    }

    #[tokio::test]
    async fn a_producer_waiting_for_bytes_learns_that_nobody_listens() {
        let (tx, rx) = channel(10, 100);
        tx.send(message_of(500)).await.unwrap();
        let waiting = tokio::spawn({
            let tx = tx.clone();
            async move { tx.send(message_of(500)).await }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        drop(rx);
        let outcome = tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .unwrap()
            .unwrap();
        assert!(outcome.is_err());
    }
}
