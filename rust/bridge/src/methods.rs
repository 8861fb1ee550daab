//! The method table: every `RCIMIWEngine` method the engine supports, by name.
//!
//! Each handler parses its arguments (named as in `ref/api_reference.md` §2) into a struct and
//! calls the engine. A type or range error answers PARAM_ERROR (1) and nothing else happens.
//! To add a method: write `fn my_method(ctx, args) -> Result<Outcome, ArgError>` below and add a
//! row to [`METHODS`]; then add the TypeScript wrapper in `src/RCIMEngine.ts`.

use crate::registry::{Gate, Outcome};
use rcim_core::codes;
use rcim_core::{codec, ConversationKey, Engine, EventId, Message};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

/// What a handler can reach.
pub(crate) struct Context<'a> {
    pub(crate) engine: &'a Arc<Engine>,
    pub(crate) gate: &'a Arc<Gate>,
}

/// The arguments did not match the method's parameters.
pub(crate) struct ArgError(String);

type Handler = fn(&Context<'_>, Value) -> Result<Outcome, ArgError>;

/// Method name → handler. `load*` (deprecated in 5.2.5) and `get*` share handlers: the result
/// goes to the same listener, and to the callback object when the call passed an `eventId`.
pub(crate) const METHODS: &[(&str, Handler)] = &[
    ("ping", ping),
    ("pingAsync", ping_async),
    ("benchEvents", bench_events),
    ("__methods", list_methods),
    ("changeLogLevel", change_log_level),
    ("connect", connect),
    ("disconnect", disconnect),
    ("createTextMessage", create_text_message),
    ("sendMessage", send_message),
    ("recallMessage", recall_message),
    (
        "sendPrivateReadReceiptMessage",
        send_private_read_receipt_message,
    ),
    ("loadMessages", get_messages),
    ("getMessages", get_messages),
    ("getMessageById", get_message_by_id),
    ("loadConversations", get_conversations),
    ("getConversations", get_conversations),
    ("loadConversation", get_conversation),
    ("getConversation", get_conversation),
    ("loadUnreadCount", get_unread_count),
    ("getUnreadCount", get_unread_count),
    ("loadTotalUnreadCount", get_total_unread_count),
    ("getTotalUnreadCount", get_total_unread_count),
    ("clearUnreadCount", clear_unread_count),
    ("removeConversation", remove_conversation),
    ("loadMessageCount", get_message_count),
    ("getMessageCount", get_message_count),
    ("loadFirstUnreadMessage", get_first_unread_message),
    ("getFirstUnreadMessage", get_first_unread_message),
    (
        "loadUnreadCountByConversationTypes",
        get_unread_count_by_conversation_types,
    ),
    (
        "getUnreadCountByConversationTypes",
        get_unread_count_by_conversation_types,
    ),
    ("saveDraftMessage", save_draft_message),
    ("clearDraftMessage", clear_draft_message),
    ("loadDraftMessage", get_draft_message),
    ("getDraftMessage", get_draft_message),
    ("searchMessages", search_messages),
    (
        "changeConversationTopStatus",
        change_conversation_top_status,
    ),
    ("loadConversationTopStatus", get_conversation_top_status),
    ("getConversationTopStatus", get_conversation_top_status),
    ("loadTopConversations", get_top_conversations),
    ("getTopConversations", get_top_conversations),
    (
        "changeConversationNotificationLevel",
        change_conversation_notification_level,
    ),
    (
        "loadConversationNotificationLevel",
        get_conversation_notification_level,
    ),
    (
        "getConversationNotificationLevel",
        get_conversation_notification_level,
    ),
    ("loadBlockedConversations", get_blocked_conversations),
    ("getBlockedConversations", get_blocked_conversations),
];

/// Runs `method`.
pub(crate) fn dispatch(context: &Context<'_>, method: &str, args: Value) -> Outcome {
    let Some((_, handler)) = METHODS.iter().find(|(name, _)| *name == method) else {
        return Outcome::Now(json!({
            "code": codes::PARAM_ERROR,
            "message": format!("unknown method {method}"),
        }));
    };
    match handler(context, args) {
        Ok(outcome) => outcome,
        Err(ArgError(message)) => {
            tracing::debug!(method, %message, "argument error");
            Outcome::Now(json!({ "code": codes::PARAM_ERROR, "message": message }))
        }
    }
}

fn parse<T: DeserializeOwned>(args: Value) -> Result<T, ArgError> {
    serde_json::from_value(args).map_err(|e| ArgError(e.to_string()))
}

fn code(code: i32) -> Result<Outcome, ArgError> {
    Ok(Outcome::Now(json!({ "code": code })))
}

/// The conversation arguments most methods share.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConversationArgs {
    #[serde(rename = "type")]
    conversation_type: u32,
    target_id: String,
    #[serde(default)]
    channel_id: Option<String>,
    #[serde(default)]
    event_id: EventId,
}

