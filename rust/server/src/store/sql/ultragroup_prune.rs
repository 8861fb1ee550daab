//! Deleting ultra-group channel streams with their channel or group, and a member's read state
//! when they quit (the retention prune of the streams is in [`super::prune`]).

use super::db::{params, Db};

/// Deletes the stream of channel `channel` of `group` (`None`: of all its channels) with
/// every read position and clear time in it, so an id created again shows nothing of the old
/// one: in the transaction of the directory change that deletes the channel or dismisses the
/// group. The channel's counters stay (one small row): a channel created again continues its
/// sequences, so a device that followed the old one keeps a cursor that stays valid and
/// history intervals that never collide with the new channel's.
pub(crate) fn delete_ug_streams(c: &Db, group: &str, channel: Option<&str>) -> anyhow::Result<()> {
    let scope = match channel {
        Some(_) => "group_id = ?1 AND channel_id = ?2",
        None => "group_id = ?1 AND CAST(?2 AS TEXT) IS NULL",
    };
    let statements = [
        format!(
            "DELETE FROM ug_directed WHERE msg_id IN (SELECT id FROM ug_messages WHERE {scope})"
        ),
        format!(
            "DELETE FROM ug_mentions WHERE msg_id IN (SELECT id FROM ug_messages WHERE {scope})"
        ),
        format!("DELETE FROM ug_messages WHERE {scope}"),
        format!("DELETE FROM ug_user_channels WHERE {scope}"),
    ];
    for sql in statements {
        c.prepare_cached(&sql)?.execute(params![group, channel])?;
    }
    Ok(())
}

/// Forgets `user`'s read positions and clear times in `group` (they quit it).
pub(crate) fn forget_ug_member(c: &Db, group: &str, user: &str) -> anyhow::Result<()> {
    c.prepare_cached("DELETE FROM ug_user_channels WHERE user_id = ?1 AND group_id = ?2")?
        .execute(params![user, group])?;
    Ok(())
}
