//! Conformance checks of the push store: device registrations (a token moves to its latest
//! device, `receive_push`, unregistered tokens, badges), push settings as versioned user
//! settings, the batched read of a message's recipients, templates and display names.

use super::{code_of, key, kinds, offline_cutoff, Harness};
use crate::model::{GroupOp, PruneCutoffs};
use crate::push::records::{
    PushDevice, PushQuery, PushReceiver, PushTemplate, TemplateText, MAX_PUSH_DEVICES,
    MAX_TEMPLATES, TEMPLATES_FULL,
};
use crate::push::ProviderKind;
use crate::settings::{SettingChange, SettingsUpdate};
use crate::store::contract::{CommitSink, ServerStore};
use rcim_proto::conversation_type::{GROUP, PRIVATE};
use rcim_proto::v1::{
    inbox_entry, user_setting_changed::Change, ChangeConversationSetting, PushSettings, QuietHours,
    TypeNotificationLevel,
};

fn device(id: &str, provider: ProviderKind, token: &str) -> PushDevice {
    PushDevice {
        device_id: id.into(),
        provider,
        token: token.into(),
    }
}

fn apns(id: &str, token: &str) -> PushDevice {
    device(id, ProviderKind::Apns, token)
}

fn fcm(id: &str, token: &str) -> PushDevice {
    device(id, ProviderKind::Fcm, token)
}

/// A decision time after every connect so far (the store's clock is in ms).
fn decided_now() -> i64 {
    crate::util::now_ms() + 1
}

/// Lets the store's clock move on, so that writes before and after have distinct times.
async fn tick() {
    tokio::time::sleep(std::time::Duration::from_millis(3)).await;
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(u, d)| (u.to_string(), d.to_string()))
        .collect()
}

async fn connect(h: &Harness, user: &str, d: Option<PushDevice>, device_id: &str) {
    h.store
        .push_device_connected(user.into(), device_id.into(), d)
        .await
        .unwrap();
}

/// The registered devices of `user` (enabled ones only).
async fn devices_of(h: &Harness, user: &str) -> Vec<PushDevice> {
    let r = h.store.push_devices(vec![user.into()]).await.unwrap();
    r.into_iter().flat_map(|r| r.devices).collect()
}

fn settings_change(user: &str, change: Change) -> SettingsUpdate {
    SettingsUpdate {
        user_id: user.into(),
        device_id: "phone".into(),
        changes: vec![SettingChange::User(change)],
    }
}

