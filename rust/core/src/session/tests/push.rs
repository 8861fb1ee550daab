//! Push in the session: the device's push address on every connection attempt, the push
//! setting calls through the persisted operation queue, and `Disconnect{receive_push}` before
//! the connection closes.

use super::*;
use crate::session::PushSettingChange;
use rcim_proto::v1::{
    change_user_setting, ChangeUserSetting, Connect, PushProvider, PushRegistration,
};

fn registration() -> PushRegistration {
    PushRegistration {
        provider: PushProvider::Fcm as i32,
        token: "fcm-token-1".into(),
    }
}

/// The `Connect` frames of `actions`' connection attempts.
fn connects(actions: &[Action]) -> Vec<Connect> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Open {
                connect:
                    ClientFrame {
                        body: Some(client_frame::Body::Connect(c)),
                        ..
                    },
                ..
            } => Some(c.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn every_connection_attempt_carries_the_push_address() {
    let mut core = SessionCore::new(
        SessionParams {
            push: Some(registration()),
            ..params()
        },
        None,
        None,
    );
    let mut store = Store::open_in_memory().unwrap();
    let now = Instant::now();
    let mut pending: VecDeque<Action> = core.start().into();
    let mut opened = Vec::new();
    while let Some(action) = pending.pop_front() {
        match action {
            Action::Store(job) => {
                let done = jobs::run(&mut store, job);
                pending.extend(core.handle(now, Input::Stored(Box::new(done))));
            }
            other => opened.push(other),
        }
    }
    let first = connects(&opened);
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].push, Some(registration()));
    // The attempt fails: the next one (on the reconnect schedule) carries it too.
    let out = core.handle(now, Input::OpenFailed("refused".into()));
    let mut retry = connects(&out);
    let mut later = now;
    while retry.is_empty() {
        later += Duration::from_millis(250);
        retry = connects(&core.handle(later, Input::Tick));
    }
    assert_eq!(retry[0].push, Some(registration()));
}

#[test]
fn without_a_device_token_connect_carries_no_push_address() {
    // The plain harness has none: the server keeps the registration it had for the device.
    let mut core = SessionCore::new(params(), None, None);
    let mut store = Store::open_in_memory().unwrap();
    let mut pending: VecDeque<Action> = core.start().into();
    let mut opened = Vec::new();
    while let Some(action) = pending.pop_front() {
        match action {
            Action::Store(job) => {
                let done = jobs::run(&mut store, job);
                pending.extend(core.handle(Instant::now(), Input::Stored(Box::new(done))));
            }
            other => opened.push(other),
        }
    }
    let connect = connects(&opened);
    assert_eq!(connect.len(), 1);
    assert_eq!(connect[0].push, None);
}

fn change(change: PushSettingChange, event_id: &str) -> Input {
    Input::Command(Command::Operation(Operation::push_setting(
        change,
        Some(event_id.into()),
    )))
}

fn wire(change: change_user_setting::Change) -> Option<request::Body> {
    Some(request::Body::UserSetting(ChangeUserSetting {
        change: Some(change),
    }))
}

#[test]
fn push_setting_calls_are_queued_requests_reported_by_their_events() {
    let mut h = Harness::online();
    let calls = [
        (
            PushSettingChange::Language("en_US".into()),
            change_user_setting::Change::PushLanguage("en_US".into()),
            Event::PushLanguageChanged {
                code: 0,
                language: "en_US".into(),
                event_id: Some("l".into()),
            },
            "l",
        ),
        (
            PushSettingChange::ContentShow(false),
            change_user_setting::Change::PushContentShow(false),
            Event::PushContentShowStatusChanged {
                code: 0,
                show_content: false,
                event_id: Some("s".into()),
            },
            "s",
        ),
        (
            PushSettingChange::Receive(true),
            change_user_setting::Change::PushReceive(true),
            Event::PushReceiveStatusChanged {
                code: 0,
                receive: true,
                event_id: Some("r".into()),
            },
            "r",
        ),
    ];
    for (call, on_wire, expected, event_id) in calls {
        let out = h.feed(change(call, event_id));
        let sent = ops(&out);
        assert_eq!(sent.len(), 1);
        assert!(!sent[0].1.request_id.is_empty(), "a queued request");
        assert_eq!(sent[0].1.body, wire(on_wire));
        assert_eq!(
            h.store.outbox().unwrap().len(),
            1,
            "persisted until answered"
        );
        let out = h.respond(sent[0].0, 0, None);
        assert_eq!(events(&out), vec![expected]);
        assert!(h.store.outbox().unwrap().is_empty());
    }
    // A refusal is reported with the server's code.
    let out = h.feed(change(PushSettingChange::Language("xx".into()), "bad"));
    let out = h.respond(ops(&out)[0].0, 33003, None);
    assert_eq!(
        events(&out),
        vec![Event::PushLanguageChanged {
            code: 33003,
            language: "xx".into(),
            event_id: Some("bad".into()),
        }]
    );
}

#[test]
fn a_push_setting_made_offline_survives_a_restart_and_reports_to_the_listener() {
    let mut h = Harness::new();
    h.feed(change(PushSettingChange::ContentShow(true), "s"));
    let out = h.feed(Input::Stop(StopReason::Shutdown));
    assert!(matches!(out.last(), Some(Action::Finish)));
    let store = std::mem::replace(&mut h.store, Store::open_in_memory().unwrap());
    assert_eq!(store.outbox().unwrap().len(), 1);

    let mut h = Harness::with_store(store);
    let (_, out) = h.open(0);
    let sent = ops(&out);
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].1.body,
        wire(change_user_setting::Change::PushContentShow(true))
    );
    let out = h.respond(sent[0].0, 0, None);
    assert_eq!(
        events(&out),
        vec![Event::PushContentShowStatusChanged {
            code: 0,
            show_content: true,
            event_id: None,
        }]
    );
}

#[test]
fn sign_out_says_whether_the_device_keeps_its_pushes_before_closing() {
    for receive_push in [false, true] {
        let mut h = Harness::online();
        let out = h.feed(Input::Stop(StopReason::SignOut { receive_push }));
        let disconnect = out.iter().position(|a| {
            matches!(a, Action::Send(ClientFrame {
                body: Some(client_frame::Body::Disconnect(d)),
                ..
            }) if d.receive_push == receive_push)
        });
        let close = out.iter().position(|a| matches!(a, Action::Close { .. }));
        assert!(
            matches!((disconnect, close), (Some(d), Some(c)) if d < c),
            "receive_push {receive_push}: {out:?}"
        );
    }
}
