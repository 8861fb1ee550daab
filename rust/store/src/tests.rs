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
    assert_eq!(s.schema_version().unwrap(), 1);
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
