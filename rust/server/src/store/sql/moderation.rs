//! Moderation state (sensitive words, user bans, group gags; migration 9) and the two places
//! a send meets it inside the writer's transaction: the gag check and a blocked message.

use super::db::{params, Db, Optional};
use super::heads::HeadCache;
use super::inbox::{append_inbox, record_dedupe};
use crate::model::{
    ModerationOp, NewMessage, Push, Rejected, Restriction, SendOutcome, SensitiveWord,
};
use rcim_proto::v1::{inbox_entry, InboxEntry, MessageBlocked};
use std::sync::Arc;

use crate::model::FORBIDDEN_IN_GROUP;
/// `MessageBlocked.block_type` of the server's own word filter (CUSTOM).
const BLOCK_TYPE_CUSTOM: u32 = 2;

/// Applies one moderation change. Expired bans and gags are deleted on the way, so the tables
/// only grow with the restrictions in force.
pub(crate) fn apply_moderation(tx: &Db, op: ModerationOp, now: i64) -> anyhow::Result<()> {
    match op {
        ModerationOp::AddWord {
            word,
            max_words,
            over_limit_code,
        } => {
            let exists = tx
                .prepare_cached("SELECT 1 FROM sensitive_words WHERE word = ?1")?
                .query_row([&word.word], |_| Ok(()))
                .optional()?
                .is_some();
            if !exists {
                let count: i64 =
                    tx.query_row("SELECT COUNT(*) FROM sensitive_words", [], |r| r.get(0))?;
                if count as usize >= max_words {
                    return Err(Rejected::err(
                        over_limit_code,
                        format!("at most {max_words} sensitive words"),
                    ));
                }
            }
            // A word added again takes its new replacement (or becomes a blocking word).
            tx.prepare_cached(
                "INSERT INTO sensitive_words (word, replace_word, created_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT(word) DO UPDATE SET replace_word = excluded.replace_word",
            )?
            .execute(params![word.word, word.replace_word, now])?;
        }
        ModerationOp::DeleteWords(words) => {
            let mut stmt = tx.prepare_cached("DELETE FROM sensitive_words WHERE word = ?1")?;
            for w in words {
                stmt.execute([w])?;
            }
        }
        ModerationOp::Ban { user_ids, until } => {
            tx.prepare_cached("DELETE FROM user_bans WHERE until <= ?1")?
                .execute([now])?;
            let mut stmt = tx.prepare_cached(
                "INSERT INTO user_bans (user_id, until) VALUES (?1, ?2) \
                 ON CONFLICT(user_id) DO UPDATE SET until = excluded.until",
            )?;
            for u in user_ids {
                stmt.execute(params![u, until])?;
            }
        }
        ModerationOp::Unban(user_ids) => {
            let mut stmt = tx.prepare_cached("DELETE FROM user_bans WHERE user_id = ?1")?;
            for u in user_ids {
                stmt.execute([u])?;
            }
        }
        ModerationOp::Gag {
            group_id,
            user_ids,
            until,
        } => {
            tx.prepare_cached("DELETE FROM group_gags WHERE until <= ?1")?
                .execute([now])?;
            let mut stmt = tx.prepare_cached(
                "INSERT INTO group_gags (group_id, user_id, until, created_at) \
                 VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT(group_id, user_id) DO UPDATE SET until = excluded.until",
            )?;
            for u in user_ids {
                stmt.execute(params![group_id, u, until, now])?;
            }
        }
        ModerationOp::Ungag { group_id, user_ids } => {
            let mut stmt =
                tx.prepare_cached("DELETE FROM group_gags WHERE group_id = ?1 AND user_id = ?2")?;
            for u in user_ids {
                stmt.execute(params![group_id, u])?;
            }
        }
    }
    Ok(())
}

