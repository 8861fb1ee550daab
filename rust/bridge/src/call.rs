//! What a method handler receives ([`Context`]) and produces ([`Outcome`], [`ArgError`]).

use crate::gate::Gate;
use rcim_core::Engine;
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use tokio::sync::mpsc;

/// A reply that is not known yet.
pub(crate) type Deferred = Pin<Box<dyn Future<Output = Value> + Send>>;

/// A listener event that is not known yet (the JSON of a local call's result).
pub(crate) type PendingEvent = Pin<Box<dyn Future<Output = String> + Send>>;

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
    pub(crate) results: &'a mpsc::UnboundedSender<PendingEvent>,
}
