//! The retention prune, in small steps: each step deletes at most `limit` rows per table
//! (with what only they referenced) inside one writer batch. The store runs steps until every
//! table is drained, so other writes interleave and no transaction grows with the backlog (a
//! week of inbox rows would otherwise be one long stall).
//!
//! A step is bounded by `limit`, not by the size of the tables:
//! * every statement finds its rows through an index whose first column is the time it
//!   compares, restricted to the rows the statement deletes where the table holds other rows
//!   too (the partial indexes of migration 16 on `messages` split offline messages from the
//!   history; `history_cleared` has its own index on `before_time`), so it reads only rows it
//!   deletes;
//! * a [`PruneRun`] remembers which tables are drained (a statement that deleted fewer than
//!   `limit` rows), and later steps of the run skip them;
//! * ultra-group streams are indexed per channel, so a step visits at most `limit` channels,
//!   from the channel where the previous step stopped, and deletes at most `limit` messages
//!   over all of them.

use super::db::{params, Db};
use crate::model::PruneCutoffs;
use std::fmt;

/// What a prune run deletes, in the order a step visits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    Inbox,
    Messages,
    Dedupe,
    Requests,
    Receipts,
    History,
    Hidden,
    Cleared,
    Chatroom,
    UltraGroup,
}

const TABLES: [Table; 10] = [
    Table::Inbox,
    Table::Messages,
    Table::Dedupe,
    Table::Requests,
    Table::Receipts,
    Table::History,
    Table::Hidden,
    Table::Cleared,
    Table::Chatroom,
    Table::UltraGroup,
];

impl Table {
    /// The cutoff the table's rows are compared with (`None`: kept forever).
    fn cutoff(self, c: &PruneCutoffs) -> Option<i64> {
        match self {
            Table::Inbox | Table::Messages | Table::Dedupe | Table::Requests => c.offline_before,
            Table::Receipts | Table::History | Table::Hidden | Table::Cleared => c.history_before,
            Table::Chatroom => c.chatroom_before,
            Table::UltraGroup => c.ultragroup_before,
        }
    }

    /// The statements deleting up to `?2` rows older than `?1`; the rows counted are the last
    /// statement's. Empty for ultra-groups ([`prune_ug_step`]).
    fn statements(self) -> &'static [&'static str] {
        match self {
            Table::Inbox => &[
                "DELETE FROM inbox WHERE (user_id, seq) IN (SELECT user_id, seq \
                FROM inbox WHERE created_at < ?1 LIMIT ?2)",
            ],
            // Index `messages_offline_sent`: the history messages are not in it.
            Table::Messages => &["DELETE FROM messages WHERE id IN (SELECT id FROM messages \
                WHERE sent_time < ?1 AND conv_seq = 0 LIMIT ?2)"],
            Table::Dedupe => &["DELETE FROM dedupe WHERE (sender_id, client_msg_id) IN \
                (SELECT sender_id, client_msg_id FROM dedupe WHERE created_at < ?1 LIMIT ?2)"],
            Table::Requests => &["DELETE FROM request_log WHERE (user_id, request_id) IN \
                (SELECT user_id, request_id FROM request_log WHERE created_at < ?1 LIMIT ?2)"],
            // The receipts of messages the cloud history no longer keeps: the responses of
            // the requests about to go first (the same rows: same query, same index order).
            Table::Receipts => &[
                "DELETE FROM receipt_responses WHERE uid IN (SELECT uid FROM receipt_requests \
                 WHERE sent_time < ?1 LIMIT ?2)",
                "DELETE FROM receipt_requests WHERE uid IN (SELECT uid FROM receipt_requests \
                 WHERE sent_time < ?1 LIMIT ?2)",
            ],
            // Index `messages_history_sent`: the offline messages are not in it.
            Table::History => &["DELETE FROM messages WHERE id IN (SELECT id FROM messages \
                WHERE sent_time < ?1 AND conv_seq > 0 LIMIT ?2)"],
            // A message hidden before the cutoff was sent before it too: it is gone.
            Table::Hidden => &["DELETE FROM hidden_messages WHERE (user_id, msg_id) IN \
                (SELECT user_id, msg_id FROM hidden_messages WHERE created_at < ?1 LIMIT ?2)"],
            Table::Cleared => &["DELETE FROM history_cleared WHERE (user_id, conv_key) IN \
                (SELECT user_id, conv_key FROM history_cleared WHERE before_time < ?1 \
                LIMIT ?2)"],
            Table::Chatroom => &[
                "DELETE FROM chatroom_messages WHERE (room_id, sent_time, uid) \
                IN (SELECT room_id, sent_time, uid FROM chatroom_messages WHERE sent_time < ?1 \
                LIMIT ?2)",
            ],
            Table::UltraGroup => &[],
        }
    }
}