/// Every sensitive word, oldest first.
pub(crate) fn read_words(c: &Db) -> anyhow::Result<Vec<SensitiveWord>> {
    let mut stmt = c.prepare_cached(
        "SELECT word, replace_word FROM sensitive_words ORDER BY created_at, word",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(SensitiveWord {
            word: r.get(0)?,
            replace_word: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Bans in force at `now`: of `user_id` only, or all of them.
pub(crate) fn read_bans(
    c: &Db,
    user_id: Option<&str>,
    now: i64,
) -> anyhow::Result<Vec<Restriction>> {
    let mut stmt = c.prepare_cached(
        "SELECT user_id, until FROM user_bans WHERE until > ?1 \
         AND (CAST(?2 AS TEXT) IS NULL OR user_id = ?2) ORDER BY user_id",
    )?;
    let rows = stmt.query_map(params![now, user_id], restriction)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Gags in force at `now` in `group_id`: of `user_id` only, or all of them.
pub(crate) fn read_gags(
    c: &Db,
    group_id: &str,
    user_id: Option<&str>,
    now: i64,
) -> anyhow::Result<Vec<Restriction>> {
    let mut stmt = c.prepare_cached(
        "SELECT user_id, until FROM group_gags WHERE group_id = ?1 AND until > ?2 \
         AND (CAST(?3 AS TEXT) IS NULL OR user_id = ?3) ORDER BY user_id",
    )?;
    let rows = stmt.query_map(params![group_id, now, user_id], restriction)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn restriction(r: &super::db::Row<'_>) -> super::db::SqlResult<Restriction> {
    Ok(Restriction {
        user_id: r.get(0)?,
        until: r.get(1)?,
    })
}

/// Refuses a group send by a member gagged in the group (22408). Checked in the send's own
/// transaction, like membership, so a gag and the send cannot cross.
pub(crate) fn check_gag(tx: &Db, group_id: &str, sender: &str, now: i64) -> anyhow::Result<()> {
    if !read_gags(tx, group_id, Some(sender), now)?.is_empty() {
        return Err(Rejected::err(
            FORBIDDEN_IN_GROUP,
            format!("{sender} is gagged in group {group_id}"),
        ));
    }
    Ok(())
}

/// A blocked message (see [`NewMessage::blocked`]): records the uid and time it was given
/// under its client id (so a resend gets the same answer) and appends `MessageBlocked` to the
/// sender's inbox; nothing else is stored.
pub(crate) fn apply_blocked(
    tx: &Db,
    heads: &HeadCache,
    msg: &NewMessage,
    uid: String,
    sent_time: i64,
    now: i64,
) -> anyhow::Result<(SendOutcome, Vec<Push>)> {
    record_dedupe(tx, msg, &uid, sent_time, now)?;
    let body = inbox_entry::Body::MessageBlocked(MessageBlocked {
        conversation_type: msg.conversation_type,
        target_id: msg.to_id.clone(),
        channel_id: msg.channel_id.clone(),
        uid: uid.clone(),
        block_type: BLOCK_TYPE_CUSTOM,
        extra: String::new(),
        sent_time,
    });
    let event = prost::Message::encode_to_vec(&InboxEntry {
        seq: 0,
        body: Some(body.clone()),
    });
    let seq = append_inbox(tx, heads, &msg.sender_id, 0, Some(&event), now)?;
    let push = Push {
        user_id: msg.sender_id.clone(),
        seq,
        body: Arc::new(body),
    };
    let outcome = SendOutcome {
        uid,
        sent_time,
        conv_seq: 0,
        duplicate: false,
    };
    Ok((outcome, vec![push]))
}

#[cfg(test)]
mod tests {
    use super::super::schema::{migrate, open_conn, DB_FILE};
    use super::*;

    /// Bans and gags end by themselves; a later change deletes the expired rows.
    #[test]
    fn restrictions_expire() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = open_conn(&dir.path().join(DB_FILE)).unwrap();
        migrate(&mut c).unwrap();
        let now = 1_000_000;
        let ban = |users: &[&str], until| ModerationOp::Ban {
            user_ids: users.iter().map(|u| u.to_string()).collect(),
            until,
        };
        apply_moderation(&c, ban(&["a"], now + 60_000), now).unwrap();
        let gag = ModerationOp::Gag {
            group_id: "g".into(),
            user_ids: vec!["a".into(), "b".into()],
            until: now + 60_000,
        };
        apply_moderation(&c, gag, now).unwrap();
        let forever = ModerationOp::Gag {
            group_id: "g".into(),
            user_ids: vec!["c".into()],
            until: i64::MAX,
        };
        apply_moderation(&c, forever, now).unwrap();
        assert_eq!(read_bans(&c, Some("a"), now).unwrap().len(), 1);
        assert!(check_gag(&c, "g", "b", now).is_err());
        assert!(check_gag(&c, "h", "b", now).is_ok());
        let later = now + 60_000;
        assert!(read_bans(&c, None, later).unwrap().is_empty());
        assert!(check_gag(&c, "g", "b", later).is_ok());
        let gags = read_gags(&c, "g", None, later).unwrap();
        assert_eq!(gags.len(), 1);
        assert_eq!((gags[0].user_id.as_str(), gags[0].until), ("c", i64::MAX));
        apply_moderation(&c, ban(&["b"], later + 1), later).unwrap();
        let rows: i64 = c
            .query_row("SELECT COUNT(*) FROM user_bans", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 1, "the expired ban was deleted");
    }
}
