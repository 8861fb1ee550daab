//! The retention prune of the ultra-group channel streams (`--ultragroup-retention-days`).

use rusqlite::{params, Connection};

/// Deletes the channel messages sent before `before` (ms), with their directed readers and
/// mentions; channel counters stay. Returns how many messages.
pub(crate) fn prune_ug_messages(c: &Connection, before: i64) -> anyhow::Result<usize> {
    let channels: Vec<(String, String)> = {
        let mut stmt = c.prepare("SELECT group_id, channel_id FROM ug_stream_heads")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    let mut n = 0;
    for (g, ch) in channels {
        // Per channel, so the (group, channel, sent_time) index serves the deletes.
        c.prepare_cached(
            "DELETE FROM ug_directed WHERE msg_id IN (SELECT id FROM ug_messages \
             WHERE group_id = ?1 AND channel_id = ?2 AND sent_time < ?3)",
        )?
        .execute(params![g, ch, before])?;
        c.prepare_cached(
            "DELETE FROM ug_mentions WHERE msg_id IN (SELECT id FROM ug_messages \
             WHERE group_id = ?1 AND channel_id = ?2 AND sent_time < ?3)",
        )?
        .execute(params![g, ch, before])?;
        n += c
            .prepare_cached(
                "DELETE FROM ug_messages WHERE group_id = ?1 AND channel_id = ?2 \
                 AND sent_time < ?3",
            )?
            .execute(params![g, ch, before])?;
    }
    Ok(n)
}
