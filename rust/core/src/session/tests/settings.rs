//! User settings in the session: the read at login when the server's version differs, live
//! entries skipped up to the applied version, level changes made elsewhere announced as a
//! top-status sync, and the user-level setting calls through the operation queue.

use super::*;
use crate::session::Operation;
use rcim_proto::v1::{
    user_setting_changed, BlacklistChange, ConversationSetting, ConversationSettingState,
    QuietHours, SettingsRequest, TypeNotificationLevel, UserSettingChanged, UserSettings,
};
use rcim_store::{QuietHoursRow, UserSettingUpdate};

fn ack(settings_version: u64) -> Input {
    Input::Opened(ConnectAck {
        code: 0,
        user_id: "alice".into(),
        server_time: 0,
        inbox_head: 0,
        heartbeat_secs: 1,
        compensation_after: 0,
        settings_version,
        inbox_epoch: 0,
    })
}

fn settings_reads(actions: &[Action]) -> Vec<(u64, SettingsRequest)> {
    requests(actions)
        .into_iter()
        .filter_map(|(seq, r)| match r.body {
            Some(request::Body::Settings(s)) => {
                assert!(r.request_id.is_empty(), "a read has no request id");
                Some((seq, s))
            }
            _ => None,
        })
        .collect()
}

fn state(target: &str, top: bool, level: u32) -> ConversationSettingState {
    ConversationSettingState {
        conversation_type: 1,
        target_id: target.into(),
        channel_id: String::new(),
        top,
        notification_level: level,
        operation_time: 5,
    }
}

fn page(version: u64, has_more: bool) -> UserSettings {
    UserSettings {
        version,
        has_more,
        ..UserSettings::default()
    }
}

fn settings_answer(h: &mut Harness, seq: u64, page: UserSettings) -> Vec<Action> {
    h.respond(seq, 0, Some(response::Body::Settings(page)))
}

fn push(h: &mut Harness, seq: u64, body: inbox_entry::Body) -> Vec<Action> {
    h.frame(
        0,
        server_frame::Body::Push(InboxPush {
            entry: Some(InboxEntry {
                seq,
                body: Some(body),
            }),
        }),
    )
}

fn user_entry(
    version: u64,
    device: &str,
    change: user_setting_changed::Change,
) -> inbox_entry::Body {
    inbox_entry::Body::UserSetting(UserSettingChanged {
        change: Some(change),
        device_id: device.into(),
        operation_time: 9,
        settings_version: version,
    })
}

fn blacklist(user: &str, blocked: bool) -> user_setting_changed::Change {
    user_setting_changed::Change::Blacklist(BlacklistChange {
        user_id: user.into(),
        blocked,
    })
}

fn conversation_entry(
    version: u64,
    device: &str,
    top: Option<bool>,
    level: Option<u32>,
) -> inbox_entry::Body {
    inbox_entry::Body::ConversationSetting(ConversationSetting {
        conversation_type: 1,
        target_id: "bob".into(),
        channel_id: String::new(),
        top,
        notification_level: level,
        device_id: device.into(),
        operation_time: 7,
        settings_version: version,
    })
}

/// Connected with the server's settings at `version` 3, read in two pages and applied.
fn online_with_settings() -> Harness {
    let mut h = Harness::new();
    let out = h.feed(ack(3));
    assert!(
        sync_seqs(&out).is_empty(),
        "the inbox waits for the settings"
    );
    let reads = settings_reads(&out);
    assert_eq!(reads.len(), 1);
    assert_eq!(reads[0].1, SettingsRequest::default());
    let mut first = page(3, true);
    // Pinned, level not set (NONE, as the server keeps it).
    first.conversations = vec![state("bob", true, 1)];
    first.blacklist = vec!["mallory".into()];
    let out = settings_answer(&mut h, reads[0].0, first);
    assert!(sync_seqs(&out).is_empty());
    let reads = settings_reads(&out);
    assert_eq!(
        reads[0].1,
        SettingsRequest {
            conversation_offset: 1,
            blacklist_offset: 1,
        }
    );
    let mut last = page(3, false);
    last.conversations = vec![state("carol", false, 5)];
    last.blacklist = vec!["trudy".into()];
    last.type_levels = [(2, 5)].into_iter().collect();
    last.quiet_hours = Some(QuietHours {
        start_time: "22:00:00".into(),
        span_minutes: 480,
        level: 2,
        utc_offset_minutes: 60,
    });
    let out = settings_answer(&mut h, reads[0].0, last);
    // Pin and level changes made elsewhere are announced.
    assert_eq!(
        events(&out),
        vec![
            Event::ConversationTopStatusSynced {
                key: ConversationKey::new(1, "bob", ""),
                top: true,
            },
            Event::ConversationTopStatusSynced {
                key: ConversationKey::new(1, "carol", ""),
                top: false,
            },
        ]
    );
    let sync = sync_seqs(&out);
    assert_eq!(
        sync.len(),
        1,
        "the inbox syncs once the settings are stored"
    );
    h.respond(
        sync[0],
        0,
        Some(response::Body::Sync(SyncPackage {
            entries: vec![],
            has_more: false,
            inbox_head: 0,
        })),
    );
    h
}

