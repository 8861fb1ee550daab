//! Chatroom rooms and their stored messages (migration 11): room records survive restarts,
//! messages persisted in a room are pages of its history until the chatroom retention.

use super::db::{params, Db};
use crate::store::{ChatroomHistoryQuery, ChatroomWrite, RoomRecord};
use rcim_proto::v1::Message;

/// Applies one chatroom change (see [`ChatroomWrite`] for what the flag means).
pub(crate) fn apply_chatroom_write(c: &Db, op: ChatroomWrite) -> anyhow::Result<bool> {
    match op {
        ChatroomWrite::Create(r) => {
            let n = c
                .prepare_cached(
                    "INSERT INTO chatrooms (room_id, name, created_at, auto_destroy, \
                     idle_minutes) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
                )?
                .execute(params![
                    r.room_id,
                    r.name,
                    r.created_at,
                    r.auto_destroy,
                    r.idle_minutes
                ])?;
            Ok(n > 0)
        }
        ChatroomWrite::SetDestroy {
            room_id,
            auto_destroy,
            idle_minutes,
        } => {
            let n = c
                .prepare_cached(
                    "UPDATE chatrooms SET auto_destroy = ?2, idle_minutes = ?3 WHERE room_id = ?1",
                )?
                .execute(params![room_id, auto_destroy, idle_minutes])?;
            Ok(n > 0)
        }
        ChatroomWrite::Delete(room_id) => {
            c.prepare_cached("DELETE FROM chatroom_messages WHERE room_id = ?1")?
                .execute([&room_id])?;
            let n = c
                .prepare_cached("DELETE FROM chatrooms WHERE room_id = ?1")?
                .execute([&room_id])?;
            Ok(n > 0)
        }
        ChatroomWrite::Append(m) => {
            c.prepare_cached(
                "INSERT INTO chatroom_messages (room_id, sent_time, uid, message) \
                 VALUES (?1, ?2, ?3, ?4) ON CONFLICT (room_id, sent_time, uid) DO UPDATE SET message = excluded.message",
            )?
            .execute(params![
                m.to_id,
                m.sent_time,
                m.uid,
                prost::Message::encode_to_vec(m.as_ref())
            ])?;
            Ok(true)
        }
    }
}

/// Every room, oldest first.
pub(crate) fn read_rooms(c: &Db) -> anyhow::Result<Vec<RoomRecord>> {
    let mut stmt = c.prepare(
        "SELECT room_id, name, created_at, auto_destroy, idle_minutes, \
         (SELECT MAX(sent_time) FROM chatroom_messages m WHERE m.room_id = chatrooms.room_id) \
         FROM chatrooms ORDER BY created_at, room_id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(RoomRecord {
            room_id: r.get(0)?,
            name: r.get(1)?,
            created_at: r.get(2)?,
            auto_destroy: r.get(3)?,
            idle_minutes: r.get(4)?,
            last_sent_time: r.get::<_, Option<i64>>(5)?.unwrap_or(0),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A page of a room's stored messages in the query's order (rows that do not decode are
/// skipped and logged).
pub(crate) fn read_history(c: &Db, q: &ChatroomHistoryQuery) -> anyhow::Result<Vec<Message>> {
    let sql = if q.newer {
        "SELECT message FROM chatroom_messages WHERE room_id = ?1 AND sent_time > ?2 \
         AND sent_time >= ?4 ORDER BY sent_time, uid LIMIT ?3"
    } else {
        "SELECT message FROM chatroom_messages WHERE room_id = ?1 AND sent_time < ?2 \
         AND sent_time >= ?4 ORDER BY sent_time DESC, uid DESC LIMIT ?3"
    };
    // BEFORE 0 = from the newest.
    let from = if !q.newer && q.timestamp <= 0 {
        i64::MAX
    } else {
        q.timestamp
    };
    let mut stmt = c.prepare_cached(sql)?;
    let rows = stmt.query_map(params![q.room_id, from, q.count, q.since], |r| {
        r.get::<_, Vec<u8>>(0)
    })?;
    let mut out = Vec::new();
    for blob in rows {
        match <Message as prost::Message>::decode(blob?.as_slice()) {
            Ok(m) => out.push(m),
            Err(e) => {
                tracing::warn!(room = %q.room_id, error = %e, "skipping an unreadable chatroom message")
            }
        }
    }
    Ok(out)
}
