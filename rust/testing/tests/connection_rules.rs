//! Tokens, rate limit and the one-mobile-device rule, end to end.

use rcim_core::model::connection_status as status;
use rcim_core::{EngineOptions, Event};
use rcim_testing::proxy::Proxy;
use rcim_testing::*;
use std::sync::atomic::Ordering;
use std::time::Duration;

fn now_ms() -> i64 {
    rcim_core::now_ms()
}

/// Connects with `token`, expects `Connected(31004)` and no further connection attempts.
async fn expect_token_refused(client: &mut TestClient, token: &str) {
    assert_eq!(client.engine.connect(token, 0, None), Ok(()));
    let Event::Connected { code, user_id, .. } = client
        .wait_for("connected", |e| matches!(e, Event::Connected { .. }))
        .await
    else {
        unreachable!()
    };
    assert_eq!(code, 31004);
    assert_eq!(user_id, "");
    assert_eq!(*client.statuses().last().unwrap(), status::TOKEN_INCORRECT);
    // No reconnect loop: nothing more happens.
    let later = client.drain(Duration::from_millis(1500)).await;
    assert!(later.is_empty(), "no retries after 31004: {later:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_expired_and_foreign_tokens_get_31004_without_retrying() {
    let server = TestServer::start().await;
    server.token("carol").await;
    let navi = server.navi_url();

    let mut garbage = TestClient::new(&navi, "carol");
    expect_token_refused(&mut garbage, "definitely-not-a-token").await;

    let forged = rcim_server::issue_token(APP_KEY, "wrong-secret", "carol", now_ms(), 0);
    let mut forger = TestClient::new(&navi, "carol");
    expect_token_refused(&mut forger, &forged).await;
    assert!(
        forger.statuses().contains(&status::CONNECTING),
        "went to the server"
    );

    let expired = rcim_server::issue_token(
        APP_KEY,
        APP_SECRET,
        "carol",
        now_ms() - 10_000,
        now_ms() - 1,
    );
    let mut late = TestClient::new(&navi, "carol");
    expect_token_refused(&mut late, &expired).await;

    let foreign = rcim_server::issue_token("other-app", APP_SECRET, "carol", now_ms(), 0);
    let mut stranger = TestClient::new(&navi, "carol");
    expect_token_refused(&mut stranger, &foreign).await;

    // Tokens issued before /user/token/expire.json stop working.
    let old = server.token("dave").await;
    tokio::time::sleep(Duration::from_millis(5)).await;
    let reply = server_api(
        &navi,
        "/user/token/expire.json",
        &[("userId", "dave"), ("time", &now_ms().to_string())],
    )
    .await;
    assert_eq!(reply["code"], 200, "{reply}");
    let mut dave = TestClient::new(&navi, "dave");
    expect_token_refused(&mut dave, &old).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sending_faster_than_five_per_second_fails_the_excess_with_20604() {
    let server = TestServer::start().await;
    let token = server.token("alice").await;
    server.token("bob").await;
    let mut alice = TestClient::new(&server.navi_url(), "alice");
    alice.connect(&token).await;
    for i in 0..10 {
        assert_eq!(alice.send_text("bob", &format!("burst {i}")), Ok(()));
    }
    let mut codes = Vec::new();
    while codes.len() < 10 {
        if let Event::MessageSent { code, message, .. } = alice
            .wait_for("sent", |e| matches!(e, Event::MessageSent { .. }))
            .await
        {
            let expected_status = if code == 0 { 2 } else { 1 };
            assert_eq!(message.sent_status, Some(expected_status));
            codes.push(code);
        }
    }
    assert_eq!(codes.iter().filter(|c| **c == 0).count(), 5, "{codes:?}");
    assert_eq!(
        codes.iter().filter(|c| **c == 20604).count(),
        5,
        "{codes:?}"
    );
    // After a second, sending works again.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(alice.send_text("bob", "after the burst"), Ok(()));
    let Event::MessageSent { code, .. } = alice
        .wait_for("sent", |e| matches!(e, Event::MessageSent { .. }))
        .await
    else {
        unreachable!()
    };
    assert_eq!(code, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_mobile_device_kicks_the_first() {
    let server = TestServer::start().await;
    let token = server.token("erin").await;
    let mut phone = TestClient::new(&server.navi_url(), "erin");
    let mut tablet = TestClient::new(&server.navi_url(), "erin");
    phone.connect(&token).await;
    tablet.connect(&token).await;
    phone
        .wait_for("kicked", |e| {
            matches!(
                e,
                Event::ConnectionStatusChanged {
                    status: status::KICKED_OFFLINE_BY_OTHER_CLIENT
                }
            )
        })
        .await;
    // The kicked device stays off; the new one stays on.
    let phone_later = phone.drain(Duration::from_millis(1500)).await;
    assert!(phone_later.is_empty(), "{phone_later:?}");
    let tablet_later = tablet.drain(Duration::from_millis(100)).await;
    assert!(!tablet_later
        .iter()
        .any(|e| matches!(e, Event::ConnectionStatusChanged { .. })));
    // Logging out of the kicked device still reports the sign-out, and its store stays readable.
    assert_eq!(phone.engine.disconnect(false), Ok(()));
    phone
        .wait_for("signed out", |e| {
            matches!(
                e,
                Event::ConnectionStatusChanged {
                    status: status::SIGN_OUT
                }
            )
        })
        .await;
    answer(phone.engine.conversations(vec![1], "", 0, 10)).await;
}

/// A device whose connection dropped reconnects while another device has logged in meanwhile.
/// Returns (server, proxy, phone, tablet); keep the first two alive.
async fn reconnect_after_other_login(
    kick_reconnect_device: bool,
) -> (TestServer, Proxy, TestClient, TestClient) {
    let server = TestServer::start().await;
    let token = server.token("frank").await;
    let proxy = Proxy::start(server.gateway()).await;
    let options = EngineOptions {
        kick_reconnect_device: Some(kick_reconnect_device),
        ..EngineOptions::default()
    };
    let mut phone = TestClient::with_options(&proxy.navi_url, "frank", options);
    phone.connect(&token).await;
    // The phone loses its network...
    proxy.refuse.store(true, Ordering::SeqCst);
    proxy.kill_all();
    phone
        .wait_for("suspended", |e| {
            matches!(
                e,
                Event::ConnectionStatusChanged {
                    status: status::SUSPEND
                }
            )
        })
        .await;
    // ...the user logs in on another device...
    let mut tablet = TestClient::new(&server.navi_url(), "frank");
    tablet.connect(&token).await;
    // ...and the phone's network comes back.
    proxy.refuse.store(false, Ordering::SeqCst);
    (server, proxy, phone, tablet)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconnecting_device_kicks_the_other_by_default() {
    let (_server, _proxy, mut phone, mut tablet) = reconnect_after_other_login(false).await;
    phone
        .wait_for("reconnected", |e| {
            matches!(
                e,
                Event::ConnectionStatusChanged {
                    status: status::CONNECTED
                }
            )
        })
        .await;
    tablet
        .wait_for("kicked", |e| {
            matches!(
                e,
                Event::ConnectionStatusChanged {
                    status: status::KICKED_OFFLINE_BY_OTHER_CLIENT
                }
            )
        })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_kick_reconnect_device_the_reconnecting_device_gives_up() {
    let (_server, _proxy, mut phone, mut tablet) = reconnect_after_other_login(true).await;
    phone
        .wait_for("gave up", |e| {
            matches!(
                e,
                Event::ConnectionStatusChanged {
                    status: status::KICKED_OFFLINE_BY_OTHER_CLIENT
                }
            )
        })
        .await;
    let phone_later = phone.drain(Duration::from_millis(1500)).await;
    assert!(
        phone_later.is_empty(),
        "phone stops reconnecting: {phone_later:?}"
    );
    let tablet_later = tablet.drain(Duration::from_millis(100)).await;
    assert!(
        !tablet_later
            .iter()
            .any(|e| matches!(e, Event::ConnectionStatusChanged { .. })),
        "tablet stays online: {tablet_later:?}"
    );
}

/// Attempts follow the seed's schedule (0, 0.25, 0.5, 1, 2 s, ...) while the server is
/// unreachable; `timeout > 0` gives up with 34006 and status TIMEOUT, then stops trying.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconnect_schedule_and_connect_timeout() {
    let server = TestServer::start().await;
    let token = server.token("gina").await;
    let proxy = Proxy::start(server.gateway()).await;
    proxy.refuse.store(true, Ordering::SeqCst);
    let mut client = TestClient::new(&proxy.navi_url, "gina");
    let started = std::time::Instant::now();
    assert_eq!(client.engine.connect(&token, 4, Some("t".into())), Ok(()));
    let Event::Connected { code, event_id, .. } = client
        .wait_for("timeout", |e| matches!(e, Event::Connected { .. }))
        .await
    else {
        unreachable!()
    };
    assert_eq!(code, 34006);
    assert_eq!(event_id.as_deref(), Some("t"));
    let waited = started.elapsed().as_secs_f64();
    assert!((3.9..6.0).contains(&waited), "gave up after {waited:.2}s");
    assert_eq!(*client.statuses().last().unwrap(), status::TIMEOUT);
    // The first attempt fails, then retries follow at once (0 s), then 0.25, 0.5, 1, 2 s later.
    let accepts = proxy.accepts.lock().unwrap().clone();
    let gaps: Vec<f64> = accepts
        .windows(2)
        .map(|w| (w[1] - w[0]).as_secs_f64())
        .collect();
    assert!(gaps.len() >= 5, "attempts: {gaps:?}");
    for (gap, expected) in gaps.iter().zip([0.0, 0.25, 0.5, 1.0, 2.0]) {
        assert!(
            (expected - 0.05..expected + 0.3).contains(gap),
            "gaps {gaps:?} do not follow the schedule"
        );
    }
    // Nothing more after giving up.
    let count = accepts.len();
    let later = client.drain(Duration::from_millis(2500)).await;
    assert!(later.is_empty(), "{later:?}");
    assert_eq!(
        proxy.accepts.lock().unwrap().len(),
        count,
        "no attempts after the timeout"
    );
}

/// The call an event answers, for the events of `connect` and `sendMessage`.
fn event_id(event: &Event) -> Option<&str> {
    match event {
        Event::DatabaseOpened { event_id, .. }
        | Event::Connected { event_id, .. }
        | Event::MessageAttached { event_id, .. }
        | Event::MessageSent { event_id, .. } => event_id.as_deref(),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_connect_opens_the_database_only_once_the_previous_session_has_ended() {
    let server = TestServer::start().await;
    let token = server.token("alice").await;
    server.token("bob").await;
    // An event channel of one: the first session's events wait in its outlet (it cannot end
    // before they are delivered) while nobody reads.
    let mut alice = TestClient::with_config(&server.navi_url(), "alice", Default::default(), |c| {
        c.event_queue_len = 1
    });
    assert_eq!(
        alice.engine.connect(&token, 0, Some("first".into())),
        Ok(())
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    for i in 0..8 {
        let message = rcim_core::codec::new_text_message(1, "bob", None, &format!("m{i}"));
        let sent = alice
            .engine
            .send_message(message, Some(format!("first-{i}")));
        assert_eq!(sent, Ok(()));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        alice.engine.connect(&token, 0, Some("second".into())),
        Ok(())
    );
    tokio::time::sleep(Duration::from_millis(500)).await;

    alice
        .wait_for(
            "second Connected",
            |e| matches!(e, Event::Connected { event_id: Some(id), .. } if id == "second"),
        )
        .await;
    let seen = &alice.seen;
    let reopened = seen
        .iter()
        .position(|e| matches!(e, Event::DatabaseOpened { .. }) && event_id(e) == Some("second"))
        .expect("the second connect opened the database");
    let first_session: Vec<usize> = seen
        .iter()
        .enumerate()
        .filter(|(_, e)| event_id(e).is_some_and(|id| id.starts_with("first")))
        .map(|(i, _)| i)
        .collect();
    assert!(
        first_session.iter().all(|i| *i < reopened),
        "the first session was still running when the second opened the database: {seen:#?}"
    );
    let attached = seen
        .iter()
        .filter(|e| matches!(e, Event::MessageAttached { .. }))
        .count();
    assert_eq!(
        attached, 8,
        "every send of the first session announced once"
    );
}
