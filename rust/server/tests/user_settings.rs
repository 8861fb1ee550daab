//! User settings kept by the server: changes reach the user's other devices at once with the
//! version they produced, a new device reads everything at login (`ConnectAck.
//! settings_version`, `SettingsRequest` pages), settings never expire, and every malformed
//! change has its code.

mod common;
mod settings_common;

use common::*;
use rcim_proto::v1::{change_user_setting, request, user_setting_changed, ChangeUserSetting};
use rcim_proto::{codes, conversation_type};
use rcim_server::RunningServer;
use settings_common::*;
use std::path::Path;

const DAY_MS: i64 = 86_400_000;

async fn start_with_rate(dir: &Path, rate: u32) -> RunningServer {
    let mut cfg = config(dir);
    cfg.request_rate_per_sec = rate;
    rcim_server::start(cfg).await.expect("server starts")
}

#[tokio::test]
async fn changes_reach_the_other_device_with_their_version() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let mut login = Login::new("a", "desk");
    login.platform = rcim_proto::v1::Platform::Desktop;
    let (mut desk, ack) = RawClient::login(addr, login).await;
    assert_eq!((ack.code, ack.settings_version), (0, 0));
    let mut phone = RawClient::connect(addr, "a", "phone").await;
    let mut b = RawClient::connect(addr, "b", "db").await;

    let q = quiet("22:00:00", 480, 1);
    let changes = [
        type_level(conversation_type::GROUP, 5),
        quiet_hours(q.clone()),
        blacklist("b", true),
        quiet_removed(),
        blacklist("b", false),
    ];
    for (n, change) in changes.into_iter().enumerate() {
        assert_eq!(user_setting(&mut phone, change.clone()).await, codes::OK);
        let pushed = next_event(&mut desk).await;
        let s = as_user_setting(&pushed);
        assert_eq!(s.settings_version, n as u64 + 1);
        assert_eq!(s.device_id, "phone");
        assert!(s.operation_time > 0);
        let expected = match change {
            change_user_setting::Change::TypeLevel(t) => user_setting_changed::Change::TypeLevel(t),
            change_user_setting::Change::QuietHours(q) => {
                user_setting_changed::Change::QuietHours(q)
            }
            change_user_setting::Change::QuietHoursRemoved(r) => {
                user_setting_changed::Change::QuietHoursRemoved(r)
            }
            change_user_setting::Change::Blacklist(b) => user_setting_changed::Change::Blacklist(b),
            change_user_setting::Change::PushLanguage(l) => {
                user_setting_changed::Change::PushLanguage(l)
            }
            change_user_setting::Change::PushContentShow(v) => {
                user_setting_changed::Change::PushContentShow(v)
            }
            change_user_setting::Change::PushReceive(v) => {
                user_setting_changed::Change::PushReceive(v)
            }
        };
        assert_eq!(s.change, Some(expected));
    }
    // A conversation setting from the other device: version 6 on the phone.
    assert_eq!(
        conversation(&mut desk, "b", Some(true), None).await,
        codes::OK
    );
    let s = as_conversation_setting(&next_event(&mut phone).await).clone();
    assert_eq!(
        (s.settings_version, s.device_id.as_str(), s.top),
        (6, "desk", Some(true))
    );
    // The peer hears nothing.
    assert!(b
        .try_recv(std::time::Duration::from_millis(200))
        .await
        .is_none());

    // A later login learns the version; the settings read back as they are now.
    let (mut tablet, ack) = RawClient::login(addr, Login::new("a", "tablet")).await;
    assert_eq!((ack.code, ack.settings_version), (0, 6));
    let page = settings_page(&mut tablet, 0, 0).await;
    assert_eq!(page.version, 6);
    assert_eq!(page.type_levels.get(&conversation_type::GROUP), Some(&5));
    assert_eq!(page.quiet_hours, None);
    assert!(page.blacklist.is_empty());
    assert_eq!(targets(&page.conversations), ["b"]);
    assert!(page.conversations[0].top);
    server.shutdown().await;
}

