//! Chatroom KV entries and per-room moderation lists (migration 12). The limits and codes
//! are the service's (`service::chatroom::kv`, `service::chatroom::moderation`): the store
//! keeps what it is told, so a restart finds the entries and lists again.

use super::db::{params, Db};
use crate::model::{ChatroomEntry, ChatroomKvWrite, RoomRestriction, RoomRestrictionKind};

/// The `kind` column of `chatroom_restrictions`.
fn kind_code(kind: RoomRestrictionKind) -> i64 {
    match kind {
        RoomRestrictionKind::Gag => 1,
        RoomRestrictionKind::Block => 2,
        RoomRestrictionKind::Protected => 3,
    }
}

fn kind_of(code: i64) -> Option<RoomRestrictionKind> {
    match code {
        1 => Some(RoomRestrictionKind::Gag),
        2 => Some(RoomRestrictionKind::Block),
        3 => Some(RoomRestrictionKind::Protected),
        _ => None,
    }
}

/// Applies one chatroom change. Expired restrictions are deleted on the way, so the table
/// only grows with the restrictions in force.
pub(crate) fn apply_chatroom_kv_write(
    tx: &Db,
    op: ChatroomKvWrite,
    now: i64,
) -> anyhow::Result<()> {
    match op {
        ChatroomKvWrite::PutEntries { room_id, entries } => {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO chatroom_entries (room_id, key, value, owner, auto_delete, set_time) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
                 ON CONFLICT(room_id, key) DO UPDATE SET value = excluded.value, \
                 owner = excluded.owner, auto_delete = excluded.auto_delete, \
                 set_time = excluded.set_time",
            )?;
            for e in entries {
                stmt.execute(params![
                    room_id,
                    e.key,
                    e.value,
                    e.owner,
                    e.auto_delete,
                    e.set_time
                ])?;
            }
        }
        ChatroomKvWrite::RemoveEntries { room_id, keys } => {
            let mut stmt =
                tx.prepare_cached("DELETE FROM chatroom_entries WHERE room_id = ?1 AND key = ?2")?;
            for k in keys {
                stmt.execute(params![room_id, k])?;
            }
        }
        ChatroomKvWrite::Restrict {
            room_id,
            kind,
            user_ids,
            until,
        } => {
            tx.prepare_cached("DELETE FROM chatroom_restrictions WHERE until <= ?1")?
                .execute([now])?;
            let mut stmt = tx.prepare_cached(
                "INSERT INTO chatroom_restrictions (room_id, kind, user_id, until, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5) \
                 ON CONFLICT(room_id, kind, user_id) DO UPDATE SET until = excluded.until",
            )?;
            for u in user_ids {
                stmt.execute(params![room_id, kind_code(kind), u, until, now])?;
            }
        }
        ChatroomKvWrite::Lift {
            room_id,
            kind,
            user_ids,
        } => {
            let mut stmt = tx.prepare_cached(
                "DELETE FROM chatroom_restrictions \
                 WHERE room_id = ?1 AND kind = ?2 AND user_id = ?3",
            )?;
            for u in user_ids {
                stmt.execute(params![room_id, kind_code(kind), u])?;
            }
        }
        ChatroomKvWrite::ForgetRoom { room_id } => {
            tx.prepare_cached("DELETE FROM chatroom_entries WHERE room_id = ?1")?
                .execute([&room_id])?;
            tx.prepare_cached("DELETE FROM chatroom_restrictions WHERE room_id = ?1")?
                .execute([&room_id])?;
        }
    }
    Ok(())
}

