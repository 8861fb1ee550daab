//! A channel's messages in a time window, for the Server API (`/ultragroup/hismsg/
//! query.json`): what the stream holds, seen by no particular member (nothing cleared, every
//! directed message), oldest first.

use crate::service::ServiceError;
use crate::state::Shared;
use crate::store::ultragroup_stream_records::UgHistoryQuery;
use rcim_proto::codes;
use rcim_proto::v1::Message;

/// Stream pages read per call at most (100 messages each): bounds the cost of a sparse
/// `from_user` filter.
const MAX_PAGES: usize = 20;

/// Up to `limit` messages of channel (`group_id`, `channel_id`) sent after `start` and at or
/// before `end` (ms), oldest first; of `from_user` only when given (within the first
/// [`MAX_PAGES`] × 100 messages of the window). 24410 / 24414 unknown group or channel.
pub(crate) async fn window(
    shared: &Shared,
    group_id: &str,
    channel_id: &str,
    (start, end): (i64, i64),
    from_user: Option<&str>,
    limit: usize,
) -> Result<Vec<Message>, ServiceError> {
    if shared
        .ultragroups
        .default_levels(group_id, channel_id)
        .is_none()
    {
        let code = if shared.ultragroups.exists(group_id) {
            codes::ULTRA_GROUP_CHANNEL_ID_NOT_EXIST
        } else {
            codes::ULTRA_GROUP_NOT_EXIST
        };
        return Err(ServiceError::rejected(
            code,
            format!("no channel {channel_id} in ultra group {group_id}"),
        ));
    }
    let mut out = Vec::new();
    let mut cursor = start;
    for _ in 0..MAX_PAGES {
        let q = UgHistoryQuery {
            group_id: group_id.to_owned(),
            channel_id: channel_id.to_owned(),
            user_id: String::new(),
            sent_time: cursor,
            after: true,
            count: 100,
            since: 0,
        };
        let page = shared.store.ug_history(q).await?;
        let Some(last) = page.messages.last() else {
            break;
        };
        cursor = last.sent_time;
        let more = page.has_more;
        for m in page.messages {
            if m.sent_time > end || out.len() >= limit {
                return Ok(out);
            }
            if from_user.is_none_or(|u| u == m.sender_id) {
                out.push(m);
            }
        }
        if !more {
            break;
        }
    }
    Ok(out)
}
