//! [`Gate`]: the one way replies and events leave Rust for a [`Sink`] (the C++ host object, or a
//! test), serialised per engine and closed for good at destroy.

use serde_json::json;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What a [`Sink`] did with an offered event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offer {
    /// The sink took the event (queued it, or dropped it for good).
    Taken,
    /// The sink is full and took nothing: the bridge offers the same event again later, and no
    /// later event before it.
    Full,
}

/// Where replies and events go (the C++ host object, or a test).
pub trait Sink: Send + Sync + 'static {
    /// The reply to call `call_id`, exactly once per accepted call. Unconditional: replies are
    /// bounded by the calls in flight.
    fn reply(&self, call_id: u64, json: &str);
    /// Offers one event. Must not block; [`Offer::Full`] makes the bridge wait (asynchronously,
    /// without holding any lock) and offer it again, so the engine's bounded event queue fills
    /// and the engine slows down instead of the host's queue growing.
    fn event(&self, json: &str) -> Offer;
}

/// How long the bridge waits before offering an event again to a full sink.
const FULL_RETRY: Duration = Duration::from_millis(1);

/// Serialises callbacks of one engine and stops them for good at destroy.
pub(crate) struct Gate {
    state: Mutex<GateState>,
}

impl Gate {
    /// A gate open on `sink`.
    pub(crate) fn new(sink: Arc<dyn Sink>) -> Gate {
        Gate {
            state: Mutex::new(GateState {
                sink: Some(sink),
                pending: HashSet::new(),
            }),
        }
    }
}

struct GateState {
    sink: Option<Arc<dyn Sink>>,
    pending: HashSet<u64>,
}

impl Gate {
    fn lock(&self) -> std::sync::MutexGuard<'_, GateState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Offers an event once: `Some(offer)`, or None when the engine was destroyed. The lock is
    /// held only for the offer itself.
    fn offer_event(&self, json: &str) -> Option<Offer> {
        let state = self.lock();
        state.sink.as_ref().map(|sink| sink.event(json))
    }

    /// Delivers an event, waiting (asynchronously, unlocked) while the sink is full; returns
    /// false, with the event not delivered, once the engine was destroyed. Callers deliver their
    /// events one at a time, awaiting each, so their order is kept.
    pub(crate) async fn deliver_event(&self, json: &str) -> bool {
        loop {
            match self.offer_event(json) {
                Some(Offer::Taken) => return true,
                Some(Offer::Full) => tokio::time::sleep(FULL_RETRY).await,
                None => return false,
            }
        }
    }

    /// Replies at once; false when the engine was destroyed (nothing was delivered).
    pub(crate) fn reply_now(&self, call_id: u64, json: &str) -> bool {
        let state = self.lock();
        match &state.sink {
            Some(sink) => {
                sink.reply(call_id, json);
                true
            }
            None => false,
        }
    }

    /// Registers a reply to come; false when the engine was destroyed.
    pub(crate) fn expect_reply(&self, call_id: u64) -> bool {
        let mut state = self.lock();
        state.sink.is_some() && state.pending.insert(call_id)
    }

    pub(crate) fn reply_later(&self, call_id: u64, json: &str) {
        let mut state = self.lock();
        if state.pending.remove(&call_id) {
            if let Some(sink) = &state.sink {
                sink.reply(call_id, json);
            }
        }
    }

    /// Answers pending calls with ENGINE_DESTROYED and closes the gate.
    pub(crate) fn close(&self) {
        let mut state = self.lock();
        if let Some(sink) = state.sink.take() {
            let destroyed = json!({ "code": rcim_core::codes::ENGINE_DESTROYED }).to_string();
            for call_id in state.pending.drain() {
                sink.reply(call_id, &destroyed);
            }
        }
    }
}