impl ConversationArgs {
    fn key(&self) -> ConversationKey {
        ConversationKey::new(
            self.conversation_type,
            &self.target_id,
            self.channel_id.as_deref().unwrap_or(""),
        )
    }
}

fn ping(_: &Context<'_>, _: Value) -> Result<Outcome, ArgError> {
    code(0)
}

/// Replies `{"code":0,"value":[names...]}`: the whole table, so tests can compare it with the
/// TypeScript API.
fn list_methods(_: &Context<'_>, _: Value) -> Result<Outcome, ArgError> {
    let names: Vec<&str> = METHODS.iter().map(|(name, _)| *name).collect();
    Ok(Outcome::Now(json!({ "code": 0, "value": names })))
}

/// Replies from a runtime thread: the cross-thread round trip (bridge benchmark).
fn ping_async(_: &Context<'_>, _: Value) -> Result<Outcome, ArgError> {
    Ok(Outcome::Later(Box::pin(async { json!({ "code": 0 }) })))
}

#[derive(Deserialize)]
struct BenchEventsArgs {
    count: u32,
}

/// Emits `count` small events straight through the event gate (bridge benchmark), with the same
/// backpressure as engine events: each waits while the host's event queue is full.
fn bench_events(context: &Context<'_>, args: Value) -> Result<Outcome, ArgError> {
    let args: BenchEventsArgs = parse(args)?;
    if args.count > 10_000_000 {
        return Err(ArgError("count too large".into()));
    }
    let gate = context.gate.clone();
    tokio::spawn(async move {
        for i in 0..args.count {
            let event = json!({ "name": "onBench", "args": { "i": i } }).to_string();
            if !gate.deliver_event(&event).await {
                break;
            }
        }
    });
    code(0)
}

#[derive(Deserialize)]
struct LogLevelArgs {
    level: u32,
}

