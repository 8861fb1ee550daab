//! Conformance checks of the ultra-group streams over the life of groups and channels: a
//! deleted channel or dismissed group leaves no stream, a quitting member no read position,
//! a clear of 0 clears everything, changes to the messages a device holds, who may change a
//! directed message, mentions after a modify, and read positions that start at the join.

use super::code_of;
use super::ultragroup_stream::{append, change, changes_q, new, state};
use super::Harness;
use crate::store::contract::{CommitSink, ServerStore};
use crate::store::ultragroup_stream_records::{UgChangeKind, UgWrite, UgWritten};
use crate::store::{UgChannelRecord, UgDirectoryWrite, UgGroupRecord};
use rcim_proto::codes;
use std::collections::HashMap;

fn read(user: &str, channel: &str) -> UgWrite {
    UgWrite::Read {
        user_id: user.into(),
        group_id: "g".into(),
        channel_id: channel.into(),
        time: 5,
    }
}

fn create_group(at: i64) -> UgDirectoryWrite {
    let channel = |id: &str| UgChannelRecord {
        group_id: "g".into(),
        channel_id: id.into(),
        private: false,
        created_at: at,
        default_level: 1,
        muted: false,
    };
    UgDirectoryWrite::CreateGroup {
        group: UgGroupRecord {
            group_id: "g".into(),
            name: "g".into(),
            created_at: at,
            default_level: 1,
            muted: false,
        },
        default_channel: channel("RCDefault"),
        creator: "a".into(),
    }
}

/// M1/S11: deleting a channel (or dismissing the group) deletes its messages, read positions
/// and clears; a channel created again with the id shows nothing of the old one and continues
/// its sequences (devices' cursors stay valid). A member who quits loses their read positions
/// in the group.
pub(crate) async fn ultragroup_deleted_streams_are_gone<S: ServerStore>(
    open: impl Fn(CommitSink) -> S,
) {
    let h = Harness::start(&open);
    let s = h.store.as_ref();
    let mut directed = new("a", "c", "secret", "");
    directed.directed = vec!["b".into()];
    append(s, directed, &["b"], false).await;
    append(s, new("a", "c", "private @b", ""), &["b"], false).await;
    append(s, new("a", "d", "other channel", ""), &[], false).await;
    s.ug_write(read("b", "c"), None).await.unwrap();
    s.ug_write(read("b", "d"), None).await.unwrap();
    let delete = UgDirectoryWrite::DeleteChannel {
        group_id: "g".into(),
        channel_id: "c".into(),
    };
    s.ug_directory_write(delete).await.unwrap();
    let page = s.ug_changes(changes_q("b", 0)).await.unwrap();
    assert!(page.messages.is_empty() && page.head_seq == 2, "{page:?}");
    let b = state(s, "b").await;
    assert_eq!((b.head_seq, b.read_time, b.unread_mentions), (2, 0, 0));
    assert!(b.last_message.is_none());
    let again = append(s, new("a", "c", "new public", ""), &[], false).await;
    assert_eq!((again.conv_seq, again.change_seq), (2, 3));
    assert_eq!(state(s, "b").await.unread, 1);
    // Quitting forgets the member's read positions in the group (channel d here).
    let states = s
        .ug_states("b".into(), vec![("g".into(), "d".into())], 0)
        .await
        .unwrap();
    assert_eq!(states[0].read_time, 5);
    let quit = UgDirectoryWrite::Quit {
        group_id: "g".into(),
        users: vec!["b".into()],
    };
    s.ug_directory_write(quit).await.unwrap();
    let states = s
        .ug_states("b".into(), vec![("g".into(), "d".into())], 0)
        .await
        .unwrap();
    assert_eq!((states[0].read_time, states[0].unread), (0, 1));
    // Dismissing the group deletes every channel's stream.
    s.ug_directory_write(UgDirectoryWrite::DeleteGroup("g".into()))
        .await
        .unwrap();
    for channel in ["c", "d"] {
        let mut q = changes_q("a", 0);
        q.channel_id = channel.into();
        let page = s.ug_changes(q).await.unwrap();
        assert!(page.messages.is_empty(), "{page:?}");
    }
    h.close().await;
}

/// M8: a clear with time 0 clears everything sent so far (as a local clear of 0 does).
pub(crate) async fn ultragroup_clear_zero_clears_everything<S: ServerStore>(
    open: impl Fn(CommitSink) -> S,
) {
    let h = Harness::start(&open);
    let s = h.store.as_ref();
    append(s, new("a", "c", "one", ""), &[], false).await;
    let last = append(s, new("a", "c", "two", ""), &[], false).await;
    let clear = UgWrite::Clear {
        user_id: "b".into(),
        group_id: "g".into(),
        channel_id: "c".into(),
        before_time: 0,
    };
    s.ug_write(clear, None).await.unwrap();
    let b = state(s, "b").await;
    assert!(b.cleared_before >= last.sent_time, "{b:?}");
    assert_eq!(b.unread, 0);
    assert!(b.last_message.is_none());
    assert!(s
        .ug_changes(changes_q("b", 0))
        .await
        .unwrap()
        .messages
        .is_empty());
    h.close().await;
}

