//! Conformance checks of user settings: versions and inbox entries per change, once per
//! request; the settings pages; the blacklist's limit and its effect on sends; settings that
//! outlive pruning and a reopen.

use super::{code_of, key, kinds, offline_cutoff, text, Harness};
use crate::model::{NewMessage, PruneCutoffs, SYNC_BYTES};
use crate::settings::{SettingChange, SettingsUpdate, BLACKLIST_FULL, MAX_BLACKLIST};
use crate::store::contract::{CommitSink, ServerStore};
use rcim_proto::codes;
use rcim_proto::conversation_type::{GROUP, PRIVATE};
use rcim_proto::v1::{
    inbox_entry, user_setting_changed::Change, BlacklistChange, ChangeConversationSetting,
    InboxEntry, QuietHours, QuietHoursRemoved, TypeNotificationLevel, UserSettings,
};

fn update(user: &str, device: &str, changes: Vec<SettingChange>) -> SettingsUpdate {
    SettingsUpdate {
        user_id: user.into(),
        device_id: device.into(),
        changes,
    }
}

fn pin(target: &str, top: Option<bool>, level: Option<u32>) -> SettingChange {
    SettingChange::Conversation {
        change: ChangeConversationSetting {
            conversation_type: PRIVATE,
            target_id: target.into(),
            channel_id: String::new(),
            top,
            notification_level: level,
        },
        max_stored: usize::MAX,
    }
}

fn block(user: &str, blocked: bool) -> SettingChange {
    SettingChange::User(Change::Blacklist(BlacklistChange {
        user_id: user.into(),
        blocked,
    }))
}

fn type_level(conversation_type: u32, level: u32) -> SettingChange {
    SettingChange::User(Change::TypeLevel(TypeNotificationLevel {
        conversation_type,
        level,
    }))
}

fn quiet() -> QuietHours {
    QuietHours {
        start_time: "22:00:00".into(),
        span_minutes: 480,
        level: 2,
        utc_offset_minutes: 480,
    }
}

/// The settings version an entry carries, with its device.
fn version_of(e: &InboxEntry) -> (u64, &str) {
    match &e.body {
        Some(inbox_entry::Body::ConversationSetting(s)) => (s.settings_version, &s.device_id),
        Some(inbox_entry::Body::UserSetting(s)) => (s.settings_version, &s.device_id),
        other => panic!("not a settings entry: {other:?}"),
    }
}

async fn first_page(h: &Harness, user: &str) -> UserSettings {
    h.store.settings(user.into(), 0, 0).await.unwrap()
}

