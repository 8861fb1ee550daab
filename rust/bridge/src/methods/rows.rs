//! The kinds of rows of the method table. A row names a method (its 5.2.5 name first, then the
//! deprecated `load*` alias if any), the struct its JSON arguments parse into (named as in
//! `ref/api_reference.md` §2; an optional `eventId` is taken out first), and its handler:
//!
//! * [`Local`]: a local call answered by the engine with a [`rcim_core::Query`]; the reply is
//!   the immediate code and the result goes to `listener` (and to the call's callback object)
//!   through [`crate::events::result_to_json`], in call order.
//! * [`Reply`]: a local call whose reply carries the result (`{code, value}`); no listener.
//! * [`Operation`]: a call whose outcome the engine reports itself as an event; the reply is the
//!   immediate code.
//! * [`Custom`]: anything else (diagnostics, object factories).
//!
//! A type or range error in the arguments answers PARAM_ERROR (1) and nothing else happens.
//! `Local` and `Reply` calls take a place among the local calls in flight first
//! ([`Context::start_local_call`]); without one they answer SEND_MSG_FREQUENCY_OVERRUN (20604)
//! and do not run.

use crate::call::{ArgError, Context, Outcome};
use crate::events;
use rcim_core::{Code, Engine, EventId, Query};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// One row of the method table.
pub(crate) trait Row: Sync {
    /// The method's names (the first is the 5.2.5 one).
    fn names(&self) -> &'static [&'static str];
    /// Parses `args` and runs the method.
    fn call(&self, context: &Context<'_>, args: serde_json::Value) -> Result<Outcome, ArgError>;
}

/// A call's arguments plus the `eventId` of its callback object.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Call<A> {
    #[serde(flatten)]
    args: A,
    #[serde(default)]
    event_id: EventId,
}

fn parse<A: DeserializeOwned>(args: serde_json::Value) -> Result<Call<A>, ArgError> {
    serde_json::from_value(args).map_err(|e| ArgError(e.to_string()))
}

/// The reply carrying only a status code.
pub(crate) fn code(code: i32) -> Outcome {
    Outcome::Now(json!({ "code": code }))
}

/// A local call reported to a listener.
pub(crate) struct Local<A, T> {
    /// Method names.
    pub(crate) names: &'static [&'static str],
    /// The `IRCIMIWListener` member the result goes to.
    pub(crate) listener: &'static str,
    /// The listener parameter holding the result (None: the listener has none).
    pub(crate) field: Option<&'static str>,
    /// Starts the call on the engine.
    pub(crate) run: fn(&Engine, &A) -> Result<Query<T>, Code>,
}

impl<A, T> Row for Local<A, T>
where
    A: DeserializeOwned + Serialize + Send + 'static,
    T: Serialize + Default + Send + 'static,
{
    fn names(&self) -> &'static [&'static str] {
        self.names
    }

    fn call(&self, context: &Context<'_>, args: serde_json::Value) -> Result<Outcome, ArgError> {
        let call: Call<A> = parse(args)?;
        // The place is taken before the call runs: a refused call has no effect.
        let in_flight = match context.start_local_call() {
            Ok(in_flight) => in_flight,
            Err(refused) => return Ok(code(refused.value())),
        };
        let query = match (self.run)(context.engine, &call.args) {
            Ok(query) => query,
            Err(rejected) => return Ok(code(rejected.value())),
        };
        let echo = serde_json::to_value(&call.args).map_err(|e| ArgError(e.to_string()))?;
        let (listener, field) = (self.listener, self.field);
        let result = Box::pin(async move {
            let result = query.await;
            let json =
                events::result_to_json(listener, call.event_id.as_deref(), echo, field, result);
            (json, in_flight)
        });
        if context.results.send(result).is_err() {
            tracing::debug!(listener, "result dropped: the engine is gone");
        }
        Ok(code(0))
    }
}

/// A local call whose reply is its result.
pub(crate) struct Reply<A, T> {
    /// Method names.
    pub(crate) names: &'static [&'static str],
    /// Starts the call on the engine.
    pub(crate) run: fn(&Engine, &A) -> Result<Query<T>, Code>,
}

impl<A, T> Row for Reply<A, T>
where
    A: DeserializeOwned + Send + 'static,
    T: Serialize + Send + 'static,
{
    fn names(&self) -> &'static [&'static str] {
        self.names
    }

    fn call(&self, context: &Context<'_>, args: serde_json::Value) -> Result<Outcome, ArgError> {
        let call: Call<A> = parse(args)?;
        let in_flight = match context.start_local_call() {
            Ok(in_flight) => in_flight,
            Err(refused) => return Ok(code(refused.value())),
        };
        let query = match (self.run)(context.engine, &call.args) {
            Ok(query) => query,
            Err(rejected) => return Ok(code(rejected.value())),
        };
        Ok(Outcome::Later(Box::pin(async move {
            let reply = match query.await {
                Ok(value) => json!({ "code": 0, "value": value }),
                Err(failed) => json!({ "code": failed.value() }),
            };
            drop(in_flight);
            reply
        })))
    }
}

/// A call whose outcome comes as an engine event.
pub(crate) struct Operation<A> {
    /// Method names.
    pub(crate) names: &'static [&'static str],
    /// Hands the call to the engine (with the callback object's event id).
    pub(crate) run: fn(&Engine, A, EventId) -> Result<(), Code>,
}

impl<A: DeserializeOwned> Row for Operation<A> {
    fn names(&self) -> &'static [&'static str] {
        self.names
    }

    fn call(&self, context: &Context<'_>, args: serde_json::Value) -> Result<Outcome, ArgError> {
        let call: Call<A> = parse(args)?;
        Ok(code(
            match (self.run)(context.engine, call.args, call.event_id) {
                Ok(()) => 0,
                Err(rejected) => rejected.value(),
            },
        ))
    }
}

/// A method with its own handler.
pub(crate) struct Custom {
    /// Method names.
    pub(crate) names: &'static [&'static str],
    /// The handler.
    pub(crate) run: fn(&Context<'_>, serde_json::Value) -> Result<Outcome, ArgError>,
}

impl Row for Custom {
    fn names(&self) -> &'static [&'static str] {
        self.names
    }

    fn call(&self, context: &Context<'_>, args: serde_json::Value) -> Result<Outcome, ArgError> {
        (self.run)(context, args)
    }
}

/// Parses a [`Custom`] method's arguments.
pub(crate) fn parse_args<A: DeserializeOwned>(args: serde_json::Value) -> Result<A, ArgError> {
    serde_json::from_value(args).map_err(|e| ArgError(e.to_string()))
}