/// M9: `max_conv_seq` pages only changes to messages the device holds, however many
/// messages came after them.
pub(crate) async fn ultragroup_changes_to_known_messages<S: ServerStore>(
    open: impl Fn(CommitSink) -> S,
) {
    let h = Harness::start(&open);
    let s = h.store.as_ref();
    let x = append(s, new("a", "c", "held", ""), &[], false).await;
    let mut old_directed = new("a", "c", "held too", "");
    old_directed.directed = vec!["b".into()];
    let y = append(s, old_directed, &[], false).await;
    let cursor = y.change_seq;
    for n in 0..150 {
        append(s, new("a", "c", &format!("{n}"), ""), &[], false).await;
    }
    let mut new_directed = new("a", "c", "not held", "");
    new_directed.directed = vec!["b".into()];
    let z = append(s, new_directed, &[], false).await;
    let recall = change(
        &x.uid,
        "a",
        UgChangeKind::Recall {
            delete_remote: true,
            is_admin: false,
        },
    );
    s.ug_write(recall, None).await.unwrap();
    for uid in [&y.uid, &z.uid] {
        let modify = change(
            uid,
            "a",
            UgChangeKind::Modify {
                object_name: "RC:TxtMsg".into(),
                content: "{\"content\":\"edited\"}".into(),
            },
        );
        s.ug_write(modify, None).await.unwrap();
    }
    let mut q = changes_q("b", cursor);
    q.count = 10;
    q.max_conv_seq = x.conv_seq;
    let page = s.ug_changes(q.clone()).await.unwrap();
    let uids: Vec<&str> = page.messages.iter().map(|m| m.uid.as_str()).collect();
    assert_eq!(uids, [x.uid.as_str(), y.uid.as_str()]);
    assert!(!page.more);
    assert_eq!(page.messages[0].object_name, "RC:RcNtf");
    // One per page.
    q.count = 1;
    let page = s.ug_changes(q).await.unwrap();
    assert_eq!((page.messages.len(), page.more), (1, true));
    // Without it, the page is the next 10 changes after the cursor.
    let mut q = changes_q("b", cursor);
    q.count = 10;
    let page = s.ug_changes(q).await.unwrap();
    assert_eq!(page.messages[0].conv_seq, x.conv_seq + 1);
    h.close().await;
}

/// S1 and S9: only the sender and the users of a directed message change its expansion; a
/// modify recounts the mentions from the new content.
pub(crate) async fn ultragroup_directed_expansion_and_modified_mentions<S: ServerStore>(
    open: impl Fn(CommitSink) -> S,
) {
    let h = Harness::start(&open);
    let s = h.store.as_ref();
    let mut directed = new("a", "c", "psst", "");
    directed.directed = vec!["b".into()];
    directed.can_expand = true;
    let d = append(s, directed, &[], false).await;
    let expand = |by: &str| {
        change(
            &d.uid,
            by,
            UgChangeKind::Expansion {
                set: HashMap::from([("k".to_owned(), by.to_owned())]),
                remove: vec![],
            },
        )
    };
    let refused = s.ug_write(expand("c"), None).await.unwrap_err();
    assert_eq!(code_of(&refused), Some(codes::INVALID_MESSAGE_UID));
    for by in ["b", "a"] {
        let done = s.ug_write(expand(by), None).await.unwrap();
        assert!(
            matches!(
                done,
                UgWritten::Changed {
                    message: Some(_),
                    ..
                }
            ),
            "{done:?}"
        );
    }
    let m = append(s, new("a", "c", "hi", ""), &[], false).await;
    assert_eq!(state(s, "e").await.unread_mentions, 0);
    let modify = |content: &str| {
        change(
            &m.uid,
            "a",
            UgChangeKind::Modify {
                object_name: "RC:TxtMsg".into(),
                content: content.into(),
            },
        )
    };
    let to_e = r#"{"content":"hi @e","mentionedInfo":{"type":2,"userIdList":["e"]}}"#;
    s.ug_write(modify(to_e), None).await.unwrap();
    assert_eq!(state(s, "e").await.unread_mentions, 1);
    assert_eq!(state(s, "f").await.unread_mentions, 0);
    let to_all = r#"{"content":"hi all","mentionedInfo":{"type":"1"}}"#;
    s.ug_write(modify(to_all), None).await.unwrap();
    assert_eq!(state(s, "f").await.unread_mentions, 1);
    s.ug_write(modify("{\"content\":\"hi\"}"), None)
        .await
        .unwrap();
    assert_eq!(state(s, "e").await.unread_mentions, 0);
    h.close().await;
}

/// Join-time unread and S8: messages from before a member joined are neither unread nor
/// unread mentions, and the read position (`read_seq`) starts at the newest of them; a read
/// moves it to the channel's history head.
pub(crate) async fn ultragroup_reads_start_at_the_join<S: ServerStore>(
    open: impl Fn(CommitSink) -> S,
) {
    let h = Harness::start(&open);
    let s = h.store.as_ref();
    s.ug_directory_write(create_group(1)).await.unwrap();
    append(s, new("a", "c", "before", ""), &[], true).await;
    let before = append(s, new("a", "c", "before too", ""), &[], true).await;
    let join = UgDirectoryWrite::Join {
        group_id: "g".into(),
        users: vec!["b".into()],
        joined_at: before.sent_time,
    };
    s.ug_directory_write(join).await.unwrap();
    let b = state(s, "b").await;
    assert_eq!((b.unread, b.unread_mentions, b.read_seq), (0, 0, 2));
    append(s, new("a", "c", "after", ""), &[], true).await;
    let b = state(s, "b").await;
    assert_eq!((b.unread, b.unread_mentions, b.read_seq), (1, 1, 2));
    // A user without a join row (not in the directory tables) counts everything.
    assert_eq!(state(s, "z").await.unread, 3);
    let mut directed = new("a", "c", "psst", "");
    directed.directed = vec!["b".into()];
    append(s, directed, &[], false).await;
    s.ug_write(read("b", "c"), None).await.unwrap();
    let b = state(s, "b").await;
    assert_eq!((b.unread, b.read_seq), (0, 3));
    h.close().await;
}
