//! What a method handler receives ([`Context`]) and produces ([`Outcome`], [`ArgError`]).

use crate::gate::Gate;
use rcim_core::{Code, Engine};
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};

/// A reply that is not known yet.
pub(crate) type Deferred = Pin<Box<dyn Future<Output = Value> + Send>>;

/// One local call's place among the calls in flight (see [`Context::start_local_call`]).
pub(crate) type InFlight = OwnedSemaphorePermit;

/// A listener event that is not known yet: the JSON of a local call's result, with the call's
/// place in flight, which the forwarding task frees once the sink has taken the event.
pub(crate) type PendingEvent = Pin<Box<dyn Future<Output = (String, InFlight)> + Send>>;

/// What a method handler produced.
pub(crate) enum Outcome {
    /// Reply now.
    Now(Value),
    /// Reply when the future completes.
    Later(Deferred),
}

/// The arguments did not match the method's parameters.
pub(crate) struct ArgError(pub(crate) String);

/// What a handler can reach.
pub(crate) struct Context<'a> {
    /// The engine.
    pub(crate) engine: &'a Arc<Engine>,
    /// Where replies and events leave.
    pub(crate) gate: &'a Arc<Gate>,
    /// Results of local calls, delivered as listener events in call order.
    /// At most this many results travel there at once: see [`Context::start_local_call`].
    pub(crate) results: &'a mpsc::UnboundedSender<PendingEvent>,
    /// The places of local calls in flight.
    pub(crate) in_flight: &'a Arc<Semaphore>,
}

impl Context<'_> {
    /// Takes a place for one more local call (`Local` or `Reply` row), held until its result was
    /// handed to the sink (a listener event) or is known (a reply, sent at once after). With
    /// every place taken, e.g. while a slow JS listener keeps the sink full, the call is refused
    /// with SEND_MSG_FREQUENCY_OVERRUN (20604) before it runs, so results waiting in the bridge
    /// stay bounded.
    pub(crate) fn start_local_call(&self) -> Result<InFlight, Code> {
        self.in_flight.clone().try_acquire_owned().map_err(|_| {
            tracing::debug!("local call refused: too many local calls in flight");
            Code::SEND_MSG_FREQUENCY_OVERRUN
        })
    }
}