/// A registration is kept per (user, device); a token registered again moves to its new
/// device (also of another user); `receive_push` false hides a device until it connects
/// again; an unregistered token is forgotten; badges count pushes since the last connect.
pub(crate) async fn push_registrations<S: ServerStore>(open: impl Fn(CommitSink) -> S) {
    let h = Harness::start(&open);
    assert!(devices_of(&h, "a").await.is_empty());
    // Connecting without a token registers nothing.
    connect(&h, "a", None, "d0").await;
    assert!(devices_of(&h, "a").await.is_empty());
    connect(&h, "a", Some(apns("d1", "t1")), "d1").await;
    connect(&h, "a", Some(fcm("d2", "t2")), "d2").await;
    assert_eq!(
        devices_of(&h, "a").await,
        [apns("d1", "t1"), fcm("d2", "t2")]
    );
    // The same token text of another provider is another registration.
    connect(&h, "b", Some(fcm("e1", "t1")), "e1").await;
    assert_eq!(devices_of(&h, "b").await, [fcm("e1", "t1")]);
    // The phone d2 changes users: its token leaves a.
    connect(&h, "b", Some(fcm("e2", "t2")), "e2").await;
    assert_eq!(devices_of(&h, "a").await, [apns("d1", "t1")]);
    assert_eq!(
        devices_of(&h, "b").await,
        [fcm("e1", "t1"), fcm("e2", "t2")]
    );
    // A new token replaces the device's old one.
    connect(&h, "a", Some(apns("d1", "t1b")), "d1").await;
    assert_eq!(devices_of(&h, "a").await, [apns("d1", "t1b")]);

    // Badges: +1 per push, in order; back to 0 when the device connects (with or without
    // its token); an unknown device has none.
    let bumped = h
        .store
        .bump_badges(
            pairs(&[("a", "d1"), ("b", "e1"), ("a", "d1"), ("x", "y")]),
            decided_now(),
        )
        .await
        .unwrap();
    assert_eq!(bumped, [1, 1, 2, 0]);
    connect(&h, "a", None, "d1").await;
    let bumped = h
        .store
        .bump_badges(pairs(&[("a", "d1"), ("b", "e1")]), decided_now())
        .await
        .unwrap();
    assert_eq!(bumped, [1, 2]);
    assert!(h
        .store
        .bump_badges(Vec::new(), decided_now())
        .await
        .unwrap()
        .is_empty());

    // Disconnect{receive_push: false}: the device gets no pushes until it connects again.
    h.store
        .set_push_enabled("b".into(), "e1".into(), false)
        .await
        .unwrap();
    assert_eq!(devices_of(&h, "b").await, [fcm("e2", "t2")]);
    h.store
        .set_push_enabled("b".into(), "e1".into(), true)
        .await
        .unwrap();
    assert_eq!(devices_of(&h, "b").await.len(), 2);
    h.store
        .set_push_enabled("b".into(), "e1".into(), false)
        .await
        .unwrap();
    connect(&h, "b", None, "e1").await;
    assert_eq!(devices_of(&h, "b").await.len(), 2);
    h.store
        .set_push_enabled("b".into(), "e1".into(), false)
        .await
        .unwrap();

    // The provider called t2 unregistered: whichever device holds it loses it.
    h.store.remove_push_token(fcm("", "t2")).await.unwrap();
    assert!(devices_of(&h, "b").await.is_empty());
    // Unknown tokens and devices change nothing.
    h.store.remove_push_token(apns("", "none")).await.unwrap();
    h.store
        .set_push_enabled("x".into(), "y".into(), false)
        .await
        .unwrap();

    // Registrations survive pruning and a reopen (b's e1 still disabled).
    h.store
        .prune(PruneCutoffs {
            history_before: Some(i64::MAX),
            ..offline_cutoff(i64::MAX)
        })
        .await
        .unwrap();
    h.close().await;
    let h = Harness::start(&open);
    assert_eq!(devices_of(&h, "a").await, [apns("d1", "t1b")]);
    assert!(devices_of(&h, "b").await.is_empty());
    connect(&h, "b", None, "e1").await;
    assert_eq!(devices_of(&h, "b").await, [fcm("e1", "t1")]);
    h.close().await;
}