/// A prune run across its steps: the cutoffs, the tables already drained, and the
/// ultra-group channel the next step starts at.
#[derive(Debug, Clone)]
pub(crate) struct PruneRun {
    cutoffs: PruneCutoffs,
    /// Per [`TABLES`] entry: nothing more to delete in this run (or a retention of forever).
    done: [bool; TABLES.len()],
    /// `(group_id, channel_id)` of the first channel the next ultra-group step visits
    /// (`None`: the first channel).
    ug_from: Option<(String, String)>,
}

impl PruneRun {
    /// A run deleting what `cutoffs` reach.
    pub(crate) fn new(cutoffs: PruneCutoffs) -> Self {
        Self {
            cutoffs,
            done: TABLES.map(|t| t.cutoff(&cutoffs).is_none()),
            ug_from: None,
        }
    }

    /// Every table is drained.
    pub(crate) fn finished(&self) -> bool {
        self.done.iter().all(|&d| d)
    }
}

/// Rows deleted by one step, per table (for the log).
#[derive(Default)]
pub(crate) struct Pruned {
    rows: [usize; TABLES.len()],
}

impl Pruned {
    pub(crate) fn total(&self) -> usize {
        self.rows.iter().sum()
    }
}

impl fmt::Debug for Pruned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let nonzero = TABLES.iter().zip(self.rows).filter(|(_, n)| *n > 0);
        f.debug_map().entries(nonzero).finish()
    }
}

/// One prune step of `run`: deletes up to `limit` rows of each table not yet drained, and
/// marks drained the tables that had fewer.
pub(crate) fn prune_step(c: &Db, run: &mut PruneRun, limit: u32) -> anyhow::Result<Pruned> {
    let limit = limit.max(1);
    let mut p = Pruned::default();
    for (i, table) in TABLES.into_iter().enumerate() {
        let Some(before) = table.cutoff(&run.cutoffs).filter(|_| !run.done[i]) else {
            continue;
        };
        let deleted = if table == Table::UltraGroup {
            let (deleted, from) = prune_ug_step(c, before, limit, run.ug_from.take())?;
            run.done[i] = from.is_none();
            run.ug_from = from;
            deleted
        } else {
            let mut deleted = 0;
            for sql in table.statements() {
                deleted = c.prepare_cached(sql)?.execute(params![before, limit])?;
            }
            run.done[i] = deleted < limit as usize;
            deleted
        };
        p.rows[i] = deleted;
    }
    if p.total() > 0 {
        tracing::debug!(?p, "pruned expired entries");
    }
    Ok(p)
}