fn change_log_level(_: &Context<'_>, args: Value) -> Result<Outcome, ArgError> {
    let args: LogLevelArgs = parse(args)?;
    if !crate::registry::BridgeEngine::set_log_level(args.level) {
        return Err(ArgError(format!("unknown log level {}", args.level)));
    }
    code(0)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConnectArgs {
    token: String,
    timeout: i64,
    #[serde(default)]
    event_id: EventId,
}

fn connect(context: &Context<'_>, args: Value) -> Result<Outcome, ArgError> {
    let args: ConnectArgs = parse(args)?;
    code(
        context
            .engine
            .connect(&args.token, args.timeout, args.event_id),
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DisconnectArgs {
    receive_push: bool,
}

fn disconnect(context: &Context<'_>, args: Value) -> Result<Outcome, ArgError> {
    let args: DisconnectArgs = parse(args)?;
    code(context.engine.disconnect(args.receive_push))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateTextArgs {
    #[serde(rename = "type")]
    conversation_type: u32,
    target_id: String,
    #[serde(default)]
    channel_id: Option<String>,
    text: String,
}

fn create_text_message(_: &Context<'_>, args: Value) -> Result<Outcome, ArgError> {
    let args: CreateTextArgs = parse(args)?;
    if !(1..=5).contains(&args.conversation_type) || args.target_id.is_empty() {
        return Err(ArgError("invalid conversation".into()));
    }
    let message = codec::new_text_message(
        args.conversation_type,
        &args.target_id,
        args.channel_id.as_deref(),
        &args.text,
    );
    Ok(Outcome::Now(json!({ "code": 0, "value": message })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SendMessageArgs {
    message: Message,
    #[serde(default)]
    event_id: EventId,
}

fn send_message(context: &Context<'_>, args: Value) -> Result<Outcome, ArgError> {
    let args: SendMessageArgs = parse(args)?;
    code(context.engine.send_message(args.message, args.event_id))
}

fn recall_message(context: &Context<'_>, args: Value) -> Result<Outcome, ArgError> {
    let args: SendMessageArgs = parse(args)?;
    code(context.engine.recall_message(args.message, args.event_id))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReadReceiptArgs {
    target_id: String,
    #[serde(default)]
    channel_id: Option<String>,
    timestamp: i64,
    #[serde(default)]
    event_id: EventId,
}

fn send_private_read_receipt_message(
    context: &Context<'_>,
    args: Value,
) -> Result<Outcome, ArgError> {
    let args: ReadReceiptArgs = parse(args)?;
    code(context.engine.send_private_read_receipt_message(
        &args.target_id,
        args.channel_id.as_deref().unwrap_or(""),
        args.timestamp,
        args.event_id,
    ))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GetMessagesArgs {
    #[serde(flatten)]
    conversation: ConversationArgs,
    sent_time: i64,
    order: u32,
    #[serde(default)]
    policy: Option<u32>,
    count: u32,
}

fn get_messages(context: &Context<'_>, args: Value) -> Result<Outcome, ArgError> {
    let args: GetMessagesArgs = parse(args)?;
    if args.policy.is_some_and(|p| p > 2) {
        return Err(ArgError("unknown policy".into()));
    }
    let c = &args.conversation;
    code(context.engine.load_messages(
        c.key(),
        args.sent_time,
        args.order,
        args.count,
        c.event_id.clone(),
    ))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GetMessageByIdArgs {
    message_id: i64,
}

fn get_message_by_id(context: &Context<'_>, args: Value) -> Result<Outcome, ArgError> {
    let args: GetMessageByIdArgs = parse(args)?;
    let lookup = context.engine.get_message_by_id(args.message_id);
    Ok(Outcome::Later(Box::pin(async move {
        match lookup.await {
            Ok(message) => json!({ "code": 0, "value": message }),
            Err(code) => json!({ "code": code }),
        }
    })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GetConversationsArgs {
    conversation_types: Vec<u32>,
    #[serde(default)]
    channel_id: Option<String>,
    start_time: i64,
    count: u32,
    #[serde(default)]
    event_id: EventId,
}

fn get_conversations(context: &Context<'_>, args: Value) -> Result<Outcome, ArgError> {
    let args: GetConversationsArgs = parse(args)?;
    code(context.engine.load_conversations(
        args.conversation_types,
        args.channel_id.as_deref().unwrap_or(""),
        args.start_time,
        args.count,
        args.event_id,
    ))
}

fn get_conversation(context: &Context<'_>, args: Value) -> Result<Outcome, ArgError> {
    let c: ConversationArgs = parse(args)?;
    code(context.engine.load_conversation(c.key(), c.event_id))
}

fn get_unread_count(context: &Context<'_>, args: Value) -> Result<Outcome, ArgError> {
    let c: ConversationArgs = parse(args)?;
    code(context.engine.load_unread_count(c.key(), c.event_id))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TotalUnreadArgs {
    #[serde(default)]
    channel_id: Option<String>,
    #[serde(default)]
    event_id: EventId,
}

fn get_total_unread_count(context: &Context<'_>, args: Value) -> Result<Outcome, ArgError> {
    let args: TotalUnreadArgs = parse(args)?;
    code(
        context
            .engine
            .load_total_unread_count(args.channel_id.as_deref().unwrap_or(""), args.event_id),
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ClearUnreadArgs {
    #[serde(flatten)]
    conversation: ConversationArgs,
    timestamp: i64,
}

fn clear_unread_count(context: &Context<'_>, args: Value) -> Result<Outcome, ArgError> {
    let args: ClearUnreadArgs = parse(args)?;
    let c = args.conversation;
    code(
        context
            .engine
            .clear_unread_count(c.key(), args.timestamp, c.event_id),
    )
}

fn remove_conversation(context: &Context<'_>, args: Value) -> Result<Outcome, ArgError> {
    let c: ConversationArgs = parse(args)?;
    code(context.engine.remove_conversation(c.key(), c.event_id))
}

fn get_message_count(context: &Context<'_>, args: Value) -> Result<Outcome, ArgError> {
    let c: ConversationArgs = parse(args)?;
    code(context.engine.load_message_count(c.key(), c.event_id))
}

fn get_first_unread_message(context: &Context<'_>, args: Value) -> Result<Outcome, ArgError> {
    let c: ConversationArgs = parse(args)?;
    code(
        context
            .engine
            .load_first_unread_message(c.key(), c.event_id),
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UnreadByTypesArgs {
    conversation_types: Vec<u32>,
    #[serde(default)]
    channel_id: Option<String>,
    contain: bool,
    #[serde(default)]
    event_id: EventId,
}

fn get_unread_count_by_conversation_types(
    context: &Context<'_>,
    args: Value,
) -> Result<Outcome, ArgError> {
    let args: UnreadByTypesArgs = parse(args)?;
    code(context.engine.load_unread_count_by_conversation_types(
        args.conversation_types,
        args.channel_id.as_deref().unwrap_or(""),
        args.contain,
        args.event_id,
    ))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SaveDraftArgs {
    #[serde(flatten)]
    conversation: ConversationArgs,
    draft: String,
}

fn save_draft_message(context: &Context<'_>, args: Value) -> Result<Outcome, ArgError> {
    let args: SaveDraftArgs = parse(args)?;
    let c = args.conversation;
    code(
        context
            .engine
            .save_draft_message(c.key(), &args.draft, c.event_id),
    )
}

fn clear_draft_message(context: &Context<'_>, args: Value) -> Result<Outcome, ArgError> {
    let c: ConversationArgs = parse(args)?;
    code(context.engine.clear_draft_message(c.key(), c.event_id))
}

fn get_draft_message(context: &Context<'_>, args: Value) -> Result<Outcome, ArgError> {
    let c: ConversationArgs = parse(args)?;
    code(context.engine.load_draft_message(c.key(), c.event_id))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SearchMessagesArgs {
    #[serde(flatten)]
    conversation: ConversationArgs,
    keyword: String,
    start_time: i64,
    count: u32,
}

fn search_messages(context: &Context<'_>, args: Value) -> Result<Outcome, ArgError> {
    let args: SearchMessagesArgs = parse(args)?;
    let c = args.conversation;
    code(context.engine.search_messages(
        c.key(),
        &args.keyword,
        args.start_time,
        args.count,
        c.event_id,
    ))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TopStatusArgs {
    #[serde(flatten)]
    conversation: ConversationArgs,
    top: bool,
}

fn change_conversation_top_status(context: &Context<'_>, args: Value) -> Result<Outcome, ArgError> {
    let args: TopStatusArgs = parse(args)?;
    let c = args.conversation;
    code(
        context
            .engine
            .change_conversation_top_status(c.key(), args.top, c.event_id),
    )
}

fn get_conversation_top_status(context: &Context<'_>, args: Value) -> Result<Outcome, ArgError> {
    let c: ConversationArgs = parse(args)?;
    code(
        context
            .engine
            .load_conversation_top_status(c.key(), c.event_id),
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NotificationLevelArgs {
    #[serde(flatten)]
    conversation: ConversationArgs,
    level: u32,
}

fn change_conversation_notification_level(
    context: &Context<'_>,
    args: Value,
) -> Result<Outcome, ArgError> {
    let args: NotificationLevelArgs = parse(args)?;
    let c = args.conversation;
    code(
        context
            .engine
            .change_conversation_notification_level(c.key(), args.level, c.event_id),
    )
}

fn get_conversation_notification_level(
    context: &Context<'_>,
    args: Value,
) -> Result<Outcome, ArgError> {
    let c: ConversationArgs = parse(args)?;
    code(
        context
            .engine
            .load_conversation_notification_level(c.key(), c.event_id),
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TypesArgs {
    conversation_types: Vec<u32>,
    #[serde(default)]
    channel_id: Option<String>,
    #[serde(default)]
    event_id: EventId,
}

fn get_top_conversations(context: &Context<'_>, args: Value) -> Result<Outcome, ArgError> {
    let args: TypesArgs = parse(args)?;
    code(context.engine.load_top_conversations(
        args.conversation_types,
        args.channel_id.as_deref().unwrap_or(""),
        args.event_id,
    ))
}

fn get_blocked_conversations(context: &Context<'_>, args: Value) -> Result<Outcome, ArgError> {
    let args: TypesArgs = parse(args)?;
    code(context.engine.load_blocked_conversations(
        args.conversation_types,
        args.channel_id.as_deref().unwrap_or(""),
        args.event_id,
    ))
}