#[test]
fn a_login_with_another_settings_version_reads_and_applies_them_before_syncing() {
    let h = online_with_settings();
    let s = &h.store;
    assert_eq!(s.settings_version().unwrap(), 3);
    assert_eq!(s.blacklist().unwrap(), vec!["mallory", "trudy"]);
    assert!(s
        .conversation_top(&ConversationKey::new(1, "bob", ""))
        .unwrap());
    assert_eq!(
        s.conversation_notification_level(&ConversationKey::new(1, "carol", ""))
            .unwrap(),
        5
    );
    assert_eq!(s.type_notification_level(2).unwrap(), 5);
    assert_eq!(s.quiet_hours().unwrap().unwrap().start_time, "22:00:00");
}

#[test]
fn the_same_version_reads_nothing_and_a_version_change_between_pages_starts_again() {
    let mut store = Store::open_in_memory().unwrap();
    store.set_settings_version(7).unwrap();
    let mut h = Harness::with_store(store);
    let out = h.feed(ack(7));
    assert!(settings_reads(&out).is_empty());
    assert_eq!(sync_seqs(&out).len(), 1);

    let mut h = Harness::new();
    let out = h.feed(ack(3));
    let seq = settings_reads(&out)[0].0;
    let mut first = page(3, true);
    first.blacklist = vec!["a".into()];
    let out = settings_answer(&mut h, seq, first);
    let seq = settings_reads(&out)[0].0;
    // Changed meanwhile: the next page has version 4.
    let out = settings_answer(&mut h, seq, page(4, true));
    let reads = settings_reads(&out);
    assert_eq!(reads[0].1, SettingsRequest::default());
    let mut whole = page(4, false);
    whole.blacklist = vec!["b".into()];
    let out = settings_answer(&mut h, reads[0].0, whole);
    assert_eq!(sync_seqs(&out).len(), 1);
    assert_eq!(h.store.blacklist().unwrap(), vec!["b"]);
    assert_eq!(h.store.settings_version().unwrap(), 4);
}