/// A user keeps at most MAX_PUSH_DEVICES registrations: one more evicts the device that
/// connected least recently (a connect without a token counts, disabling does not);
/// registering a device again, or another user's devices, evict nothing.
pub(crate) async fn push_devices_are_capped_per_user<S: ServerStore>(
    open: impl FnOnce(CommitSink) -> S,
) {
    let h = Harness::start(open);
    connect(&h, "b", Some(fcm("b0", "tb0")), "b0").await;
    let ids: Vec<String> = (0..MAX_PUSH_DEVICES).map(|i| format!("d{i:02}")).collect();
    for id in &ids {
        tick().await;
        connect(&h, "a", Some(fcm(id, &format!("t{id}"))), id).await;
    }
    assert_eq!(devices_of(&h, "a").await.len(), MAX_PUSH_DEVICES);
    // d00 connects again (without its token), d01 is then the least recent; disabling d02
    // does not make it recent.
    tick().await;
    connect(&h, "a", None, "d00").await;
    h.store
        .set_push_enabled("a".into(), "d02".into(), false)
        .await
        .unwrap();
    h.store
        .set_push_enabled("a".into(), "d02".into(), true)
        .await
        .unwrap();
    tick().await;
    connect(&h, "a", Some(fcm("new", "tnew")), "new").await;
    let kept: Vec<String> = devices_of(&h, "a")
        .await
        .into_iter()
        .map(|d| d.device_id)
        .collect();
    let mut expected: Vec<String> = ids.iter().filter(|i| *i != "d01").cloned().collect();
    expected.push("new".into());
    assert_eq!(kept, expected);
    tick().await;
    connect(&h, "a", Some(fcm("new", "tnew")), "new").await;
    assert_eq!(devices_of(&h, "a").await.len(), MAX_PUSH_DEVICES);
    // d02 is now the least recent.
    tick().await;
    connect(&h, "a", Some(fcm("newer", "tnewer")), "newer").await;
    let kept = devices_of(&h, "a").await;
    assert_eq!(kept.len(), MAX_PUSH_DEVICES);
    assert!(kept.iter().all(|d| d.device_id != "d02"), "{kept:?}");
    assert!(kept.iter().any(|d| d.device_id == "newer"), "{kept:?}");
    assert_eq!(devices_of(&h, "b").await, [fcm("b0", "tb0")]);
    h.close().await;
}

/// A badge counts the pushes decided after its device last connected: a push decided before
/// the device connected (it was offline then) does not count against the badge the connect
/// reset, and its bump returns the badge as it is.
pub(crate) async fn badges_count_pushes_since_the_last_connect<S: ServerStore>(
    open: impl FnOnce(CommitSink) -> S,
) {
    let h = Harness::start(open);
    connect(&h, "a", Some(apns("d1", "t1")), "d1").await;
    connect(&h, "a", Some(apns("d2", "t2")), "d2").await;
    let both = || pairs(&[("a", "d1"), ("a", "d2")]);
    assert_eq!(
        h.store.bump_badges(both(), decided_now()).await.unwrap(),
        [1, 1]
    );
    tick().await;
    let decided = crate::util::now_ms();
    tick().await;
    // d1 connects while the decision runs; d2 stays offline.
    connect(&h, "a", None, "d1").await;
    assert_eq!(h.store.bump_badges(both(), decided).await.unwrap(), [0, 2]);
    // The next decision counts for both.
    assert_eq!(
        h.store.bump_badges(both(), decided_now()).await.unwrap(),
        [1, 3]
    );
    // Registering a new token is a connect too.
    tick().await;
    let decided = crate::util::now_ms();
    tick().await;
    connect(&h, "a", Some(apns("d2", "t2b")), "d2").await;
    assert_eq!(h.store.bump_badges(both(), decided).await.unwrap(), [2, 0]);
    h.close().await;
}

/// The broadcast audience: users with an enabled device, by user id, in pages.
pub(crate) async fn push_audience_pages<S: ServerStore>(open: impl FnOnce(CommitSink) -> S) {
    let h = Harness::start(open);
    for (user, dev) in [("c", "1"), ("a", "1"), ("a", "2"), ("d", "1"), ("b", "1")] {
        let token = format!("{user}{dev}");
        connect(&h, user, Some(fcm(dev, &token)), dev).await;
    }
    h.store
        .set_push_enabled("d".into(), "1".into(), false)
        .await
        .unwrap();
    let page = h.store.push_audience(String::new(), 2).await.unwrap();
    assert_eq!(
        page,
        [
            ("a".to_string(), vec![fcm("1", "a1"), fcm("2", "a2")]),
            ("b".to_string(), vec![fcm("1", "b1")]),
        ]
    );
    let page = h.store.push_audience("b".into(), 2).await.unwrap();
    assert_eq!(page, [("c".to_string(), vec![fcm("1", "c1")])]);
    assert!(h
        .store
        .push_audience("c".into(), 2)
        .await
        .unwrap()
        .is_empty());
    h.close().await;
}

