use super::*;

fn msg(target: &str, uid: Option<&str>, dir: u8, time: i64) -> NewMessage {
    NewMessage {
        conversation_type: 1,
        target_id: target.into(),
        channel_id: String::new(),
        message_type: 2,
        object_name: "RC:TxtMsg".into(),
        content: r#"{"content":"hi"}"#.into(),
        uid: uid.map(Into::into),
        client_msg_id: None,
        sender_id: if dir == direction::SEND { "me" } else { target }.into(),
        direction: dir,
        sent_status: if dir == direction::SEND {
            sent_status::SENDING
        } else {
            sent_status::SENT
        },
        received_status: received_status::UNREAD,
        sent_time: time,
        received_time: time,
        counted: true,
        extra_json: None,
    }
}

fn key(target: &str) -> ConversationKey {
    ConversationKey {
        conversation_type: 1,
        target_id: target.into(),
        channel_id: String::new(),
    }
}

#[test]
fn outgoing_message_becomes_last_message_and_pending() {
    let mut s = Store::open_in_memory().unwrap();
    let row = s
        .insert_outgoing(&msg("bob", None, direction::SEND, 10))
        .unwrap();
    assert_eq!(s.pending_outgoing().unwrap(), vec![row.clone()]);
    let conv = s.conversation(&key("bob")).unwrap().unwrap();
    assert_eq!(conv.last_message.unwrap().id, row.id);
    assert_eq!(conv.unread_count, 0);

    let sent = s
        .update_sent(row.id, sent_status::SENT, Some("U1"), Some(20))
        .unwrap()
        .unwrap();
    assert_eq!(sent.uid.as_deref(), Some("U1"));
    assert_eq!(sent.sent_time, 20);
    assert!(s.pending_outgoing().unwrap().is_empty());
    assert_eq!(s.conversation(&key("bob")).unwrap().unwrap().sort_time, 20);
}

#[test]
fn inbox_batches_dedupe_count_unread_and_move_the_cursor() {
    let mut s = Store::open_in_memory().unwrap();
    assert_eq!(s.inbox_cursor().unwrap(), 0);
    let batch = vec![
        msg("alice", Some("A"), direction::RECEIVE, 1),
        msg("alice", Some("B"), direction::RECEIVE, 2),
    ];
    assert_eq!(s.apply_inbox(&batch, 2).unwrap().len(), 2);
    // Redelivery of B plus a new C: only C is inserted.
    let again = vec![
        msg("alice", Some("B"), direction::RECEIVE, 2),
        msg("alice", Some("C"), direction::RECEIVE, 3),
    ];
    let inserted = s.apply_inbox(&again, 4).unwrap();
    assert_eq!(inserted.len(), 1);
    assert_eq!(inserted[0].uid.as_deref(), Some("C"));
    assert_eq!(s.inbox_cursor().unwrap(), 4);
    assert_eq!(s.unread_count(&key("alice")).unwrap(), 3);
    assert_eq!(s.total_unread_count("").unwrap(), 3);

    assert!(s.clear_unread(&key("alice"), 2).unwrap());
    assert_eq!(s.unread_count(&key("alice")).unwrap(), 1);
    assert!(s.clear_unread(&key("alice"), 0).unwrap());
    assert_eq!(s.unread_count(&key("alice")).unwrap(), 0);
    assert!(!s.clear_unread(&key("nobody"), 0).unwrap());
}

