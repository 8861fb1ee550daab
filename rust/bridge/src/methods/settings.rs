//! Settings synced with the server (a conversation's pin and notification level, a
//! conversation type's level, quiet hours) and their local reads.

use super::args::ConversationArgs;
use super::rows::{self, Custom, Local, Operation, Row};
use crate::call::{ArgError, Context, Outcome};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub(super) const ROWS: &[&dyn Row] = &[
    &Operation {
        names: &["changeConversationTopStatus"],
        run: |engine, a: TopStatusArgs, event_id| {
            engine.change_conversation_top_status(a.conversation.key(), a.top, event_id)
        },
    },
    &Local {
        names: &["getConversationTopStatus", "loadConversationTopStatus"],
        listener: "onConversationTopStatusLoaded",
        field: Some("top"),
        run: |engine, a: &ConversationArgs| engine.conversation_top_status(a.key()),
    },
    &Operation {
        names: &["changeConversationNotificationLevel"],
        run: |engine, a: NotificationLevelArgs, event_id| {
            engine.change_conversation_notification_level(a.conversation.key(), a.level, event_id)
        },
    },
    &Local {
        names: &[
            "getConversationNotificationLevel",
            "loadConversationNotificationLevel",
        ],
        listener: "onConversationNotificationLevelLoaded",
        field: Some("level"),
        run: |engine, a: &ConversationArgs| engine.conversation_notification_level(a.key()),
    },
    &Operation {
        names: &["changeConversationTypeNotificationLevel"],
        run: |engine, a: TypeLevelArgs, event_id| {
            engine.change_conversation_type_notification_level(
                a.conversation_type,
                a.level,
                event_id,
            )
        },
    },
    &Local {
        names: &[
            "getConversationTypeNotificationLevel",
            "loadConversationTypeNotificationLevel",
        ],
        listener: "onConversationTypeNotificationLevelLoaded",
        field: Some("level"),
        run: |engine, a: &TypeArgs| {
            engine.conversation_type_notification_level(a.conversation_type)
        },
    },
    &Operation {
        names: &["changeNotificationQuietHours"],
        run: |engine, a: QuietHoursArgs, event_id| {
            engine.change_notification_quiet_hours(
                &a.start_time,
                a.span_minutes,
                a.level,
                a.utc_offset_minutes,
                event_id,
            )
        },
    },
    &Operation {
        names: &["removeNotificationQuietHours"],
        run: |engine, _: NoArgs, event_id| engine.remove_notification_quiet_hours(event_id),
    },
    &Custom {
        names: &["getNotificationQuietHours", "loadNotificationQuietHours"],
        run: quiet_hours_loaded,
    },
];

/// `getNotificationQuietHours`: a local call whose listener takes the window's three fields
/// (`startTime`, `spanMinutes`, `level`; "", 0, 0 without a window) besides `code`.
fn quiet_hours_loaded(context: &Context<'_>, args: Value) -> Result<Outcome, ArgError> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Call {
        #[serde(default)]
        event_id: Option<String>,
    }
    let call: Call = rows::parse_args(args)?;
    let in_flight = match context.start_local_call() {
        Ok(in_flight) => in_flight,
        Err(refused) => return Ok(rows::code(refused.value())),
    };
    let query = match context.engine.notification_quiet_hours() {
        Ok(query) => query,
        Err(rejected) => return Ok(rows::code(rejected.value())),
    };
    let result = Box::pin(async move {
        let (code, window) = match query.await {
            Ok(window) => (0, window),
            Err(failed) => (failed.value(), Default::default()),
        };
        let mut event = json!({ "name": "onNotificationQuietHoursLoaded", "args": {
            "code": code, "startTime": window.start_time, "spanMinutes": window.span_minutes,
            "level": window.level } });
        if let Some(id) = call.event_id {
            event["eventId"] = Value::String(id);
        }
        (event.to_string(), in_flight)
    });
    if context.results.send(result).is_err() {
        tracing::debug!("result dropped: the engine is gone");
    }
    Ok(rows::code(0))
}

/// A call without arguments (besides its `eventId`).
#[derive(Deserialize, Serialize)]
pub(super) struct NoArgs {}

#[derive(Deserialize, Serialize)]
pub(super) struct TypeArgs {
    #[serde(rename = "type")]
    conversation_type: u32,
}

#[derive(Deserialize)]
pub(super) struct TypeLevelArgs {
    #[serde(rename = "type")]
    conversation_type: u32,
    level: u32,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct QuietHoursArgs {
    start_time: String,
    span_minutes: u32,
    level: u32,
    /// The device's offset from UTC (minutes, east positive) when the window is set.
    #[serde(default)]
    utc_offset_minutes: i32,
}

#[derive(Deserialize)]
pub(super) struct TopStatusArgs {
    #[serde(flatten)]
    conversation: ConversationArgs,
    top: bool,
}

#[derive(Deserialize)]
pub(super) struct NotificationLevelArgs {
    #[serde(flatten)]
    conversation: ConversationArgs,
    level: u32,
}