/// Push settings are user settings: each change bumps the version and appends its entry;
/// the settings pages carry them (absent at the defaults); they outlive pruning and a
/// reopen; the push reads see them.
pub(crate) async fn push_settings_are_versioned<S: ServerStore>(open: impl Fn(CommitSink) -> S) {
    let h = Harness::start(&open);
    let changes = [
        Change::PushLanguage("en_US".into()),
        Change::PushContentShow(false),
        Change::PushReceive(true),
    ];
    for (n, change) in changes.into_iter().enumerate() {
        for _ in 0..2 {
            h.store
                .change_settings(
                    settings_change("a", change.clone()),
                    key("a", &format!("p{n}")),
                )
                .await
                .unwrap();
        }
    }
    let inbox = h.inbox("a").await;
    assert_eq!(kinds(&inbox), ["user setting"; 3]);
    let Some(inbox_entry::Body::UserSetting(last)) = &inbox[2].body else {
        panic!("{inbox:?}")
    };
    assert_eq!(
        (
            last.change.clone(),
            last.settings_version,
            last.device_id.as_str()
        ),
        (Some(Change::PushReceive(true)), 3, "phone")
    );
    let expected = PushSettings {
        language: "en_US".into(),
        hide_content: true,
        receive_while_desktop_online: true,
    };
    let page = h.store.settings("a".into(), 0, 0).await.unwrap();
    assert_eq!(
        (page.version, page.push.clone()),
        (3, Some(expected.clone()))
    );
    assert_eq!(h.store.settings("b".into(), 0, 0).await.unwrap().push, None);

    connect(&h, "a", Some(apns("d", "t")), "d").await;
    let r = h.store.push_devices(vec!["a".into()]).await.unwrap();
    assert_eq!(r[0].settings, expected);

    h.store
        .prune(PruneCutoffs {
            history_before: Some(i64::MAX),
            ..offline_cutoff(i64::MAX)
        })
        .await
        .unwrap();
    h.close().await;
    let h = Harness::start(&open);
    let page = h.store.settings("a".into(), 0, 0).await.unwrap();
    assert_eq!((page.version, page.push), (3, Some(expected)));
    // Back to the defaults, one at a time: the page has no push settings any more.
    for change in [
        Change::PushLanguage(String::new()),
        Change::PushContentShow(true),
        Change::PushReceive(false),
    ] {
        h.store
            .change_settings(settings_change("a", change), None)
            .await
            .unwrap();
    }
    let page = h.store.settings("a".into(), 0, 0).await.unwrap();
    assert_eq!((page.version, page.push), (6, None));
    let r = h.store.push_devices(vec!["a".into()]).await.unwrap();
    assert_eq!(r[0].settings, PushSettings::default());
    h.close().await;
}