/// Deletes up to `limit` channel messages sent before `before`, with their directed readers
/// and mentions, visiting at most `limit` channels from `from` on (in key order); channel
/// counters stay. Returns how many messages, and the channel the next step starts at (`None`:
/// every channel is done).
fn prune_ug_step(
    c: &Db,
    before: i64,
    limit: u32,
    from: Option<(String, String)>,
) -> anyhow::Result<(usize, Option<(String, String)>)> {
    // One more channel than visited: where the next step starts if this one stops there.
    // Every text is >= "": no `from` starts at the first channel.
    let (g, ch) = from.unwrap_or_default();
    let channels: Vec<(String, String)> = c
        .prepare_cached(
            "SELECT group_id, channel_id FROM ug_stream_heads \
             WHERE (group_id, channel_id) >= (?1, ?2) ORDER BY group_id, channel_id LIMIT ?3",
        )?
        .query_map(params![g, ch, limit.saturating_add(1)], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<Result<_, _>>()?;
    const BATCH: &str = "SELECT id FROM ug_messages WHERE group_id = ?1 AND channel_id = ?2 \
                         AND sent_time < ?3 ORDER BY sent_time LIMIT ?4";
    let mut budget = limit as usize;
    for (i, channel) in channels.into_iter().enumerate() {
        if i == limit as usize {
            return Ok((limit as usize - budget, Some(channel)));
        }
        // Per channel, so the (group, channel, sent_time) index serves the deletes.
        let args = params![channel.0, channel.1, before, budget];
        for sql in [
            format!("DELETE FROM ug_directed WHERE msg_id IN ({BATCH})"),
            format!("DELETE FROM ug_mentions WHERE msg_id IN ({BATCH})"),
        ] {
            c.prepare_cached(&sql)?.execute(args)?;
        }
        let deleted = c
            .prepare_cached(&format!("DELETE FROM ug_messages WHERE id IN ({BATCH})"))?
            .execute(args)?;
        budget -= deleted;
        if budget == 0 {
            // This channel may have more: the next step starts with it.
            return Ok((limit as usize, Some(channel)));
        }
    }
    Ok((limit as usize - budget, None))
}

#[cfg(test)]
mod tests {
    use super::super::schema::{migrate, open_conn, DB_FILE};
    use super::*;

    fn count(c: &Db, table: &str) -> i64 {
        c.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }

    fn db() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let mut c = open_conn(&dir.path().join(DB_FILE)).unwrap();
        migrate(&mut c).unwrap();
        (dir, c)
    }

    /// Runs steps of `limit` rows until the run is finished, as the store does; returns the
    /// rows deleted per step.
    fn run_to_end(c: &Db, cutoffs: PruneCutoffs, limit: u32) -> Vec<usize> {
        let mut run = PruneRun::new(cutoffs);
        let mut steps = Vec::new();
        while !run.finished() {
            steps.push(prune_step(c, &mut run, limit).unwrap().total());
            assert!(steps.len() < 100, "the run does not end: {run:?}");
        }
        steps
    }

    fn message(c: &Db, uid: &str, sent_time: i64, conv_seq: i64) {
        c.execute(
            "INSERT INTO messages (uid, conversation_type, to_id, channel_id, sender_id, \
             object_name, content, sent_time, client_msg_id, persisted, counted, push_content, \
             push_data, conv_key, conv_seq) VALUES (?1, 1, 'b', '', 'a', 'RC:TxtMsg', '{}', ?2, \
             ?1, 1, 1, '', '', 'k', ?3)",
            params![uid, sent_time, conv_seq],
        )
        .unwrap();
    }

    fn ug_message(c: &Db, channel: &str, seq: i64, sent_time: i64) {
        c.execute(
            "INSERT INTO ug_messages (group_id, channel_id, uid, conv_seq, change_seq, \
             first_seq, sender_id, sent_time, counted, directed, mention, recalled, message, \
             expansion) VALUES ('g', ?1, ?1 || '-' || ?2, ?2, ?2, ?2, 'a', ?3, 1, 0, 0, 0, x'', \
             '')",
            params![channel, seq, sent_time],
        )
        .unwrap();
        c.execute(
            "INSERT INTO ug_mentions (msg_id, user_id) VALUES (last_insert_rowid(), 'u')",
            [],
        )
        .unwrap();
    }

    fn uids(c: &Db, table: &str) -> Vec<String> {
        let mut stmt = c
            .prepare(&format!("SELECT uid FROM {table} ORDER BY uid"))
            .unwrap();
        let rows = stmt.query_map([], |r| r.get(0)).unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    }

    /// A backlog larger than a step goes in several steps of at most `limit` rows; rows newer
    /// than the cutoff stay, and the run knows when the table is drained.
    #[test]
    fn a_backlog_goes_in_bounded_steps() {
        let (_dir, c) = db();
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
        assert_eq!(run_to_end(&c, cutoffs, 10), vec![10, 10, 3]);
        assert_eq!(count(&c, "inbox"), 2);
    }

    /// Every kind of row over several steps: each table loses exactly its rows older than its
    /// cutoff (offline messages by the offline cutoff, history messages by the history one,
    /// ultra-group messages of every channel with their mentions), and a drained table is not
    /// visited again: once the small tables are done, a step deletes only from the big one.
    #[test]
    fn a_run_over_many_steps_deletes_exactly_the_expired_rows() {
        let (_dir, c) = db();
        // Offline messages at 100 (expired) and 900 (kept); history messages at 100 and 300
        // (expired by the history cutoff of 400) and 900 (kept).
        for i in 0..7 {
            message(&c, &format!("off-old-{i}"), 100 + i, 0);
        }
        message(&c, "off-new", 900, 0);
        for i in 0..3 {
            message(&c, &format!("hist-old-{i}"), 300 + i, i + 1);
        }
        message(&c, "hist-mid", 450, 10);
        message(&c, "hist-new", 900, 11);
        for (user, time) in [("u1", 100), ("u2", 350), ("u3", 800)] {
            c.execute(
                "INSERT INTO history_cleared (user_id, conv_key, before_time) VALUES (?1, 'k', ?2)",
                params![user, time],
            )
            .unwrap();
        }
        // Five channels (more than a step visits), each with two expired messages and one kept.
        for ch in ["c1", "c2", "c3", "c4", "c5"] {
            c.execute(
                "INSERT INTO ug_stream_heads (group_id, channel_id, conv_head, change_head, \
                 last_sent) VALUES ('g', ?1, 3, 3, 900)",
                params![ch],
            )
            .unwrap();
            ug_message(&c, ch, 1, 100);
            ug_message(&c, ch, 2, 200);
            ug_message(&c, ch, 3, 900);
        }
        let cutoffs = PruneCutoffs {
            offline_before: Some(500),
            history_before: Some(400),
            chatroom_before: None,
            ultragroup_before: Some(500),
        };

        let mut run = PruneRun::new(cutoffs);
        let first = prune_step(&c, &mut run, 2).unwrap();
        // 2 offline messages, 2 history messages, 2 clear records (1 left: more may remain), and
        // the 2 messages of channel c1.
        assert_eq!(first.total(), 8, "{first:?}");
        assert!(!run.finished());
        let mut steps = 1;
        while !run.finished() {
            prune_step(&c, &mut run, 2).unwrap();
            steps += 1;
            assert!(steps < 50, "{run:?}");
        }

        let mut kept = vec!["hist-mid", "hist-new", "off-new"];
        kept.sort_unstable();
        assert_eq!(uids(&c, "messages"), kept);
        let cleared: Vec<String> = c
            .prepare("SELECT user_id FROM history_cleared ORDER BY user_id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(cleared, vec!["u3"]);
        assert_eq!(
            uids(&c, "ug_messages"),
            vec!["c1-3", "c2-3", "c3-3", "c4-3", "c5-3"]
        );
        assert_eq!(
            count(&c, "ug_mentions"),
            5,
            "mentions go with their messages"
        );
        assert_eq!(count(&c, "ug_stream_heads"), 5, "channel counters stay");
        // 7 offline messages at 2 a step: 4 steps; the 10 channel messages at 2 a step: at
        // least 5. Not one step per table per channel.
        assert!((5..=7).contains(&steps), "{steps} steps");
    }

    /// A drained table is skipped by later steps of the run: rows that appear in it after it
    /// drained are left for the next run.
    #[test]
    fn a_drained_table_is_not_visited_again_in_the_run() {
        let (_dir, c) = db();
        let insert = |seq: i64| {
            c.execute(
                "INSERT INTO inbox (user_id, seq, msg_id, created_at) VALUES ('u', ?1, 0, 100)",
                params![seq],
            )
            .unwrap();
        };
        insert(1);
        for i in 0..5 {
            c.execute(
                "INSERT INTO dedupe (sender_id, client_msg_id, uid, sent_time, created_at) \
                 VALUES ('a', ?1, ?1, 100, 100)",
                params![i.to_string()],
            )
            .unwrap();
        }
        let cutoffs = PruneCutoffs {
            offline_before: Some(500),
            ..PruneCutoffs::default()
        };
        let mut run = PruneRun::new(cutoffs);
        assert_eq!(prune_step(&c, &mut run, 2).unwrap().total(), 3);
        insert(2);
        while !run.finished() {
            prune_step(&c, &mut run, 2).unwrap();
        }
        assert_eq!((count(&c, "inbox"), count(&c, "dedupe")), (1, 0));
        assert_eq!(run_to_end(&c, cutoffs, 2), vec![1]);
        assert_eq!(count(&c, "inbox"), 0);
    }

    /// Each prune statement reads its rows through an index that holds only rows of its
    /// kind, so a step does not skip over rows it keeps.
    #[test]
    fn prune_statements_use_their_indexes() {
        let (_dir, c) = db();
        let plan = |sql: &str| -> String {
            let mut stmt = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            let rows = stmt
                .query_map(params![0, 1], |r| r.get::<_, String>(3))
                .unwrap();
            rows.collect::<Result<Vec<_>, _>>().unwrap().join("; ")
        };
        for (table, index) in [
            (Table::Messages, "messages_offline_sent"),
            (Table::History, "messages_history_sent"),
            (Table::Cleared, "history_cleared_before"),
        ] {
            let p = plan(table.statements()[0]);
            // `USING INDEX i (...)` or `USING COVERING INDEX i (...)`.
            assert!(p.contains(&format!("INDEX {index} (")), "{table:?}: {p}");
        }
    }
}