#[test]
fn message_pages_follow_the_time_order() {
    let mut s = Store::open_in_memory().unwrap();
    let batch: Vec<_> = (1..=30)
        .map(|i| msg("alice", Some(&format!("u{i}")), direction::RECEIVE, i))
        .collect();
    s.apply_inbox(&batch, 30).unwrap();
    let newest = s.messages(&key("alice"), 0, TimeOrder::Before, 20).unwrap();
    assert_eq!(newest.len(), 20);
    assert_eq!(newest[0].sent_time, 30);
    assert_eq!(newest[19].sent_time, 11);
    let older = s
        .messages(&key("alice"), 11, TimeOrder::Before, 20)
        .unwrap();
    assert_eq!(older.len(), 10);
    assert_eq!(older[0].sent_time, 10);
    let after = s.messages(&key("alice"), 25, TimeOrder::After, 20).unwrap();
    let times: Vec<_> = after.iter().map(|m| m.sent_time).collect();
    assert_eq!(times, vec![26, 27, 28, 29, 30]);
    assert_eq!(s.message_count(&key("alice")).unwrap(), 30);
    assert_eq!(s.message_by_uid("u7").unwrap().unwrap().sent_time, 7);
}

#[test]
fn conversations_are_listed_newest_first_with_paging() {
    let mut s = Store::open_in_memory().unwrap();
    for (i, peer) in ["a", "b", "c"].iter().enumerate() {
        let uid = format!("x{i}");
        s.apply_inbox(
            &[msg(peer, Some(&uid), direction::RECEIVE, i as i64 + 1)],
            i as u64 + 1,
        )
        .unwrap();
    }
    let all = s.conversations(&[1, 2], "", 0, 50).unwrap();
    let ids: Vec<_> = all.iter().map(|c| c.key.target_id.as_str()).collect();
    assert_eq!(ids, vec!["c", "b", "a"]);
    let page = s.conversations(&[1], "", 3, 1).unwrap();
    assert_eq!(page[0].key.target_id, "b");
    assert!(s.conversations(&[2], "", 0, 50).unwrap().is_empty());
    assert!(s.remove_conversation(&key("b")).unwrap());
    assert_eq!(s.conversations(&[1], "", 0, 50).unwrap().len(), 2);
}

#[test]
fn reopening_a_file_keeps_data_and_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("u").join("im.db");
    {
        let mut s = Store::open(&path).unwrap();
        s.insert_outgoing(&msg("bob", None, direction::SEND, 1))
            .unwrap();
        s.kv_set("device_id", "d1").unwrap();
    }
    let s = Store::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), 3);
    assert_eq!(s.pending_outgoing().unwrap().len(), 1);
    assert_eq!(s.kv_get("device_id").unwrap().as_deref(), Some("d1"));
}

#[test]
fn failing_pending_marks_them_failed() {
    let mut s = Store::open_in_memory().unwrap();
    let row = s
        .insert_outgoing(&msg("bob", None, direction::SEND, 1))
        .unwrap();
    assert_eq!(s.fail_pending().unwrap().len(), 1);
    assert_eq!(
        s.message(row.id).unwrap().unwrap().sent_status,
        sent_status::FAILED
    );
}

#[test]
fn an_inbox_copy_of_our_own_unacked_message_completes_it() {
    let mut s = Store::open_in_memory().unwrap();
    let mut outgoing = msg("bob", None, direction::SEND, 1);
    outgoing.client_msg_id = Some("c1".into());
    let row = s.insert_outgoing(&outgoing).unwrap();
    // The server stored it, the ack was lost, and our own inbox copy arrives first.
    let mut copy = msg("bob", Some("U9"), direction::SEND, 7);
    copy.client_msg_id = Some("c1".into());
    assert!(s.apply_inbox(&[copy], 1).unwrap().is_empty());
    let completed = s.message(row.id).unwrap().unwrap();
    assert_eq!(completed.uid.as_deref(), Some("U9"));
    assert_eq!(completed.sent_status, sent_status::SENT);
    assert_eq!(s.message_count(&key("bob")).unwrap(), 1);
    // The late ack changes nothing.
    s.update_sent(row.id, sent_status::SENT, Some("U9"), Some(7))
        .unwrap();
    assert_eq!(s.message_count(&key("bob")).unwrap(), 1);
}