/// A new device reads every setting at login, conversations over several pages.
#[tokio::test]
async fn a_fresh_device_gets_everything_at_login() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start_with_rate(dir.path(), 10_000).await;
    let addr = server.gateway_addr();
    let mut phone = RawClient::connect(addr, "a", "phone").await;
    // More conversations than one page holds (200).
    let want: Vec<String> = (0..250).map(|i| format!("peer{i:03}")).collect();
    for (i, target) in want.iter().enumerate() {
        let level = (i % 2 == 0).then_some(5);
        assert_eq!(conversation(&mut phone, target, Some(true), level).await, 0);
    }
    let q = quiet("23:00:00", 1439, 2);
    for change in [
        type_level(conversation_type::PRIVATE, 2),
        type_level(conversation_type::SYSTEM, 5),
        type_level(conversation_type::ULTRA_GROUP, 0),
        quiet_hours(q.clone()),
        blacklist("x1", true),
        blacklist("x2", true),
    ] {
        assert_eq!(user_setting(&mut phone, change).await, 0);
    }
    let (mut fresh, ack) = RawClient::login(addr, Login::new("a", "fresh")).await;
    assert_eq!(ack.settings_version, 256);
    let (all, pages) = all_settings(&mut fresh).await;
    assert!(pages >= 2, "{pages} pages");
    assert_eq!(all.version, 256);
    assert_eq!(targets(&all.conversations), want);
    assert!(all.conversations.iter().all(|c| c.top));
    assert_eq!(all.conversations[0].notification_level, 5);
    // Level NONE (1): not set.
    assert_eq!(all.conversations[1].notification_level, 1);
    assert_eq!(all.type_levels.len(), 3);
    assert_eq!(all.type_levels[&conversation_type::PRIVATE], 2);
    assert_eq!(all.type_levels[&conversation_type::SYSTEM], 5);
    assert_eq!(all.type_levels[&conversation_type::ULTRA_GROUP], 0);
    assert_eq!(all.quiet_hours, Some(q));
    assert_eq!(all.blacklist, ["x1", "x2"]);
    server.shutdown().await;
}

/// Nothing of the settings expires: 8 days later (past the 7-day inbox retention, across a
/// restart) a fresh device still gets them all and its inbox holds none of the old entries.
#[tokio::test]
async fn settings_survive_eight_days() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let mut phone = RawClient::connect(server.gateway_addr(), "a", "phone").await;
    assert_eq!(conversation(&mut phone, "b", Some(true), Some(2)).await, 0);
    assert_eq!(
        user_setting(&mut phone, type_level(conversation_type::GROUP, 4)).await,
        0
    );
    let q = quiet("00:00:00", 1439, 2);
    assert_eq!(user_setting(&mut phone, quiet_hours(q.clone())).await, 0);
    assert_eq!(user_setting(&mut phone, blacklist("b", true)).await, 0);
    let before = all_settings(&mut phone).await.0;
    drop(phone);
    server.prune_as_of(now_ms() + 8 * DAY_MS).await.unwrap();
    server.shutdown().await;

    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let (mut fresh, ack) = RawClient::login(addr, Login::new("a", "fresh")).await;
    assert_eq!((ack.code, ack.settings_version), (0, 4));
    assert!(
        fresh.sync(0, 0).await.entries.is_empty(),
        "the entries were pruned"
    );
    let after = all_settings(&mut fresh).await.0;
    assert_eq!(after, before);
    assert_eq!(after.quiet_hours, Some(q));
    assert_eq!(after.type_levels[&conversation_type::GROUP], 4);
    assert_eq!(after.blacklist, ["b"]);
    let c = &after.conversations[0];
    assert_eq!(
        (c.target_id.as_str(), c.top, c.notification_level),
        ("b", true, 2)
    );
    // The blacklist is still enforced, and versions go on from where they were.
    let mut b = RawClient::connect(addr, "b", "db").await;
    assert_eq!(b.send_text(&fresh_request_id(), "a", "hi").await.code, 405);
    assert_eq!(user_setting(&mut fresh, blacklist("b", false)).await, 0);
    assert_eq!(settings_page(&mut fresh, 0, 0).await.version, 5);
    assert_eq!(b.send_text(&fresh_request_id(), "a", "hi").await.code, 0);
    server.shutdown().await;
}

