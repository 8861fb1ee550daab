//! Conformance checks of the ultra-group directory tables: every change is kept, survives a
//! reopen, and a quit or a dismiss takes the rows about the leaver or the group with it.

use super::Harness;
use crate::store::contract::{CommitSink, ServerStore};
use crate::store::{
    UgChannelRecord, UgDirectorySnapshot, UgDirectoryWrite, UgGroupRecord, UgListKind, UgListRow,
};

fn channel(group: &str, id: &str, private: bool) -> UgChannelRecord {
    UgChannelRecord {
        group_id: group.into(),
        channel_id: id.into(),
        private,
        created_at: 7,
        default_level: 1,
        muted: false,
    }
}

fn create(group: &str, creator: &str) -> UgDirectoryWrite {
    UgDirectoryWrite::CreateGroup {
        group: UgGroupRecord {
            group_id: group.into(),
            name: format!("{group} name"),
            created_at: 5,
            default_level: 1,
            muted: false,
        },
        default_channel: channel(group, "RCDefault", false),
        creator: creator.into(),
    }
}

fn list(group: &str, ch: &str, kind: UgListKind, users: &[&str], add: bool) -> UgDirectoryWrite {
    UgDirectoryWrite::List {
        group_id: group.into(),
        channel_id: ch.into(),
        kind,
        users: users.iter().map(|u| u.to_string()).collect(),
        add,
    }
}

fn row(group: &str, ch: &str, kind: UgListKind, user: &str) -> UgListRow {
    UgListRow {
        group_id: group.into(),
        channel_id: ch.into(),
        kind,
        user_id: user.into(),
    }
}

fn members(s: &UgDirectorySnapshot) -> Vec<(&str, &str)> {
    s.members
        .iter()
        .map(|(g, u, _)| (g.as_str(), u.as_str()))
        .collect()
}

pub(crate) async fn ultragroup_directory_is_kept<S: ServerStore>(open: impl Fn(CommitSink) -> S) {
    let h = Harness::start(&open);
    let s = h.store.as_ref();
    assert_eq!(
        s.ug_directory().await.unwrap(),
        UgDirectorySnapshot::default()
    );
    for op in [
        create("g", "a"),
        create("h", "b"),
        UgDirectoryWrite::Join {
            group_id: "g".into(),
            users: vec!["b".into(), "c".into()],
            joined_at: 9,
        },
        UgDirectoryWrite::CreateChannel(channel("g", "p", true)),
        UgDirectoryWrite::CreateChannel(channel("g", "q", false)),
        list("g", "p", UgListKind::Private, &["b", "c"], true),
        list("g", "", UgListKind::Muted, &["c"], true),
        list("g", "q", UgListKind::Allowed, &["a", "b"], true),
        list("g", "q", UgListKind::Allowed, &["a"], false),
        UgDirectoryWrite::SetMuted {
            group_id: "g".into(),
            channel_id: "q".into(),
            muted: true,
        },
        UgDirectoryWrite::SetDefaultLevel {
            group_id: "g".into(),
            channel_id: "".into(),
            level: 5,
        },
        UgDirectoryWrite::SetDefaultLevel {
            group_id: "g".into(),
            channel_id: "q".into(),
            level: 0,
        },
        UgDirectoryWrite::SetChannelPrivate {
            group_id: "g".into(),
            channel_id: "q".into(),
            private: true,
        },
        UgDirectoryWrite::Rename {
            group_id: "g".into(),
            name: "G".into(),
        },
        UgDirectoryWrite::Quit {
            group_id: "g".into(),
            users: vec!["c".into()],
        },
    ] {
        s.ug_directory_write(op).await.unwrap();
    }
    h.close().await;
    let h = Harness::start(&open);
    let s = h.store.as_ref();
    let snap = s.ug_directory().await.unwrap();
    let groups: Vec<_> = snap
        .groups
        .iter()
        .map(|g| {
            (
                g.group_id.as_str(),
                g.name.as_str(),
                g.default_level,
                g.muted,
            )
        })
        .collect();
    assert_eq!(groups, [("g", "G", 5, false), ("h", "h name", 1, false)]);
    assert_eq!(members(&snap), [("g", "a"), ("g", "b"), ("h", "b")]);
    let channels: Vec<_> = snap
        .channels
        .iter()
        .map(|c| {
            (
                c.group_id.as_str(),
                c.channel_id.as_str(),
                c.private,
                c.default_level,
                c.muted,
            )
        })
        .collect();
    assert_eq!(
        channels,
        [
            ("g", "RCDefault", false, 1, false),
            ("g", "p", true, 1, false),
            ("g", "q", true, 0, true),
            ("h", "RCDefault", false, 1, false),
        ]
    );
    // The quit took c's listing and mute with it.
    assert_eq!(
        snap.lists,
        [
            row("g", "p", UgListKind::Private, "b"),
            row("g", "q", UgListKind::Allowed, "b"),
        ]
    );
    s.ug_directory_write(UgDirectoryWrite::DeleteChannel {
        group_id: "g".into(),
        channel_id: "p".into(),
    })
    .await
    .unwrap();
    let snap = s.ug_directory().await.unwrap();
    assert_eq!(snap.channels.len(), 3);
    assert_eq!(snap.lists, [row("g", "q", UgListKind::Allowed, "b")]);
    s.ug_directory_write(UgDirectoryWrite::DeleteGroup("g".into()))
        .await
        .unwrap();
    let snap = s.ug_directory().await.unwrap();
    assert_eq!(snap.groups.len(), 1);
    assert_eq!(members(&snap), [("h", "b")]);
    assert_eq!(snap.channels.len(), 1);
    assert!(snap.lists.is_empty());
    h.close().await;
}