/// Each change bumps the version and appends one entry carrying it to the owner's inbox only;
/// the settings read back as changed; a repeated request changes nothing; defaults are
/// forgotten.
pub(crate) async fn settings_changes_are_versioned<S: ServerStore>(
    open: impl FnOnce(CommitSink) -> S,
) {
    let h = Harness::start(open);
    assert_eq!(h.store.settings_version("a".into()).await.unwrap(), 0);
    assert_eq!(first_page(&h, "a").await, UserSettings::default());
    let changes = [
        pin("b", Some(true), None),
        type_level(GROUP, 5),
        SettingChange::User(Change::QuietHours(quiet())),
        block("b", true),
    ];
    for (n, change) in changes.into_iter().enumerate() {
        let req = key("a", &format!("s{n}"));
        // A resend of the same request changes nothing.
        for _ in 0..2 {
            h.store
                .change_settings(update("a", "phone", vec![change.clone()]), req.clone())
                .await
                .unwrap();
        }
    }
    let inbox = h.inbox("a").await;
    assert_eq!(
        kinds(&inbox),
        ["setting", "user setting", "user setting", "user setting"]
    );
    let versions: Vec<_> = inbox.iter().map(version_of).collect();
    assert_eq!(
        versions,
        [(1, "phone"), (2, "phone"), (3, "phone"), (4, "phone")]
    );
    assert_eq!(h.published("a"), vec![1, 2, 3, 4]);
    assert!(h.inbox("b").await.is_empty());
    let page = first_page(&h, "a").await;
    assert_eq!(page.version, 4);
    assert_eq!(page.type_levels.get(&GROUP), Some(&5));
    assert_eq!(page.quiet_hours, Some(quiet()));
    assert_eq!(page.conversations.len(), 1);
    let c = &page.conversations[0];
    assert_eq!(
        (c.target_id.as_str(), c.top, c.notification_level),
        ("b", true, 1)
    );
    assert!(c.operation_time > 0);
    assert_eq!(page.blacklist, ["b"]);
    assert!(!page.has_more);
    assert_eq!(h.store.settings_version("a".into()).await.unwrap(), 4);

    // One update of several changes: one version and one entry each, in order. Back to the
    // defaults, everything is forgotten.
    let back = vec![
        pin("b", None, Some(0)),
        pin("b", Some(false), None),
        pin("b", None, Some(1)),
        type_level(GROUP, 1),
        SettingChange::User(Change::QuietHoursRemoved(QuietHoursRemoved {})),
        block("b", false),
    ];
    h.store
        .change_settings(update("a", "", back), None)
        .await
        .unwrap();
    let inbox = h.inbox("a").await;
    let versions: Vec<u64> = inbox.iter().map(|e| version_of(e).0).collect();
    assert_eq!(versions, (1..=10).collect::<Vec<_>>());
    assert_eq!(version_of(&inbox[9]).1, "");
    let page = first_page(&h, "a").await;
    assert_eq!(
        page,
        UserSettings {
            version: 10,
            ..Default::default()
        }
    );
    h.close().await;
}