fn text(target: &str, uid: &str, time: i64, body: &str) -> NewMessage {
    let mut m = msg(target, Some(uid), direction::RECEIVE, time);
    m.content = serde_json::json!({ "content": body }).to_string();
    m
}

fn found(s: &Store, target: &str, keyword: &str) -> Vec<String> {
    s.search_messages(&key(target), keyword, 0, 50)
        .unwrap()
        .into_iter()
        .map(|m| m.uid.unwrap())
        .collect()
}

#[test]
fn search_finds_cjk_substrings_of_any_length() {
    let mut s = Store::open_in_memory().unwrap();
    s.apply_inbox(
        &[
            text("alice", "A", 1, "你好世界"),
            text("alice", "B", 2, "今天天气很好"),
            text("bob", "C", 3, "你好世界"),
        ],
        3,
    )
    .unwrap();
    // 1 and 2 characters: the fallback scan; 3 and more: the trigram index.
    assert_eq!(found(&s, "alice", "世"), vec!["A"]);
    assert_eq!(found(&s, "alice", "世界"), vec!["A"]);
    assert_eq!(found(&s, "alice", "好世界"), vec!["A"]);
    assert_eq!(found(&s, "alice", "你好世界"), vec!["A"]);
    // "好" is in both messages of alice: newest first; bob's message is another conversation.
    assert_eq!(found(&s, "alice", "好"), vec!["B", "A"]);
    assert!(found(&s, "alice", "世界和平").is_empty());
    assert!(found(&s, "alice", "").is_empty());
    assert!(found(&s, "carol", "世界").is_empty());
}

#[test]
fn search_is_case_insensitive_pages_by_time_and_escapes_keywords() {
    let mut s = Store::open_in_memory().unwrap();
    let batch: Vec<_> = (1..=10)
        .map(|i| text("alice", &format!("u{i}"), i, &format!("Hello World {i}")))
        .chain([
            text("alice", "pct", 11, "100% sure_thing \"quoted\""),
            text("alice", "other", 12, "nothing here"),
        ])
        .collect();
    s.apply_inbox(&batch, 12).unwrap();
    assert_eq!(found(&s, "alice", "hello world").len(), 10);
    assert_eq!(found(&s, "alice", "WORLD 1"), vec!["u10", "u1"]);
    assert_eq!(found(&s, "alice", "LO").len(), 10);
    assert_eq!(found(&s, "alice", "h").len(), 12);
    // Paging: newest first, older than startTime, at most count.
    let page: Vec<_> = s
        .search_messages(&key("alice"), "hello", 8, 3)
        .unwrap()
        .iter()
        .map(|m| m.sent_time)
        .collect();
    assert_eq!(page, vec![7, 6, 5]);
    // LIKE and FTS5 syntax characters are plain text.
    assert_eq!(found(&s, "alice", "%"), vec!["pct"]);
    assert_eq!(found(&s, "alice", "_"), vec!["pct"]);
    assert!(found(&s, "alice", "0_").is_empty());
    assert_eq!(found(&s, "alice", "\"quoted\""), vec!["pct"]);
    assert_eq!(found(&s, "alice", "% s"), vec!["pct"]);
    assert!(found(&s, "alice", "AND").is_empty());
}

