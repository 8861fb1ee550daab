//! Platform events in the session: no network closes the connection, reports
//! NETWORK_UNAVAILABLE and stops the attempts; a network or the foreground restarts the
//! reconnect schedule at once.

use super::*;
use crate::session::{PlatformEvent, PlatformState};

fn platform(h: &mut Harness, event: PlatformEvent) -> Vec<Action> {
    h.feed(Input::Command(Command::Platform(event)))
}

fn opens(actions: &[Action]) -> usize {
    actions
        .iter()
        .filter(|a| matches!(a, Action::Open { .. }))
        .count()
}

#[test]
fn no_network_pauses_and_a_network_reconnects_at_once() {
    let mut h = Harness::online();
    let out = platform(&mut h, PlatformEvent::NetworkLost);
    assert!(out.iter().any(|a| matches!(a, Action::Close { .. })));
    assert_eq!(statuses(&out), vec![status::NETWORK_UNAVAILABLE]);
    // No attempt while it lasts, however long; the foreground does not change that.
    let mut later = Vec::new();
    for _ in 0..10 {
        later.extend(h.advance(Duration::from_secs(70)));
    }
    later.extend(platform(&mut h, PlatformEvent::Foreground));
    assert_eq!(opens(&later), 0);
    // Operations asked meanwhile wait (a pin is not a send: no send timeout).
    let out = h.feed(Input::Command(pin("bob", "p")));
    assert!(ops(&out).is_empty());
    let out = platform(&mut h, PlatformEvent::NetworkAvailable { changed: false });
    assert_eq!(opens(&out), 1);
    assert_eq!(statuses(&out), vec![status::CONNECTING]);
    let (_, out) = h.open(0);
    assert_eq!(statuses(&out), vec![status::CONNECTED]);
}

#[test]
fn a_network_change_or_the_foreground_restarts_the_schedule_from_the_start() {
    let mut h = Harness::new();
    // Five failed attempts: the next one is 2 s away.
    for _ in 0..5 {
        h.feed(Input::OpenFailed("down".into()));
        let mut out = Vec::new();
        for _ in 0..20 {
            out.extend(h.advance(Duration::from_millis(250)));
            if opens(&out) > 0 {
                break;
            }
        }
    }
    let out = h.feed(Input::OpenFailed("down".into()));
    assert_eq!(opens(&out), 0, "waiting on the schedule");
    let out = platform(&mut h, PlatformEvent::Foreground);
    assert_eq!(opens(&out), 1, "the foreground tries at once");
    // The schedule starts again: the next failure waits 0 s.
    let out = h.feed(Input::OpenFailed("down".into()));
    assert_eq!(opens(&out), 1);
    let out = h.feed(Input::OpenFailed("down".into()));
    assert_eq!(opens(&out), 0);
    let out = h.advance(Duration::from_millis(250));
    assert_eq!(opens(&out), 1, "then 0.25 s");
    // A network change while an attempt runs starts a fresh one.
    let out = platform(&mut h, PlatformEvent::NetworkAvailable { changed: true });
    assert_eq!(opens(&out), 1);
    // A network that is merely available again does not disturb a running attempt.
    let out = platform(&mut h, PlatformEvent::NetworkAvailable { changed: false });
    assert_eq!(opens(&out), 0);
    let (_, out) = h.open(0);
    assert_eq!(statuses(&out), vec![status::CONNECTED]);
}

#[test]
fn a_network_change_while_online_reconnects_at_once() {
    let mut h = Harness::online();
    // A pin on the wire when the network changes.
    let out = h.feed(Input::Command(pin("bob", "p")));
    let sent = ops(&out);
    assert_eq!(sent.len(), 1);
    let out = platform(&mut h, PlatformEvent::NetworkAvailable { changed: true });
    assert!(out
        .iter()
        .any(|a| matches!(a, Action::Close { fresh_navi: true })));
    assert_eq!(opens(&out), 1, "no wait: the schedule is at its start");
    assert_eq!(statuses(&out), vec![status::CONNECTING]);
    let (_, out) = h.open(0);
    assert_eq!(statuses(&out), vec![status::CONNECTED]);
    // What was on the wire goes again on the new connection.
    assert_eq!(ops(&out).len(), 1);
    // The same network available again changes nothing while online.
    let out = platform(&mut h, PlatformEvent::NetworkAvailable { changed: false });
    assert!(out.is_empty(), "{out:?}");
}

#[test]
fn a_session_started_without_network_waits_for_one() {
    let mut h = Harness::online();
    platform(&mut h, PlatformEvent::NetworkLost);
    // Connecting, losing the network: the attempt is dropped.
    let out = platform(&mut h, PlatformEvent::NetworkAvailable { changed: false });
    assert_eq!(opens(&out), 1);
    let out = platform(&mut h, PlatformEvent::NetworkLost);
    assert!(out.iter().any(|a| matches!(a, Action::Close { .. })));
    assert_eq!(statuses(&out), vec![status::NETWORK_UNAVAILABLE]);
    // The answer of the abandoned attempt is ignored.
    let out = h.feed(Input::Opened(ConnectAck {
        code: 0,
        user_id: "alice".into(),
        server_time: 0,
        inbox_head: 0,
        heartbeat_secs: 1,
        compensation_after: 0,
        settings_version: 0,
        inbox_epoch: 0,
    }));
    assert!(statuses(&out).is_empty());
    assert_eq!(
        PlatformEvent::from_raw(1, 0),
        Some(PlatformEvent::NetworkLost)
    );
    assert_eq!(
        PlatformEvent::from_raw(1, 2),
        Some(PlatformEvent::NetworkAvailable { changed: true })
    );
    assert_eq!(
        PlatformEvent::from_raw(2, 1),
        Some(PlatformEvent::Foreground)
    );
    assert_eq!(PlatformEvent::from_raw(3, 1), None);
}