/// Every KV entry of `room_id`, by key.
pub(crate) fn read_entries(c: &Db, room_id: &str) -> anyhow::Result<Vec<ChatroomEntry>> {
    let mut stmt = c.prepare_cached(
        "SELECT key, value, owner, auto_delete, set_time FROM chatroom_entries \
         WHERE room_id = ?1 ORDER BY key",
    )?;
    let rows = stmt.query_map([room_id], |r| {
        Ok(ChatroomEntry {
            key: r.get(0)?,
            value: r.get(1)?,
            owner: r.get(2)?,
            auto_delete: r.get(3)?,
            set_time: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Every room restriction in force at `now`, by room, kind and user.
pub(crate) fn read_restrictions(c: &Db, now: i64) -> anyhow::Result<Vec<RoomRestriction>> {
    let mut stmt = c.prepare_cached(
        "SELECT room_id, kind, user_id, until FROM chatroom_restrictions WHERE until > ?1 \
         ORDER BY room_id, kind, user_id",
    )?;
    let rows = stmt.query_map([now], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (room_id, kind, user_id, until) = row?;
        // A kind this version does not know (a newer database) is skipped.
        if let Some(kind) = kind_of(kind) {
            out.push(RoomRestriction {
                room_id,
                kind,
                user_id,
                until,
            });
        }
    }
    Ok(out)
}

/// Deletes every entry set with `delete_when_left` (at start: no member is left from the
/// last run); returns how many.
pub(crate) fn delete_auto_delete_entries(c: &Db) -> anyhow::Result<usize> {
    Ok(c.execute("DELETE FROM chatroom_entries WHERE auto_delete = 1", [])?)
}

#[cfg(test)]
mod tests {
    use super::super::schema::{migrate, open_conn, DB_FILE};
    use super::*;

    /// A restriction ends by itself; the next restriction deletes the expired rows.
    #[test]
    fn expired_restrictions_are_deleted_by_the_next_change() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = open_conn(&dir.path().join(DB_FILE)).unwrap();
        migrate(&mut c).unwrap();
        let restrict = |user: &str, until| ChatroomKvWrite::Restrict {
            room_id: "r".into(),
            kind: RoomRestrictionKind::Gag,
            user_ids: vec![user.into()],
            until,
        };
        apply_chatroom_kv_write(&c, restrict("a", 2_000), 1_000).unwrap();
        assert_eq!(read_restrictions(&c, 1_999).unwrap().len(), 1);
        assert!(read_restrictions(&c, 2_000).unwrap().is_empty());
        apply_chatroom_kv_write(&c, restrict("b", 9_000), 3_000).unwrap();
        let rows: i64 = c
            .query_row("SELECT COUNT(*) FROM chatroom_restrictions", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(rows, 1, "the expired gag was deleted");
    }

    /// At start the entries of departed setters (`delete_when_left`) go, the others stay;
    /// the rooms read then carry the newest stored sent time (the room's clock goes on).
    #[test]
    fn start_drops_departed_entries_and_reads_room_clocks() {
        use super::super::chatroom::{apply_chatroom_write, read_rooms};
        use crate::store::{ChatroomWrite, RoomRecord};
        let dir = tempfile::tempdir().unwrap();
        let mut c = open_conn(&dir.path().join(DB_FILE)).unwrap();
        migrate(&mut c).unwrap();
        let entry = |key: &str, auto_delete| ChatroomEntry {
            key: key.into(),
            value: "v".into(),
            owner: "a".into(),
            auto_delete,
            set_time: 1,
        };
        let put = ChatroomKvWrite::PutEntries {
            room_id: "r".into(),
            entries: vec![entry("gone", true), entry("kept", false)],
        };
        apply_chatroom_kv_write(&c, put, 1_000).unwrap();
        assert_eq!(delete_auto_delete_entries(&c).unwrap(), 1);
        let keys: Vec<String> = read_entries(&c, "r")
            .unwrap()
            .into_iter()
            .map(|e| e.key)
            .collect();
        assert_eq!(keys, ["kept"]);

        apply_chatroom_write(&c, ChatroomWrite::Create(RoomRecord::new("r", "", 5))).unwrap();
        apply_chatroom_write(&c, ChatroomWrite::Create(RoomRecord::new("q", "", 6))).unwrap();
        let message = rcim_proto::v1::Message {
            uid: "m".into(),
            to_id: "r".into(),
            sent_time: 9_000,
            ..Default::default()
        };
        apply_chatroom_write(&c, ChatroomWrite::Append(Box::new(message))).unwrap();
        let clocks: Vec<(String, i64)> = read_rooms(&c)
            .unwrap()
            .into_iter()
            .map(|r| (r.room_id, r.last_sent_time))
            .collect();
        assert_eq!(clocks, [("r".to_owned(), 9_000), ("q".to_owned(), 0)]);
    }
}
