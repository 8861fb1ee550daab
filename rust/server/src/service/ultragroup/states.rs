//! Channel states for a user's devices (`UltraGroupSyncRequest`): per channel they can
//! read, the stream's head, the newest message they can see, their unread and mention
//! counts (capped), their read time and clear time, and the default levels.

use super::stream::refused;
use crate::model::ENTRY_OVERHEAD;
use crate::service::ServiceError;
use crate::state::Shared;
use crate::store::ultragroup_stream_records::{UgChangesPage, UgChangesQuery, UgHistoryQuery};
use crate::util::now_ms;
use rcim_proto::v1::{UltraGroupChannelState, UltraGroupStates};

/// Channels whose state one store read computes at most.
const CHUNK: usize = 50;
/// Channels of the first store read of a page, before any state size is known.
const FIRST_CHUNK: usize = 8;
/// Bytes of states one page holds at most: half a frame.
const PAGE_BYTES: usize = crate::model::SYNC_BYTES / 2;

const DAY_MS: i64 = 86_400_000;

/// The oldest sent time the retention keeps now (0: everything).
pub(crate) fn retention_since(shared: &Shared) -> i64 {
    match shared.config.ultragroup.retention_days {
        0 => 0,
        d => now_ms() - i64::from(d) * DAY_MS,
    }
}

/// A page of `user`'s channel states after (`after_group`, `after_channel`), in (group,
/// channel) order; `only_group` non-empty: that group's channels only (a resync of it).
/// Each store read is sized to what is left of the page by the largest state seen, so
/// states computed and not sent stay few.
pub(crate) async fn states(
    shared: &Shared,
    user: &str,
    after_group: &str,
    after_channel: &str,
    only_group: &str,
) -> Result<UltraGroupStates, ServiceError> {
    let mut all = shared.ultragroups.channels_of(user);
    if !only_group.is_empty() {
        all.retain(|c| c.group_id == only_group);
    }
    let start = all.partition_point(|c| {
        (c.group_id.as_str(), c.channel_id.as_str()) <= (after_group, after_channel)
    });
    let mut rest = &all[start..];
    let since = retention_since(shared);
    let mut page = UltraGroupStates::default();
    let (mut bytes, mut largest) = (0, 0);
    while !rest.is_empty() {
        let want = match largest {
            0 => FIRST_CHUNK,
            l => (PAGE_BYTES.saturating_sub(bytes) / l + 1).min(CHUNK),
        };
        let (chunk, tail) = rest.split_at(want.min(rest.len()));
        rest = tail;
        let keys = chunk
            .iter()
            .map(|c| (c.group_id.clone(), c.channel_id.clone()))
            .collect();
        let read = shared.store.ug_states(user.to_owned(), keys, since).await?;
        for (info, s) in chunk.iter().zip(read) {
            let state = UltraGroupChannelState {
                read_seq: s.read_seq,
                group_id: s.group_id,
                channel_id: s.channel_id,
                private: info.private,
                head_seq: s.head_seq,
                last_message: s.last_message,
                unread_count: s.unread,
                unread_mention_count: s.unread_mentions,
                read_time: s.read_time,
                cleared_before: s.cleared_before,
                group_default_level: info.group_default_level,
                channel_default_level: info.channel_default_level,
            };
            let size = prost::Message::encoded_len(&state) + ENTRY_OVERHEAD;
            largest = largest.max(size);
            if bytes + size > PAGE_BYTES && !page.channels.is_empty() {
                page.more = true;
                return Ok(page);
            }
            bytes += size;
            page.channels.push(state);
        }
    }
    Ok(page)
}

/// Changes of a channel after `after_seq` for a member who can read it (24410 …).
pub(crate) async fn changes(
    shared: &Shared,
    user: &str,
    group_id: &str,
    channel_id: &str,
    after_seq: u64,
    count: u32,
    max_conv_seq: u64,
) -> Result<UgChangesPage, ServiceError> {
    if !(1..=100).contains(&count) {
        return Err(ServiceError::Invalid("count out of 1..=100".into()));
    }
    super::stream::check_group(group_id)?;
    let channel = super::stream::check_channel(channel_id)?;
    shared
        .ultragroups
        .access(group_id, &channel, user)
        .map_err(refused)?;
    let q = UgChangesQuery {
        group_id: group_id.to_owned(),
        channel_id: channel,
        user_id: user.to_owned(),
        after_seq,
        count,
        since: retention_since(shared),
        max_conv_seq,
    };
    Ok(shared.store.ug_changes(q).await?)
}

/// A history page of a channel (`HistoryRequest` with conversation type 5).
pub(crate) async fn history(
    shared: &Shared,
    user: &str,
    r: rcim_proto::v1::HistoryRequest,
) -> Result<crate::model::HistorySlice, ServiceError> {
    if !(1..=100).contains(&r.count) || r.order > 1 {
        return Err(ServiceError::Invalid("bad count or order".into()));
    }
    super::stream::check_group(&r.target_id)?;
    let channel = super::stream::check_channel(&r.channel_id)?;
    shared
        .ultragroups
        .access(&r.target_id, &channel, user)
        .map_err(refused)?;
    let q = UgHistoryQuery {
        group_id: r.target_id,
        channel_id: channel,
        user_id: user.to_owned(),
        sent_time: r.sent_time,
        after: r.order == 1,
        count: r.count,
        since: retention_since(shared),
    };
    Ok(shared.store.ug_history(q).await?)
}
