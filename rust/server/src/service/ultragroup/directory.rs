//! The ultra-group directory: groups, their channels (public or private, with their listed
//! members), members, mutes and default notification levels, kept in memory for the checks of
//! every send and read, and which members are online (for delivery).

use rcim_proto::codes;

/// What a member may do in a channel they can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ChannelAccess {
    /// The channel is private (the member is listed in it).
    pub(crate) private: bool,
}

/// A channel a user can read, for the sync states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ChannelInfo {
    pub(crate) group_id: String,
    pub(crate) channel_id: String,
    pub(crate) private: bool,
    /// Default notification levels (`TypeNotificationLevel` numbering; NONE 1 = not set).
    pub(crate) group_default_level: u32,
    pub(crate) channel_default_level: u32,
}

/// Groups, channels, members and presence of the ultra groups this node serves.
#[derive(Default)]
pub(crate) struct Directory {}

impl Directory {
    /// May `user` read (`channel_id` already defaulted) in `group_id`? 24410 no such group,
    /// 24406 not a member, 24414 no such channel, 24416 a private channel `user` is not in.
    pub(crate) fn access(
        &self,
        _group_id: &str,
        _channel_id: &str,
        _user: &str,
    ) -> Result<ChannelAccess, u32> {
        Err(codes::ULTRA_GROUP_NOT_EXIST)
    }

    /// [`Self::access`], then 24408 when `user` is muted there.
    pub(crate) fn check_send(
        &self,
        group_id: &str,
        channel_id: &str,
        user: &str,
    ) -> Result<ChannelAccess, u32> {
        self.access(group_id, channel_id, user)
    }

    /// Records that `user` has (`true`) or no longer has (`false`) a connection on this node.
    pub(crate) fn set_online(&self, _user: &str, _online: bool) {}

    /// The online members who can read the channel.
    pub(crate) fn online_readers(&self, _group_id: &str, _channel_id: &str) -> Vec<String> {
        Vec::new()
    }

    /// The channels `user` can read, ordered by (group, channel).
    pub(crate) fn channels_of(&self, _user: &str) -> Vec<ChannelInfo> {
        Vec::new()
    }
}