#[test]
fn settings_changing_during_every_read_stop_holding_the_inbox_after_a_few_restarts() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .apply_user_setting(&UserSettingUpdate::Blacklist {
            user_id: "stale".into(),
            blocked: true,
        })
        .unwrap();
    let mut h = Harness::with_store(store);
    let out = h.feed(ack(3));
    let mut seq = settings_reads(&out)[0].0;
    // A script changes the settings between every two pages.
    let mut version = 3;
    for restart in 0..=crate::session::settings::MAX_READ_RESTARTS {
        let mut first = page(version, true);
        first.blacklist = vec![format!("first{restart}")];
        let out = settings_answer(&mut h, seq, first);
        seq = settings_reads(&out)[0].0;
        version += 1;
        let mut second = page(version, true);
        second.blacklist = vec![format!("second{restart}")];
        let out = settings_answer(&mut h, seq, second);
        assert!(sync_seqs(&out).is_empty(), "the inbox waits");
        let reads = settings_reads(&out);
        assert_eq!(reads.len(), 1);
        seq = reads[0].0;
        if restart < crate::session::settings::MAX_READ_RESTARTS {
            assert_eq!(reads[0].1, SettingsRequest::default(), "starts over");
        } else {
            // No more restarts: the read goes on with the third page.
            assert_eq!(reads[0].1.blacklist_offset, 2);
        }
    }
    let mut last = page(version + 1, false);
    last.blacklist = vec!["third".into()];
    let out = settings_answer(&mut h, seq, last);
    let sync = sync_seqs(&out);
    assert_eq!(sync.len(), 1, "the inbox is released");
    // The pages read are stored, as of no version: the next login reads again.
    assert_eq!(
        h.store.blacklist().unwrap(),
        vec!["first3", "second3", "third"]
    );
    assert_eq!(h.store.settings_version().unwrap(), 0);
    // The changes' entries apply on top, none skipped as contained.
    let entry = InboxEntry {
        seq: 1,
        body: Some(user_entry(5, "", blacklist("second3", false))),
    };
    h.respond(
        sync[0],
        0,
        Some(response::Body::Sync(SyncPackage {
            entries: vec![entry],
            has_more: false,
            inbox_head: 1,
        })),
    );
    assert_eq!(h.store.blacklist().unwrap(), vec!["first3", "third"]);
    assert_eq!(h.store.settings_version().unwrap(), 0);
}

#[test]
fn a_refused_settings_read_does_not_block_the_inbox() {
    let mut h = Harness::new();
    let out = h.feed(ack(3));
    let seq = settings_reads(&out)[0].0;
    let out = h.respond(seq, 33003, None);
    assert_eq!(sync_seqs(&out).len(), 1);
    assert_eq!(h.store.settings_version().unwrap(), 0);
}

#[test]
fn live_entries_up_to_the_applied_version_are_skipped_and_newer_ones_applied() {
    let mut h = online_with_settings();
    // Version 3 is in the snapshot already: its entry would unpin bob again.
    let out = push(
        &mut h,
        1,
        conversation_entry(3, "tablet", Some(false), None),
    );
    assert!(events(&out).is_empty());
    assert!(h
        .store
        .conversation_top(&ConversationKey::new(1, "bob", ""))
        .unwrap());
    // Version 4 from the Server API: applied, the version moves on.
    push(&mut h, 2, user_entry(4, "", blacklist("eve", true)));
    assert!(h.store.in_blacklist("eve").unwrap());
    assert_eq!(h.store.settings_version().unwrap(), 4);
    // An older entry is skipped.
    push(&mut h, 3, user_entry(2, "tablet", blacklist("eve", false)));
    assert!(h.store.in_blacklist("eve").unwrap());
    // A level changed on another device: announced with the current pin state.
    let out = push(&mut h, 4, conversation_entry(5, "tablet", None, Some(5)));
    assert_eq!(
        events(&out),
        vec![Event::ConversationTopStatusSynced {
            key: ConversationKey::new(1, "bob", ""),
            top: true,
        }]
    );
    assert_eq!(
        h.store
            .conversation_notification_level(&ConversationKey::new(1, "bob", ""))
            .unwrap(),
        5
    );
    // The same change made on this device is not announced.
    let out = push(&mut h, 5, conversation_entry(6, "phone", None, Some(2)));
    assert!(events(&out).is_empty());
    // A gap in the versions: applied, but the applied version stays (the next login reads).
    push(
        &mut h,
        6,
        user_entry(
            9,
            "tablet",
            user_setting_changed::Change::TypeLevel(TypeNotificationLevel {
                conversation_type: 1,
                level: 5,
            }),
        ),
    );
    assert_eq!(h.store.type_notification_level(1).unwrap(), 5);
    assert_eq!(h.store.settings_version().unwrap(), 6);
}

fn change(update: UserSettingUpdate, event_id: &str) -> Input {
    Input::Command(Command::Operation(Operation::user_setting(
        &update,
        Some(event_id.into()),
    )))
}