/// What the push decision reads about a message's receivers: only those with an enabled
/// device, in the receivers' order, with their settings, quiet hours, the level of the
/// message's conversation type and of their conversation with it (per channel). Thousands
/// of receivers are one call.
pub(crate) async fn push_recipients_of_a_message<S: ServerStore>(
    open: impl FnOnce(CommitSink) -> S,
) {
    let h = Harness::start(open);
    const N: usize = 3000;
    let user = |i: usize| format!("u{i:04}");
    // Every third receiver has a device (u0000 two), one of them disabled.
    let connects = (0..N).step_by(3).map(|i| {
        let store = h.store.clone();
        let u = user(i);
        async move {
            let token = format!("tok-{u}");
            store
                .push_device_connected(u.clone(), "d1".into(), Some(fcm("d1", &token)))
                .await
        }
    });
    for r in futures::future::join_all(connects).await {
        r.unwrap();
    }
    connect(&h, &user(0), Some(apns("d0", "ios-0")), "d0").await;
    h.store
        .set_push_enabled(user(3), "d1".into(), false)
        .await
        .unwrap();
    let quiet = QuietHours {
        start_time: "22:00:00".into(),
        span_minutes: 60,
        level: 1,
        utc_offset_minutes: 60,
    };
    let conv = |target: &str, channel: &str, top, level| SettingChange::Conversation {
        change: ChangeConversationSetting {
            conversation_type: GROUP,
            target_id: target.into(),
            channel_id: channel.into(),
            top,
            notification_level: level,
        },
        max_stored: usize::MAX,
    };
    let change = |u: String, changes: Vec<SettingChange>| SettingsUpdate {
        user_id: u,
        device_id: String::new(),
        changes,
    };
    let settings = [
        change(
            user(0),
            vec![
                SettingChange::User(Change::QuietHours(quiet.clone())),
                SettingChange::User(Change::TypeLevel(TypeNotificationLevel {
                    conversation_type: GROUP,
                    level: 2,
                })),
                SettingChange::User(Change::TypeLevel(TypeNotificationLevel {
                    conversation_type: PRIVATE,
                    level: 5,
                })),
                conv("g", "", None, Some(5)),
                conv("g", "other", None, Some(0)),
                conv("h", "", None, Some(4)),
                SettingChange::User(Change::PushLanguage("ar_SA".into())),
            ],
        ),
        // Pinned without a level: the level is not set.
        change(user(6), vec![conv("g", "", Some(true), None)]),
        change(user(9), vec![conv("g", "", None, Some(3))]),
        // Settings of a receiver without a device change nothing.
        change(user(1), vec![conv("g", "", None, Some(5))]),
    ];
    for s in settings {
        h.store.change_settings(s, None).await.unwrap();
    }
    let query = PushQuery {
        conversation_type: GROUP,
        channel_id: String::new(),
        receivers: (0..N)
            .rev()
            .map(|i| PushReceiver {
                user_id: user(i),
                target_id: "g".into(),
            })
            .collect(),
    };
    let recipients = h.store.push_recipients(query.clone()).await.unwrap();
    let ids: Vec<String> = recipients.iter().map(|r| r.user_id.clone()).collect();
    let expected: Vec<String> = (0..N)
        .rev()
        .filter(|i| i % 3 == 0 && *i != 3)
        .map(user)
        .collect();
    assert_eq!(ids, expected);
    let first = recipients.last().unwrap();
    assert_eq!(first.devices, [apns("d0", "ios-0"), fcm("d1", "tok-u0000")]);
    assert_eq!(first.settings.language, "ar_SA");
    assert_eq!(first.quiet_hours, Some(quiet));
    assert_eq!(
        (first.type_level, first.conversation_level),
        (Some(2), Some(5))
    );
    let of = |u: &str| recipients.iter().find(|r| r.user_id == u).unwrap();
    assert_eq!(
        (of("u0006").type_level, of("u0006").conversation_level),
        (None, None)
    );
    assert_eq!(of("u0009").conversation_level, Some(3));
    let plain = of("u0012");
    assert_eq!(plain.devices, [fcm("d1", "tok-u0012")]);
    assert_eq!(plain.settings, PushSettings::default());
    assert_eq!(
        (plain.quiet_hours.clone(), plain.conversation_level),
        (None, None)
    );

    // Another channel of the group, another conversation type.
    let in_channel = PushQuery {
        channel_id: "other".into(),
        receivers: vec![PushReceiver {
            user_id: user(0),
            target_id: "g".into(),
        }],
        ..query.clone()
    };
    let r = h.store.push_recipients(in_channel).await.unwrap();
    assert_eq!(
        (r[0].type_level, r[0].conversation_level),
        (Some(2), Some(0))
    );
    // A private message: the target is the sender, as each receiver sees it.
    let private = PushQuery {
        conversation_type: PRIVATE,
        channel_id: String::new(),
        receivers: vec![
            PushReceiver {
                user_id: user(1),
                target_id: "s".into(),
            },
            PushReceiver {
                user_id: user(0),
                target_id: "s".into(),
            },
        ],
    };
    let r = h.store.push_recipients(private).await.unwrap();
    assert_eq!(r.len(), 1);
    assert_eq!((r[0].type_level, r[0].conversation_level), (Some(5), None));
    let none = PushQuery {
        receivers: Vec::new(),
        ..query
    };
    assert!(h.store.push_recipients(none).await.unwrap().is_empty());
    h.close().await;
}

