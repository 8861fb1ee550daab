//! Offline push benchmark on loopback (a benchmark, not a test: it prints figures).
//!
//! Run: `cargo bench -p rcim-testing --bench push` (add `-- --quick` for 500 members).
//!
//! One message to a group of 3,000 members who are all offline, each with one registered
//! device (half APNs, half FCM), sent through the APNs and FCM stand-ins (HTTP/2 on
//! loopback). Measured from the publish call (`/message/group/publish.json`): how fast the server decides the pushes (one
//! batched read of the receivers, DND and settings, composition, one batched badge write)
//! and how fast the dispatcher hands them to the stand-ins.

#[path = "../tests/push_support/mod.rs"]
mod push_support;

use futures::StreamExt;
use push_support::{Device, Token};
use rcim_proto::v1::Platform;
use rcim_testing::push_standin::PushStandIns;
use rcim_testing::{server_api, TestServer};
use std::time::{Duration, Instant};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let members = if quick { 500 } else { 3000 };
    let rounds = if quick { 1 } else { 3 };
    let push = PushStandIns::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = push.config(dir.path());
    config.concurrency = 64;
    config.queue_capacity = 10_000;
    config.request_timeout = Duration::from_secs(10);
    let server = TestServer::builder()
        .config(move |c| {
            c.push = config;
            c.send_rate_per_sec = 0;
        })
        .start()
        .await;
    let url = server.navi_url();
    let users: Vec<String> = (0..members).map(|i| format!("m{i:04}")).collect();
    let t = Instant::now();
    futures::stream::iter(users.iter().enumerate())
        .for_each_concurrent(16, |(i, user)| {
            let server = &server;
            async move {
                let token = format!("{i:016x}");
                let token = if i % 2 == 0 {
                    Token::Apns(&token)
                } else {
                    Token::Fcm(&token)
                };
                Device::register(server, user, "phone", Platform::Mobile, token).await;
            }
        })
        .await;
    for chunk in users.chunks(1000) {
        let mut form: Vec<(&str, &str)> = vec![("groupId", "big"), ("groupName", "Big")];
        form.extend(chunk.iter().map(|u| ("userId", u.as_str())));
        let r = server_api(&url, "/group/join.json", &form).await;
        assert_eq!(r["code"], 200, "{r}");
    }
    println!(
        "setup: {members} members registered with tokens in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let (mut decide_rates, mut deliver_rates) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        let before = server.running().push_stats().decided;
        let received_before = push.apns.received().len() + push.fcm.received().len();
        let t = Instant::now();
        // Published through the Server API: the sender need not be one of the members.
        let content = format!(r#"{{"content":"round {round}"}}"#);
        let r = server_api(
            &url,
            "/message/group/publish.json",
            &[
                ("fromUserId", "sender"),
                ("toGroupId", "big"),
                ("objectName", "RC:TxtMsg"),
                ("content", &content),
            ],
        )
        .await;
        assert_eq!(r["code"], 200, "{r}");
        let target = before + members as u64;
        while server.running().push_stats().decided < target {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let decided = t.elapsed().as_secs_f64();
        // The dispatcher's count of notifications the stand-ins accepted: cheap to poll,
        // unlike their recordings (checked once at the end of the round).
        while server.running().push_stats().dispatch.delivered < target {
            assert!(
                t.elapsed() < Duration::from_secs(120),
                "pushes did not arrive"
            );
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let delivered = t.elapsed().as_secs_f64();
        assert_eq!(
            push.apns.received().len() + push.fcm.received().len(),
            received_before + members,
            "every push recorded by a stand-in"
        );
        println!(
            "round {round}: {members} pushes decided in {:.1} ms ({:.0}/s), at the stand-ins in {:.1} ms ({:.0}/s)",
            decided * 1e3,
            members as f64 / decided,
            delivered * 1e3,
            members as f64 / delivered
        );
        decide_rates.push(members as f64 / decided);
        deliver_rates.push(members as f64 / delivered);
    }
    println!(
        "push, one group message to {members} offline members: decided {:.0}/s, delivered to the stand-ins {:.0}/s (medians of {rounds})",
        median(decide_rates),
        median(deliver_rates)
    );
}