#[test]
fn the_platform_state_tells_a_session_what_happened_since_it_looked() {
    use PlatformEvent::*;
    let after = |seen: PlatformState, events: &[PlatformEvent]| {
        let mut state = seen;
        for event in events {
            state.record(*event);
        }
        state.events_since(&seen)
    };
    let start = PlatformState::default();
    assert!(after(start, &[]).is_empty());
    assert!(after(start, &[Background]).is_empty());
    assert_eq!(after(start, &[NetworkLost]), vec![NetworkLost]);
    // Several at once: merged, in the order that matters.
    assert_eq!(
        after(
            start,
            &[Foreground, NetworkLost, NetworkAvailable { changed: false }]
        ),
        vec![NetworkLost, NetworkAvailable { changed: false }, Foreground]
    );
    assert_eq!(
        after(
            start,
            &[
                NetworkAvailable { changed: true },
                NetworkAvailable { changed: false }
            ]
        ),
        vec![NetworkAvailable { changed: true }]
    );
    assert_eq!(
        after(start, &[NetworkAvailable { changed: true }, NetworkLost]),
        vec![NetworkLost]
    );
    // Without network the foreground changes nothing; the network back does.
    let mut down = start;
    down.record(NetworkLost);
    assert!(after(down, &[Foreground]).is_empty());
    assert_eq!(
        after(down, &[NetworkAvailable { changed: false }]),
        vec![NetworkAvailable { changed: false }]
    );
    // A session started later sees only that there is no network.
    let mut busy = start;
    for event in [Foreground, NetworkAvailable { changed: true }, NetworkLost] {
        busy.record(event);
    }
    assert_eq!(busy.events_since(&busy.initial()), vec![NetworkLost]);
    busy.record(NetworkAvailable { changed: false });
    assert!(busy.events_since(&busy.initial()).is_empty());
}

/// When the text of the Hermes network test is persisted relative to a network change
/// (the `PersistSend` store job and the platform's `watch` race in the driver).
#[derive(Clone, Copy, Debug)]
enum SendTiming {
    /// Persisted and put on the old connection's wire before the change.
    OnTheOldWire,
    /// Handed over before the change, persisted after it (the store job was still running).
    StoredDuringTheChange,
    /// Handed over after the change, while the new connection is being made.
    WhileReconnecting,
}

/// A text sent around a network change while connected is sent once on the new connection
/// (with its client id, so a copy the old connection delivered is deduplicated) and reported
/// once with its call's event id: never lost, never reported twice.
#[test]
fn a_text_sent_around_a_network_change_is_sent_on_the_new_connection_and_reported_once() {
    for timing in [
        SendTiming::OnTheOldWire,
        SendTiming::StoredDuringTheChange,
        SendTiming::WhileReconnecting,
    ] {
        let mut h = Harness::online();
        let change = PlatformEvent::NetworkAvailable { changed: true };
        let mut out = Vec::new();
        match timing {
            SendTiming::OnTheOldWire => {
                let sent = h.send_text("bob", "hi");
                assert_eq!(ops(&sent).len(), 1, "{timing:?}: on the old wire");
                out.extend(sent);
                out.extend(platform(&mut h, change));
            }
            SendTiming::StoredDuringTheChange => {
                let now = h.now;
                let persist = h.core.handle(now, Input::Command(text("bob", "hi", now)));
                assert!(
                    matches!(persist[..], [Action::Store(StoreJob::PersistSend { .. })]),
                    "{timing:?}: {persist:?}"
                );
                out.extend(platform(&mut h, change));
                out.extend(h.run(persist));
            }
            SendTiming::WhileReconnecting => {
                out.extend(platform(&mut h, change));
                out.extend(h.send_text("bob", "hi"));
            }
        }
        assert_eq!(opens(&out), 1, "{timing:?}: reconnecting at once");
        let old_wire = ops(&out);
        let attached: Vec<_> = events(&out)
            .into_iter()
            .filter(|e| matches!(e, Event::MessageAttached { .. }))
            .collect();
        assert_eq!(attached.len(), 1, "{timing:?}: {out:?}");
        let (_, out) = h.open(0);
        let resent = ops(&out);
        assert_eq!(resent.len(), 1, "{timing:?}: sent on the new connection");
        let (seq, request) = &resent[0];
        assert!(matches!(request.body, Some(request::Body::SendMessage(_))));
        if let Some((old_seq, old)) = old_wire.first() {
            assert_eq!(
                old.request_id, request.request_id,
                "{timing:?}: same client id"
            );
            assert_ne!(old_seq, seq, "{timing:?}: a new seq on the new connection");
        }
        let out = h.respond(
            *seq,
            0,
            Some(response::Body::SendMessage(SendMessageResult {
                conv_seq: 1,
                uid: "uid-1".into(),
                sent_time: 5,
                change_seq: 0,
            })),
        );
        let reported: Vec<_> = events(&out)
            .into_iter()
            .filter_map(|e| match e {
                Event::MessageSent {
                    code,
                    message,
                    event_id,
                } => Some((code, message.message_uid, event_id)),
                _ => None,
            })
            .collect();
        assert_eq!(
            reported,
            vec![(0, Some("uid-1".into()), Some("send-hi".into()))],
            "{timing:?}"
        );
        assert!(h.store.outbox().unwrap().is_empty(), "{timing:?}");
        // Nothing goes again later.
        let later = h.advance(Duration::from_secs(1));
        assert!(ops(&later).is_empty(), "{timing:?}: {later:?}");
    }
}
