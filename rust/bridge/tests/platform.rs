//! `rcim_platform_event` reaches every live engine: no network reports NETWORK_UNAVAILABLE
//! (0) and stops the attempts; a network again reconnects at once (CONNECTING, 2). Its own
//! test binary: the platform state is the process's.

mod support;

use serde_json::json;
use std::time::Duration;
use support::*;

fn statuses(rec: &Recorder) -> Vec<i64> {
    rec.events
        .lock()
        .unwrap()
        .iter()
        .filter(|e| e["name"] == "onConnectionStatusChanged")
        .map(|e| e["args"]["status"].as_i64().unwrap())
        .collect()
}

#[test]
fn platform_events_reach_every_engine() {
    let (first, rec1, _d1) = engine();
    let (second, rec2, _d2) = engine();
    for (engine, rec) in [(&first, &rec1), (&second, &rec2)] {
        engine.call(
            1,
            "connect",
            &json!({ "token": ALICE_TOKEN, "timeout": 0 }).to_string(),
        );
        assert_eq!(rec.reply(1)["code"], 0);
        rec.event_named("onConnectionStatusChanged", 0);
    }
    rcim_bridge::ffi::rcim_platform_event(1, 0);
    for rec in [&rec1, &rec2] {
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while statuses(rec).last() != Some(&0) {
            assert!(std::time::Instant::now() < deadline, "{:?}", statuses(rec));
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    // Paused: nothing more while it lasts (the navigation server is unreachable, so attempts
    // would report CONNECTING again).
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(statuses(&rec1).last(), Some(&0));
    let before = statuses(&rec1).len();
    // Unknown kinds and values are ignored.
    rcim_bridge::ffi::rcim_platform_event(7, 7);
    rcim_bridge::ffi::rcim_platform_event(2, 1);
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(statuses(&rec1).len(), before);
    rcim_bridge::ffi::rcim_platform_event(1, 1);
    for rec in [&rec1, &rec2] {
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while statuses(rec).len() <= before || !statuses(rec)[before..].contains(&2) {
            assert!(std::time::Instant::now() < deadline, "{:?}", statuses(rec));
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    // A session started while there is no network begins paused.
    rcim_bridge::ffi::rcim_platform_event(1, 0);
    let (third, rec3, _d3) = engine();
    third.call(
        1,
        "connect",
        &json!({ "token": ALICE_TOKEN, "timeout": 0 }).to_string(),
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while statuses(&rec3).last() != Some(&0) {
        assert!(
            std::time::Instant::now() < deadline,
            "{:?}",
            statuses(&rec3)
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    rcim_bridge::ffi::rcim_platform_event(1, 1);
}