/// Every malformed change is 33003 and changes nothing; beyond the request rate 20604.
#[tokio::test]
async fn malformed_changes_are_refused() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start_with_rate(dir.path(), 1000).await;
    let mut a = RawClient::connect(server.gateway_addr(), "a", "phone").await;
    let long_id = "u".repeat(65);
    let refused = [
        type_level(conversation_type::CHATROOM, 5),
        type_level(0, 5),
        type_level(6, 5),
        type_level(conversation_type::GROUP, 6),
        quiet_hours(quiet("24:00:00", 60, 1)),
        quiet_hours(quiet("7:00:00", 60, 1)),
        quiet_hours(quiet("07:00", 60, 1)),
        quiet_hours(quiet("07:60:00", 60, 1)),
        quiet_hours(quiet("07:00:00", 0, 1)),
        quiet_hours(quiet("07:00:00", 1440, 1)),
        quiet_hours(quiet("07:00:00", 60, 3)),
        blacklist("", true),
        blacklist(&long_id, true),
        blacklist("a", true),
    ];
    for change in refused {
        let what = format!("{change:?}");
        assert_eq!(
            user_setting(&mut a, change).await,
            codes::PARAMETER_INVALID,
            "{what}"
        );
    }
    // No change at all; no request id.
    let empty = request::Body::UserSetting(ChangeUserSetting { change: None });
    assert_eq!(
        call(&mut a, &fresh_request_id(), empty).await.code,
        codes::PARAMETER_INVALID
    );
    let body = request::Body::UserSetting(ChangeUserSetting {
        change: Some(blacklist("b", true)),
    });
    assert_eq!(call(&mut a, "", body).await.code, codes::PARAMETER_INVALID);
    assert!(a.sync(0, 0).await.entries.is_empty());
    assert_eq!(settings_page(&mut a, 0, 0).await.version, 0);
    // The edges are accepted.
    for change in [
        quiet_hours(quiet("23:59:59", 1, 0)),
        quiet_hours(quiet("00:00:00", 1439, 2)),
        type_level(conversation_type::PRIVATE, 0),
        blacklist(&"u".repeat(64), true),
    ] {
        assert_eq!(user_setting(&mut a, change).await, codes::OK);
    }
    server.shutdown().await;

    // Settings changes and pages count for the request rate.
    let dir = tempfile::tempdir().unwrap();
    let server = start_with_rate(dir.path(), 2).await;
    let mut a = RawClient::connect(server.gateway_addr(), "a", "phone").await;
    let mut codes_seen = Vec::new();
    for _ in 0..2 {
        codes_seen.push(user_setting(&mut a, type_level(conversation_type::GROUP, 5)).await);
    }
    let body = request::Body::Settings(Default::default());
    codes_seen.push(call(&mut a, "", body).await.code);
    assert_eq!(codes_seen, [0, 0, codes::SEND_MSG_FREQUENCY_OVERRUN]);
    server.shutdown().await;
}

/// A resend of an executed change (same request id) changes nothing more and is answered 0,
/// also over the rate.
#[tokio::test]
async fn a_resent_change_is_applied_once() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start_with_rate(dir.path(), 1).await;
    let mut a = RawClient::connect(server.gateway_addr(), "a", "phone").await;
    let body = || {
        request::Body::UserSetting(ChangeUserSetting {
            change: Some(blacklist("b", true)),
        })
    };
    let id = fresh_request_id();
    assert_eq!(call(&mut a, &id, body()).await.code, 0);
    assert_eq!(call(&mut a, &id, body()).await.code, 0);
    assert_eq!(a.sync(0, 0).await.entries.len(), 1);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let page = settings_page(&mut a, 0, 0).await;
    assert_eq!(page.version, 1);
    server.shutdown().await;
}