fn template(id: &str, texts: &[(&str, &str, &str)]) -> PushTemplate {
    PushTemplate {
        id: id.into(),
        texts: texts
            .iter()
            .map(|(language, title, content)| TemplateText {
                language: language.to_string(),
                title: title.to_string(),
                content: content.to_string(),
            })
            .collect(),
    }
}

/// Templates: created, replaced whole, listed by id with their languages in the order
/// given, deleted; a new one beyond the cap is refused (20605), replacing one at the cap is
/// not; they outlive a reopen. Display names come from the users and groups.
pub(crate) async fn push_templates_and_names<S: ServerStore>(open: impl Fn(CommitSink) -> S) {
    let h = Harness::start(&open);
    assert!(h.store.push_templates().await.unwrap().is_empty());
    let t1 = template(
        "t1",
        &[
            ("zh_CN", "标题", "{name} 发来消息"),
            ("en_US", "Hi", "{name} wrote"),
        ],
    );
    h.store.put_push_template(t1.clone()).await.unwrap();
    h.store
        .put_push_template(template("t0", &[("en_US", "", "x")]))
        .await
        .unwrap();
    assert_eq!(
        h.store.push_templates().await.unwrap(),
        [template("t0", &[("en_US", "", "x")]), t1]
    );
    let t1b = template("t1", &[("ar_SA", "", "مرحبا {name}")]);
    h.store.put_push_template(t1b.clone()).await.unwrap();
    assert_eq!(h.store.push_templates().await.unwrap()[1], t1b);
    assert!(h.store.delete_push_template("t0".into()).await.unwrap());
    assert!(!h.store.delete_push_template("t0".into()).await.unwrap());
    assert_eq!(h.store.push_templates().await.unwrap(), [t1b]);

    for i in 1..MAX_TEMPLATES {
        h.store
            .put_push_template(template(&format!("x{i:03}"), &[("en_US", "", "c")]))
            .await
            .unwrap();
    }
    let err = h
        .store
        .put_push_template(template("over", &[("en_US", "", "c")]))
        .await
        .unwrap_err();
    assert_eq!(code_of(&err), Some(TEMPLATES_FULL));
    h.store
        .put_push_template(template("x001", &[("zh_CN", "", "d")]))
        .await
        .unwrap();
    let all = h.store.push_templates().await.unwrap();
    assert_eq!(all.len(), MAX_TEMPLATES);
    assert!(!all.iter().any(|t| t.id == "over"));

    h.store
        .upsert_user("a".into(), Some("Alice".into()), None)
        .await
        .unwrap();
    h.store.upsert_user("b".into(), None, None).await.unwrap();
    h.store
        .change_group(GroupOp::Add {
            group_id: "g".into(),
            name: "Friends".into(),
            members: vec!["a".into()],
        })
        .await
        .unwrap();
    h.close().await;

    let h = Harness::start(&open);
    assert_eq!(h.store.push_templates().await.unwrap(), all);
    assert_eq!(h.store.user_name("a".into()).await.unwrap(), "Alice");
    assert_eq!(h.store.user_name("b".into()).await.unwrap(), "");
    assert_eq!(h.store.user_name("nobody".into()).await.unwrap(), "");
    assert_eq!(h.store.group_name("g".into()).await.unwrap(), "Friends");
    assert_eq!(h.store.group_name("nothing".into()).await.unwrap(), "");
    h.close().await;
}
