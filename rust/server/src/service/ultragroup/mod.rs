//! Ultra groups (R210–R244): the directory of groups, channels and members (who may read and
//! send where, who is online), the channel streams and their delivery, and what the Server
//! API does with both.

pub(crate) mod delivery;
pub(crate) mod directory;
pub(crate) mod directory_apply;
mod directory_changes;
pub(crate) mod directory_sync;
pub(crate) mod mentions;
pub(crate) mod notify;
pub(crate) mod push;
pub(crate) mod server_history;
pub(crate) mod states;
pub(crate) mod stream;
pub(crate) mod streams;
pub(crate) mod typing;

pub(crate) use directory::{
    ChannelAccess, ChannelInfo, ChannelSummary, Directory, DirectoryLimits,
};
pub(crate) use directory_changes::Affected;

/// Offline push of a stored channel message to the members without a connection
/// (`directed`: only those users).
pub(crate) use push::after_send;

/// The public channel every ultra group has (R213). An empty channel id in a request means it.
pub(crate) const DEFAULT_CHANNEL: &str = "RCDefault";

/// The channel a request names: `channel_id`, or [`DEFAULT_CHANNEL`] for "".
pub(crate) fn channel_or_default(channel_id: &str) -> &str {
    if channel_id.is_empty() {
        DEFAULT_CHANNEL
    } else {
        channel_id
    }
}