#[test]
fn user_setting_calls_are_queued_requests_reported_by_their_events() {
    let mut h = Harness::online();
    let quiet = QuietHoursRow {
        start_time: "23:00:00".into(),
        span_minutes: 60,
        level: 1,
        utc_offset_minutes: 480,
    };
    let calls = [
        (
            UserSettingUpdate::TypeLevel {
                conversation_type: 2,
                level: 5,
            },
            Event::ConversationTypeNotificationLevelChanged {
                code: 0,
                conversation_type: 2,
                level: 5,
                event_id: Some("e".into()),
            },
        ),
        (
            UserSettingUpdate::QuietHours(quiet.clone()),
            Event::NotificationQuietHoursChanged {
                code: 0,
                start_time: "23:00:00".into(),
                span_minutes: 60,
                level: 1,
                event_id: Some("e".into()),
            },
        ),
        (
            UserSettingUpdate::Blacklist {
                user_id: "eve".into(),
                blocked: true,
            },
            Event::BlacklistAdded {
                code: 0,
                user_id: "eve".into(),
                event_id: Some("e".into()),
            },
        ),
    ];
    for (update, expected) in calls {
        let out = h.feed(change(update, "e"));
        let sent = ops(&out);
        assert_eq!(sent.len(), 1);
        assert!(!sent[0].1.request_id.is_empty(), "a queued request");
        assert!(matches!(
            sent[0].1.body,
            Some(request::Body::UserSetting(_))
        ));
        let out = h.respond(sent[0].0, 0, None);
        assert_eq!(events(&out), vec![expected]);
    }
    assert_eq!(h.store.type_notification_level(2).unwrap(), 5);
    assert_eq!(h.store.quiet_hours().unwrap(), Some(quiet));
    assert!(h.store.in_blacklist("eve").unwrap());
    // A refusal is reported with its code and changes nothing.
    let out = h.feed(change(UserSettingUpdate::QuietHoursRemoved, "r"));
    let out = h.respond(ops(&out)[0].0, 33003, None);
    assert_eq!(
        events(&out),
        vec![Event::NotificationQuietHoursRemoved {
            code: 33003,
            event_id: Some("r".into()),
        }]
    );
    assert!(h.store.quiet_hours().unwrap().is_some());
    let out = h.feed(change(
        UserSettingUpdate::Blacklist {
            user_id: "eve".into(),
            blocked: false,
        },
        "b",
    ));
    let out = h.respond(ops(&out)[0].0, 0, None);
    assert_eq!(
        events(&out),
        vec![Event::BlacklistRemoved {
            code: 0,
            user_id: "eve".into(),
            event_id: Some("b".into()),
        }]
    );
    assert!(!h.store.in_blacklist("eve").unwrap());
}

#[test]
fn an_unanswered_settings_read_gives_way_to_the_inbox_after_the_ack_timeout() {
    let mut h = Harness::new();
    let out = h.feed(ack(3));
    assert_eq!(settings_reads(&out).len(), 1);
    let mut later = Vec::new();
    for _ in 0..22 {
        later.extend(h.advance(Duration::from_secs(1)));
        // The connection itself is alive.
        h.frame(0, server_frame::Body::Pong(Pong { server_time: 0 }));
        if !sync_seqs(&later).is_empty() {
            break;
        }
    }
    assert_eq!(sync_seqs(&later).len(), 1);
    assert_eq!(h.store.settings_version().unwrap(), 0);
}

#[test]
fn live_entries_wait_while_the_settings_are_read() {
    let mut h = Harness::new();
    let out = h.feed(ack(3));
    let seq = settings_reads(&out)[0].0;
    // A change made after the snapshot was taken arrives first: not applied yet (the older
    // snapshot would overwrite it), fetched by the sync that follows.
    let out = push(&mut h, 1, user_entry(4, "tablet", blacklist("eve", true)));
    assert!(out.iter().all(|a| !matches!(a, Action::Send(_))));
    assert!(!h.store.in_blacklist("eve").unwrap());
    let out = settings_answer(&mut h, seq, page(3, false));
    let sync = sync_seqs(&out);
    assert_eq!(sync.len(), 1);
    let entry = InboxEntry {
        seq: 1,
        body: Some(user_entry(4, "tablet", blacklist("eve", true))),
    };
    h.respond(
        sync[0],
        0,
        Some(response::Body::Sync(SyncPackage {
            entries: vec![entry],
            has_more: false,
            inbox_head: 1,
        })),
    );
    assert!(h.store.in_blacklist("eve").unwrap());
    assert_eq!(h.store.settings_version().unwrap(), 4);
}