#[test]
fn search_index_follows_deletes_and_migrated_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("im.db");
    {
        // A database written before migration 002: text rows without search_text.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("../migrations/001_init.sql"))
            .unwrap();
        conn.execute_batch(
            r#"INSERT INTO messages (conversation_type, target_id, message_type, object_name,
                   content, sender_id, direction, sent_status, received_status, sent_time,
                   received_time)
               VALUES (1, 'alice', 2, 'RC:TxtMsg', '{"content":"旧消息 old text"}', 'alice', 1, 2,
                       0, 1, 1),
                      (1, 'alice', 0, 'App:Raw', 'not json', 'alice', 1, 2, 0, 2, 2);
               PRAGMA user_version = 1;"#,
        )
        .unwrap();
    }
    let mut s = Store::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), 3);
    assert_eq!(found_ids(&s, "旧消息").len(), 1);
    assert_eq!(found_ids(&s, "旧").len(), 1);
    assert!(found_ids(&s, "not json").is_empty());
    s.apply_inbox(&[text("alice", "N", 3, "new text")], 1)
        .unwrap();
    assert_eq!(found_ids(&s, "text").len(), 2);
    s.conn
        .execute("DELETE FROM messages WHERE uid = 'N'", [])
        .unwrap();
    assert_eq!(found_ids(&s, "text").len(), 1);
    s.conn
        .execute(
            "UPDATE messages SET search_text = 'changed' WHERE search_text IS NOT NULL",
            [],
        )
        .unwrap();
    assert!(found_ids(&s, "text").is_empty());
    assert_eq!(found_ids(&s, "changed").len(), 1);
    s.conn
        .execute(
            "INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)",
            [],
        )
        .unwrap();
}

fn found_ids(s: &Store, keyword: &str) -> Vec<i64> {
    s.search_messages(&key("alice"), keyword, 0, 50)
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect()
}

#[test]
fn drafts_are_stored_on_the_conversation_and_move_it_up() {
    let mut s = Store::open_in_memory().unwrap();
    s.apply_inbox(&[text("alice", "A", 10, "hi")], 1).unwrap();
    // A draft on a conversation without messages creates it.
    s.save_draft(&key("bob"), "草稿", 5).unwrap();
    assert_eq!(s.draft(&key("bob")).unwrap(), "草稿");
    let bob = s.conversation(&key("bob")).unwrap().unwrap();
    assert_eq!(bob.draft, "草稿");
    assert!(bob.last_message.is_none());
    let ids = |s: &Store| -> Vec<String> {
        s.conversations(&[1], "", 0, 50)
            .unwrap()
            .into_iter()
            .map(|c| c.key.target_id)
            .collect()
    };
    assert_eq!(ids(&s), vec!["alice", "bob"]);
    // Saving a draft moves the conversation to the top.
    s.save_draft(&key("bob"), "later", 20).unwrap();
    assert_eq!(ids(&s), vec!["bob", "alice"]);
    // A message sent before the draft was saved still becomes the last message.
    s.apply_inbox(&[text("bob", "B", 15, "earlier")], 2)
        .unwrap();
    let bob = s.conversation(&key("bob")).unwrap().unwrap();
    assert_eq!(bob.last_message.unwrap().uid.as_deref(), Some("B"));
    assert_eq!(bob.draft, "later");
    // Clearing keeps a conversation with messages, drops one that only had a draft.
    s.clear_draft(&key("bob")).unwrap();
    assert_eq!(s.draft(&key("bob")).unwrap(), "");
    assert!(s.conversation(&key("bob")).unwrap().is_some());
    s.save_draft(&key("carol"), "x", 30).unwrap();
    assert_eq!(ids(&s), vec!["carol", "bob", "alice"]);
    s.save_draft(&key("carol"), "", 31).unwrap();
    assert!(s.conversation(&key("carol")).unwrap().is_none());
    assert_eq!(s.draft(&key("nobody")).unwrap(), "");
}