/// At most 3000 users per blacklist (20605 beyond, nothing changed; re-adding one already
/// there is fine). A private send checking the blacklist from a blacklisted sender is 405;
/// the blocker still sends, group messages and unchecked sends pass.
pub(crate) async fn blacklist_limit_and_sends<S: ServerStore>(open: impl FnOnce(CommitSink) -> S) {
    let h = Harness::start(open);
    let full: Vec<_> = (0..MAX_BLACKLIST)
        .map(|i| block(&format!("u{i:04}"), true))
        .collect();
    h.store
        .change_settings(update("a", "", full), None)
        .await
        .unwrap();
    let version = h.store.settings_version("a".into()).await.unwrap();
    assert_eq!(version, MAX_BLACKLIST as u64);
    let err = h
        .store
        .change_settings(update("a", "", vec![block("x", true)]), key("a", "over"))
        .await
        .unwrap_err();
    assert_eq!(code_of(&err), Some(BLACKLIST_FULL));
    // Part of an update over the limit: none of it is kept.
    let err = h
        .store
        .change_settings(
            update(
                "a",
                "",
                vec![block("u0000", false), block("x", true), block("y", true)],
            ),
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(code_of(&err), Some(BLACKLIST_FULL));
    assert_eq!(h.store.settings_version("a".into()).await.unwrap(), version);
    assert_eq!(h.inbox("a").await.len(), MAX_BLACKLIST);
    assert!(h
        .store
        .blacklisted("a".into(), "u0000".into())
        .await
        .unwrap());
    // The refused request was not logged: it may be retried.
    assert_eq!(
        h.store
            .logged_request(key("a", "over").unwrap())
            .await
            .unwrap(),
        None
    );
    h.store
        .change_settings(update("a", "", vec![block("u0001", true)]), None)
        .await
        .unwrap();
    let list = h.store.blacklist("a".into()).await.unwrap();
    assert_eq!(list.len(), MAX_BLACKLIST);
    assert_eq!(list[0], "u0000");

    h.store
        .change_settings(update("b", "", vec![block("c", true)]), None)
        .await
        .unwrap();
    let checked = |from: &str, to: &str, id: &str| NewMessage {
        check_blacklist: true,
        ..text(from, to, id)
    };
    let err = h.send(checked("c", "b", "1")).await.unwrap_err();
    assert_eq!(code_of(&err), Some(codes::REJECTED_BY_BLACKLIST));
    assert!(h.inbox("c").await.is_empty());
    // One-way: the blocker still reaches the blocked user.
    h.send(checked("b", "c", "2")).await.unwrap();
    // Without the check (a Server API publish without verifyBlacklist) it passes.
    h.send(text("c", "b", "3")).await.unwrap();
    // Group messages are not affected (R063).
    let add = crate::model::GroupOp::Add {
        group_id: "g".into(),
        name: String::new(),
        members: vec!["b".into(), "c".into()],
    };
    h.store.change_group(add).await.unwrap();
    let group = NewMessage {
        conversation_type: GROUP,
        require_member: true,
        ..checked("c", "g", "4")
    };
    h.send(group).await.unwrap();
    assert!(!h.store.blacklisted("c".into(), "b".into()).await.unwrap());
    h.close().await;
}

/// Following the offsets of each page covers every conversation and blacklisted id once, in
/// order; every page fits in a frame and carries the same version.
pub(crate) async fn settings_pages_cover_everything_once<S: ServerStore>(
    open: impl FnOnce(CommitSink) -> S,
) {
    let h = Harness::start(open);
    let long = "x".repeat(60);
    let mut changes: Vec<_> = (0..450)
        .map(|i| pin(&format!("{long}{i:03}"), Some(true), Some(5)))
        .collect();
    changes.extend((0..2500).map(|i| block(&format!("{long}{i:04}"), true)));
    h.store
        .change_settings(update("a", "", changes), None)
        .await
        .unwrap();
    let (mut conv, mut black) = (Vec::new(), Vec::new());
    let mut pages = 0;
    loop {
        let page = h
            .store
            .settings("a".into(), conv.len() as u32, black.len() as u32)
            .await
            .unwrap();
        pages += 1;
        assert_eq!(page.version, 2950);
        assert!(prost::Message::encoded_len(&page) + 64 <= SYNC_BYTES);
        conv.extend(page.conversations.into_iter().map(|c| c.target_id));
        black.extend(page.blacklist);
        if !page.has_more {
            break;
        }
    }
    assert!(pages > 2, "{pages} pages");
    let want_conv: Vec<_> = (0..450).map(|i| format!("{long}{i:03}")).collect();
    let want_black: Vec<_> = (0..2500).map(|i| format!("{long}{i:04}")).collect();
    assert_eq!(conv, want_conv);
    assert_eq!(black, want_black);
    h.close().await;
}

/// Settings never expire: pruning far in the future (inbox entries and logged requests gone)
/// and a reopen leave them and their version; the version keeps counting.
pub(crate) async fn settings_outlive_pruning<S: ServerStore>(open: impl Fn(CommitSink) -> S) {
    let h = Harness::start(&open);
    let changes = vec![
        pin("b", Some(true), None),
        type_level(PRIVATE, 2),
        SettingChange::User(Change::QuietHours(quiet())),
        block("b", true),
    ];
    h.store
        .change_settings(update("a", "phone", changes), key("a", "s"))
        .await
        .unwrap();
    let before = first_page(&h, "a").await;
    let later = crate::util::now_ms() + 30 * 86_400_000;
    h.store
        .prune(PruneCutoffs {
            history_before: Some(later),
            ..offline_cutoff(later)
        })
        .await
        .unwrap();
    assert!(h.inbox("a").await.is_empty());
    h.close().await;

    let h = Harness::start(&open);
    assert_eq!(first_page(&h, "a").await, before);
    assert_eq!(h.store.settings_version("a".into()).await.unwrap(), 4);
    assert!(h.store.blacklisted("a".into(), "b".into()).await.unwrap());
    let err = h.send(NewMessage {
        check_blacklist: true,
        ..text("b", "a", "1")
    });
    assert_eq!(
        code_of(&err.await.unwrap_err()),
        Some(codes::REJECTED_BY_BLACKLIST)
    );
    h.store
        .change_settings(update("a", "", vec![block("b", false)]), None)
        .await
        .unwrap();
    assert_eq!(h.store.settings_version("a".into()).await.unwrap(), 5);
    h.close().await;
}
