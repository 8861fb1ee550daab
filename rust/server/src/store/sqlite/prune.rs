//! The retention prune, in small steps: each step deletes at most `limit` rows per table
//! (with what only they referenced) inside one writer batch, and says whether rows remain.
//! The store runs steps until none remain, so other writes interleave and no transaction
//! grows with the backlog (a week of inbox rows would otherwise be one long stall).

use crate::model::PruneCutoffs;
use rusqlite::{params, Connection};

/// Rows deleted by one step, per kind (for the log).
#[derive(Debug, Default)]
pub(crate) struct Pruned {
    inbox: usize,
    messages: usize,
    dedupe: usize,
    requests: usize,
    history: usize,
    hidden: usize,
    cleared: usize,
    receipts: usize,
    chatroom: usize,
    ultragroup: usize,
    /// Some table still had `limit` rows or more to delete.
    pub more: bool,
}

impl Pruned {
    pub(crate) fn total(&self) -> usize {
        self.inbox
            + self.messages
            + self.dedupe
            + self.requests
            + self.history
            + self.hidden
            + self.cleared
            + self.receipts
            + self.chatroom
            + self.ultragroup
    }
}

/// One prune step: deletes up to `limit` rows of each table the cutoffs reach. Every
/// statement selects its rows through an index on the time (or the primary key), so a step
/// costs about `limit` rows whatever the size of the tables.
pub(crate) fn prune_step(
    c: &Connection,
    cutoffs: PruneCutoffs,
    limit: u32,
) -> anyhow::Result<Pruned> {
    let limit = limit.max(1);
    let mut p = Pruned::default();
    let run = |sql: &str, before: i64| -> anyhow::Result<usize> {
        Ok(c.prepare_cached(sql)?.execute(params![before, limit])?)
    };
    if let Some(before) = cutoffs.offline_before {
        p.inbox = run(
            "DELETE FROM inbox WHERE (user_id, seq) IN (SELECT user_id, seq FROM inbox \
             WHERE created_at < ?1 LIMIT ?2)",
            before,
        )?;
        p.messages = run(
            "DELETE FROM messages WHERE id IN (SELECT id FROM messages \
             WHERE sent_time < ?1 AND conv_seq = 0 LIMIT ?2)",
            before,
        )?;
        p.dedupe = run(
            "DELETE FROM dedupe WHERE (sender_id, client_msg_id) IN (SELECT sender_id, \
             client_msg_id FROM dedupe WHERE created_at < ?1 LIMIT ?2)",
            before,
        )?;
        p.requests = run(
            "DELETE FROM request_log WHERE (user_id, request_id) IN (SELECT user_id, \
             request_id FROM request_log WHERE created_at < ?1 LIMIT ?2)",
            before,
        )?;
    }
    if let Some(before) = cutoffs.history_before {
        // The receipts of messages the cloud history no longer keeps: the responses of the
        // requests about to go first (the same rows: same query, same index order).
        run(
            "DELETE FROM receipt_responses WHERE uid IN (SELECT uid FROM receipt_requests \
             WHERE sent_time < ?1 LIMIT ?2)",
            before,
        )?;
        p.receipts = run(
            "DELETE FROM receipt_requests WHERE uid IN (SELECT uid FROM receipt_requests \
             WHERE sent_time < ?1 LIMIT ?2)",
            before,
        )?;
        p.history = run(
            "DELETE FROM messages WHERE id IN (SELECT id FROM messages \
             WHERE sent_time < ?1 AND conv_seq > 0 LIMIT ?2)",
            before,
        )?;
        // A message hidden before the cutoff was sent before it too: it is gone.
        p.hidden = run(
            "DELETE FROM hidden_messages WHERE (user_id, msg_id) IN (SELECT user_id, msg_id \
             FROM hidden_messages WHERE created_at < ?1 LIMIT ?2)",
            before,
        )?;
        p.cleared = run(
            "DELETE FROM history_cleared WHERE (user_id, conv_key) IN (SELECT user_id, \
             conv_key FROM history_cleared WHERE before_time < ?1 LIMIT ?2)",
            before,
        )?;
    }
    if let Some(before) = cutoffs.chatroom_before {
        p.chatroom = run(
            "DELETE FROM chatroom_messages WHERE (room_id, sent_time, uid) IN (SELECT room_id, \
             sent_time, uid FROM chatroom_messages WHERE sent_time < ?1 LIMIT ?2)",
            before,
        )?;
    }
    let mut ug_more = false;
    if let Some(before) = cutoffs.ultragroup_before {
        (p.ultragroup, ug_more) = prune_ug_step(c, before, limit)?;
    }
    let lim = limit as usize;
    p.more = ug_more
        || [
            p.inbox, p.messages, p.dedupe, p.requests, p.receipts, p.history, p.hidden, p.cleared,
            p.chatroom,
        ]
        .iter()
        .any(|&n| n >= lim);
    if p.total() > 0 {
        tracing::debug!(?p, "pruned expired entries");
    }
    Ok(p)
}

/// Deletes up to `limit` channel messages sent before `before` per channel, with their
/// directed readers and mentions; channel counters stay. Returns how many messages, and
/// whether a channel may have more.
fn prune_ug_step(c: &Connection, before: i64, limit: u32) -> anyhow::Result<(usize, bool)> {
    let channels: Vec<(String, String)> = {
        let mut stmt = c.prepare_cached("SELECT group_id, channel_id FROM ug_stream_heads")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    const BATCH: &str = "SELECT id FROM ug_messages WHERE group_id = ?1 AND channel_id = ?2 \
                         AND sent_time < ?3 ORDER BY sent_time LIMIT ?4";
    let (mut n, mut more) = (0, false);
    for (g, ch) in channels {
        // Per channel, so the (group, channel, sent_time) index serves the deletes.
        let args = params![g, ch, before, limit];
        c.prepare_cached(&format!(
            "DELETE FROM ug_directed WHERE msg_id IN ({BATCH})"
        ))?
        .execute(args)?;
        c.prepare_cached(&format!(
            "DELETE FROM ug_mentions WHERE msg_id IN ({BATCH})"
        ))?
        .execute(args)?;
        let deleted = c
            .prepare_cached(&format!("DELETE FROM ug_messages WHERE id IN ({BATCH})"))?
            .execute(args)?;
        more |= deleted >= limit as usize;
        n += deleted;
    }
    Ok((n, more))
}

#[cfg(test)]
mod tests {
    use super::super::schema::{migrate, open_conn, DB_FILE};
    use super::*;

    fn count(c: &Connection, table: &str) -> i64 {
        c.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }

    /// A backlog larger than a step goes in several steps of at most `limit` rows, each
    /// saying whether more remain; rows newer than the cutoff stay.
    #[test]
    fn a_backlog_goes_in_bounded_steps() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = open_conn(&dir.path().join(DB_FILE)).unwrap();
        migrate(&mut c).unwrap();
        for seq in 1..=25 {
            c.execute(
                "INSERT INTO inbox (user_id, seq, msg_id, created_at) VALUES ('u', ?1, 0, ?2)",
                params![seq, if seq <= 23 { 100 } else { 900 }],
            )
            .unwrap();
        }
        let cutoffs = PruneCutoffs {
            offline_before: Some(500),
            ..PruneCutoffs::default()
        };
        let mut steps = Vec::new();
        loop {
            let p = prune_step(&c, cutoffs, 10).unwrap();
            steps.push((p.inbox, p.more));
            if !p.more {
                break;
            }
        }
        assert_eq!(steps, vec![(10, true), (10, true), (3, false)]);
        assert_eq!(count(&c, "inbox"), 2);
    }
}