#[test]
fn first_unread_message_and_unread_counts_by_type() {
    let mut s = Store::open_in_memory().unwrap();
    assert!(s.first_unread_message(&key("alice")).unwrap().is_none());
    let mut not_counted = text("alice", "N", 1, "recall");
    not_counted.counted = false;
    s.apply_inbox(
        &[
            not_counted,
            text("alice", "A", 2, "one"),
            text("alice", "B", 3, "two"),
        ],
        3,
    )
    .unwrap();
    let mut group = text("g1", "G", 4, "group");
    group.conversation_type = 2;
    s.apply_inbox(&[group, text("muted", "M", 5, "dnd")], 5)
        .unwrap();
    assert_eq!(
        s.first_unread_message(&key("alice"))
            .unwrap()
            .unwrap()
            .uid
            .as_deref(),
        Some("A")
    );
    s.clear_unread(&key("alice"), 2).unwrap();
    assert_eq!(
        s.first_unread_message(&key("alice"))
            .unwrap()
            .unwrap()
            .uid
            .as_deref(),
        Some("B")
    );
    s.conn
        .execute(
            "UPDATE conversations SET notification_level = 5 WHERE target_id = 'muted'",
            [],
        )
        .unwrap();
    // alice 1 + muted 1 (private), g1 1 (group).
    assert_eq!(s.unread_count_by_types(&[1], "", true).unwrap(), 2);
    assert_eq!(s.unread_count_by_types(&[1], "", false).unwrap(), 1);
    assert_eq!(s.unread_count_by_types(&[1, 2], "", false).unwrap(), 2);
    assert_eq!(s.unread_count_by_types(&[2], "", true).unwrap(), 1);
    assert_eq!(s.unread_count_by_types(&[1, 2], "other", true).unwrap(), 0);
    assert_eq!(s.unread_count_by_types(&[3], "", true).unwrap(), 0);
    assert!(notification_level::is_muted(5));
    assert!(!notification_level::is_muted(notification_level::NONE));
    assert!(!notification_level::is_muted(
        notification_level::ALL_MESSAGE
    ));
}

#[test]
fn an_ack_after_a_draft_keeps_the_draft_time() {
    let mut s = Store::open_in_memory().unwrap();
    let row = s
        .insert_outgoing(&msg("bob", None, direction::SEND, 100))
        .unwrap();
    s.save_draft(&key("bob"), "typing", 200).unwrap();
    s.update_sent(row.id, sent_status::SENT, Some("U1"), Some(90))
        .unwrap();
    let conv = s.conversation(&key("bob")).unwrap().unwrap();
    assert_eq!(conv.sort_time, 200);
    assert_eq!(conv.last_message.unwrap().uid.as_deref(), Some("U1"));
    // Without a draft the server's time wins, as before.
    let other = s
        .insert_outgoing(&msg("carol", None, direction::SEND, 100))
        .unwrap();
    s.update_sent(other.id, sent_status::SENT, Some("U2"), Some(90))
        .unwrap();
    assert_eq!(
        s.conversation(&key("carol")).unwrap().unwrap().sort_time,
        90
    );
}

fn recall_of(uid: &str) -> RecallUpdate {
    RecallUpdate {
        uid: uid.into(),
        message_type: 8,
        object_name: "RC:RcNtf".into(),
        content: r#"{"operatorId":"bob"}"#.into(),
    }
}

#[test]
fn recalls_convert_rows_once_and_leave_the_unread_count() {
    let mut s = Store::open_in_memory().unwrap();
    let recv = |uid, t| msg("bob", Some(uid), direction::RECEIVE, t);
    // A message and its recall in the same package: stored already converted.
    let (inserted, recalled) = s
        .apply_inbox_entries(
            &[recv("U1", 10), recv("U2", 20)],
            &[recall_of("U1")],
            &[],
            &[],
            2,
        )
        .unwrap();
    assert_eq!(inserted[0].object_name, "RC:RcNtf");
    assert_eq!(inserted[0].message_type, 8);
    assert_eq!(inserted[1].object_name, "RC:TxtMsg");
    assert_eq!(recalled.len(), 1);
    assert_eq!(s.unread_count(&key("bob")).unwrap(), 1);
    // A later recall; again (no double decrement); an unknown uid is skipped.
    let row = s.recall_message(&recall_of("U2")).unwrap().unwrap();
    assert_eq!(row.object_name, "RC:RcNtf");
    assert!(!row.counted);
    assert_eq!(s.unread_count(&key("bob")).unwrap(), 0);
    s.recall_message(&recall_of("U2")).unwrap().unwrap();
    assert_eq!(s.unread_count(&key("bob")).unwrap(), 0);
    assert!(s.recall_message(&recall_of("U9")).unwrap().is_none());
    // Recalled content is no longer searchable.
    assert!(s
        .search_messages(&key("bob"), "hi", 0, 10)
        .unwrap()
        .is_empty());
}

