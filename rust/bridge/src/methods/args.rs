//! Argument parts shared by several methods.

use rcim_core::ConversationKey;
use serde::{Deserialize, Deserializer, Serialize};

/// A conversation as the API passes it: `type`, `targetId`, `channelId` (null or absent = "").
/// Serialised back the same way: listeners echo it.
#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ConversationArgs {
    #[serde(rename = "type")]
    pub(crate) conversation_type: u32,
    pub(crate) target_id: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub(crate) channel_id: String,
}

impl ConversationArgs {
    /// The engine's key for it.
    pub(crate) fn key(&self) -> ConversationKey {
        ConversationKey::new(self.conversation_type, &self.target_id, &self.channel_id)
    }
}

/// Reads an optional string (`channelId: string | null`) as "" when null.
pub(crate) fn null_as_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// `conversationTypes` + `channelId` (lists of conversations, unread counts).
#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TypesArgs {
    pub(crate) conversation_types: Vec<u32>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub(crate) channel_id: String,
}