#[test]
fn read_marks_mark_sent_messages_read_or_clear_unread() {
    let mut s = Store::open_in_memory().unwrap();
    let a = s
        .insert_outgoing(&msg("bob", None, direction::SEND, 10))
        .unwrap();
    let b = s
        .insert_outgoing(&msg("bob", None, direction::SEND, 20))
        .unwrap();
    s.update_sent(a.id, sent_status::SENT, Some("A"), Some(10))
        .unwrap();
    s.update_sent(b.id, sent_status::SENT, Some("B"), Some(20))
        .unwrap();
    let incoming = [
        msg("bob", Some("R1"), direction::RECEIVE, 15),
        msg("bob", Some("R2"), direction::RECEIVE, 25),
    ];
    let peer = ReadMark {
        key: key("bob"),
        timestamp: 10,
        by_peer: true,
    };
    s.apply_inbox_entries(&incoming, &[], &[peer], &[], 3)
        .unwrap();
    assert_eq!(
        s.message(a.id).unwrap().unwrap().sent_status,
        sent_status::READ
    );
    assert_eq!(
        s.message(b.id).unwrap().unwrap().sent_status,
        sent_status::SENT
    );
    assert_eq!(s.unread_count(&key("bob")).unwrap(), 2);
    // This user read up to 15 on another device.
    let mine = ReadMark {
        key: key("bob"),
        timestamp: 15,
        by_peer: false,
    };
    s.apply_inbox_entries(&[], &[], &[mine], &[], 4).unwrap();
    assert_eq!(s.unread_count(&key("bob")).unwrap(), 1);
    assert_eq!(s.inbox_cursor().unwrap(), 4);
}

#[test]
fn conversation_settings_create_pin_mute_and_reset() {
    use crate::ConversationSettingUpdate;
    let mut s = Store::open_in_memory().unwrap();
    let key = ConversationKey::new(1, "carol", "");
    let set = |top: Option<bool>, level: Option<u32>| ConversationSettingUpdate {
        key: key.clone(),
        top,
        notification_level: level,
        time: 50,
    };
    assert!(!s.conversation_top(&key).unwrap());
    // Pinning a conversation without messages creates it.
    s.set_conversation_setting(&set(Some(true), None)).unwrap();
    assert!(s.conversation_top(&key).unwrap());
    let top = s.top_conversations(&[1, 2], "").unwrap();
    assert_eq!(top.len(), 1);
    assert_eq!(top[0].sort_time, 50);
    // The level changes alone; the pin stays.
    s.set_conversation_setting(&set(None, Some(5))).unwrap();
    assert!(s.conversation_top(&key).unwrap());
    assert_eq!(s.conversation_notification_level(&key).unwrap(), 5);
    assert_eq!(s.blocked_conversations(&[1], "").unwrap().len(), 1);
    assert!(s.blocked_conversations(&[2], "").unwrap().is_empty());
    // Applied from the inbox too; resetting both removes the empty conversation.
    s.apply_inbox_entries(&[], &[], &[], &[set(Some(false), Some(0))], 7)
        .unwrap();
    assert!(s.conversation(&key).unwrap().is_none());
    assert!(s.top_conversations(&[1], "").unwrap().is_empty());
    // A conversation with messages stays.
    s.apply_inbox(&[text("carol", "C1", 60, "hi")], 8).unwrap();
    s.set_conversation_setting(&set(Some(true), None)).unwrap();
    s.set_conversation_setting(&set(Some(false), None)).unwrap();
    assert!(s.conversation(&key).unwrap().is_some());
}
