//! Ultra-group benchmark against an `rcim-server` process of its own (a benchmark, not a test:
//! it prints figures).
//!
//! Run: `cargo bench -p rcim-testing --bench ultragroup` (`-- --quick` for a short run;
//! `--members N --small N --online N --rate N --secs N --senders N --single N --join-batch N`
//! change the defaults). The
//! server binary is built first (`cargo build --release -p rcim-server`) unless
//! `RCIM_SERVER_BIN` names one.
//!
//! The same run twice, with one ultra group of 1,000 members and of 100,000 members (rows in
//! the server's directory, added one by one through the Server API's `/ultragroup/join.json`
//! as an application would; not connections), of which the sender and 1,000 others (999 in the
//! small group) are online as raw protocol clients of this process:
//!
//! 1. one message at a time (30 of them, into the group's default channel): send → ack
//!    (`SendMessageResult`) and send → the last online member decoded it;
//! 2. a steady send rate (100 msgs/s for 10 s, so 1,000 messages): deliveries per second, per
//!    second of server CPU time (`/proc/<pid>/stat`), the latency of every delivery (send
//!    timestamp in the content against the receive time, one clock) and what was lost;
//! 3. the server's storage for those 1,000 messages: the bytes of the database's tables and
//!    indexes (SQLite's `dbstat`, read through a read-only connection while the server runs)
//!    before and after them. A channel's messages are stored once, so this must not grow with
//!    the members: the two runs say whether it does.
//!
//! Joining also gives the directory's cost per member: database bytes and resident memory.

#[path = "support/server_process.rs"]
mod server_process;

use futures::stream::{self, StreamExt};
use futures::SinkExt;
use rcim_proto::v1::{
    client_frame, request, response, server_frame, ultra_group_event, ClientFrame, Request,
    SendMessage, ServerFrame, UltraGroupEvent,
};
use server_process::{
    load_average, login, parse_content, percentile, proc_cpu_secs, raise_open_file_limit,
    server_bin, Raw, ServerProcess, APP_KEY, SECRET,
};
use sha1::{Digest, Sha1};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

const GROUP: &str = "bench-ug";
/// The group's default channel ("" = "RCDefault").
const CHANNEL: &str = "";
/// `conversation_type` of ultra groups.
const ULTRA_GROUP: u32 = 5;
/// Server API calls in flight at once while joining members.
const JOIN_CONCURRENCY: usize = 32;
/// Logins in flight at once.
const LOGIN_CONCURRENCY: usize = 128;
/// The database file in the server's data directory.
const DB_FILE: &str = "rcim.sqlite3";

fn member(n: usize) -> String {
    format!("ug-{n}")
}

// ---------------------------------------------------------------------------------------------
// The Server API

/// Signed Server API calls over kept-alive connections (one connection per call would run
/// out of ephemeral ports over 100,000 joins).
struct ServerApi {
    http: reqwest::Client,
    base: String,
}

impl ServerApi {
    fn new(base: &str) -> Self {
        Self {
            http: reqwest::Client::new(),
            base: base.to_string(),
        }
    }

    /// POSTs `form` to `path` with a correct signature; returns the JSON answer.
    async fn call(&self, path: &str, form: &[(&str, &str)]) -> serde_json::Value {
        let nonce = uuid::Uuid::new_v4().simple().to_string();
        let timestamp = (rcim_core::now_ms() / 1000).to_string();
        let signature = hex::encode(Sha1::digest(
            format!("{SECRET}{nonce}{timestamp}").as_bytes(),
        ));
        let answer = self
            .http
            .post(format!("{}{path}", self.base))
            .header("App-Key", APP_KEY)
            .header("Nonce", nonce)
            .header("Timestamp", timestamp)
            .header("Signature", signature)
            .form(form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        answer
            .json()
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"))
    }
}

/// Creates [`GROUP`] (its creator, member 0, joins it) and joins members 1..`members`,
/// `batch` users per call (RongCloud's join takes one; this server's takes up to 1,000);
/// returns the members joined per second.
async fn create_group(api: &ServerApi, members: usize, batch: usize) -> f64 {
    let creator = member(0);
    let r = api
        .call(
            "/ultragroup/create.json",
            &[
                ("userId", &creator),
                ("groupId", GROUP),
                ("groupName", "Bench"),
            ],
        )
        .await;
    assert_eq!(r["code"], 200, "/ultragroup/create.json: {r}");
    let started = Instant::now();
    let batches: Vec<Vec<String>> = (1..members)
        .map(member)
        .collect::<Vec<_>>()
        .chunks(batch.max(1))
        .map(<[String]>::to_vec)
        .collect();
    stream::iter(batches)
        .map(|users| async move {
            let mut form = vec![("groupId", GROUP)];
            form.extend(users.iter().map(|u| ("userId", u.as_str())));
            let r = api.call("/ultragroup/join.json", &form).await;
            assert_eq!(r["code"], 200, "/ultragroup/join.json {}: {r}", users[0]);
        })
        .buffer_unordered(JOIN_CONCURRENCY)
        .collect::<Vec<()>>()
        .await;
    (members - 1) as f64 / started.elapsed().as_secs_f64()
}

// ---------------------------------------------------------------------------------------------
// Storage

/// Bytes of every table and index of the server's database (`dbstat`: pages, and the payload
/// they hold), read through a read-only connection that sees the write-ahead log.
fn db_usage(data_dir: &Path) -> BTreeMap<String, (u64, u64)> {
    let path = data_dir.join(DB_FILE);
    let db = rusqlite::Connection::open_with_flags(
        &path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .unwrap_or_else(|e| panic!("opening {}: {e}", path.display()));
    let mut query = db
        .prepare("SELECT name, SUM(pgsize), SUM(payload) FROM dbstat GROUP BY name")
        .unwrap();
    let rows = query
        .query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                (row.get::<_, i64>(1)? as u64, row.get::<_, i64>(2)? as u64),
            ))
        })
        .unwrap();
    rows.map(Result::unwrap).collect()
}

/// What grew between two [`db_usage`] readings: total page bytes, total payload bytes, and
/// the objects that grew most (name, page bytes).
struct Growth {
    pages: i64,
    payload: i64,
    top: Vec<(String, i64)>,
}

fn growth(before: &BTreeMap<String, (u64, u64)>, after: &BTreeMap<String, (u64, u64)>) -> Growth {
    let mut pages = 0;
    let mut payload = 0;
    let mut top = Vec::new();
    for (name, &(p1, l1)) in after {
        let (p0, l0) = before.get(name).copied().unwrap_or((0, 0));
        let dp = p1 as i64 - p0 as i64;
        pages += dp;
        payload += l1 as i64 - l0 as i64;
        if dp != 0 {
            top.push((name.clone(), dp));
        }
    }
    for (name, &(p0, l0)) in before {
        if !after.contains_key(name) {
            pages -= p0 as i64;
            payload -= l0 as i64;
        }
    }
    top.sort_by_key(|(_, dp)| -dp);
    top.truncate(6);
    Growth {
        pages,
        payload,
        top,
    }
}

impl Growth {
    /// "name +bytes, …" of the objects that grew most, per `per` (messages or members).
    fn top_per(&self, per: usize) -> String {
        self.top
            .iter()
            .map(|(name, dp)| format!("{name} {:+.0}", *dp as f64 / per as f64))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

// ---------------------------------------------------------------------------------------------
// Members and the sender

/// What the online members saw, per message (index = the message's sequence number in the
/// benchmark, 1-based): how many received it and when the last did.
struct Tracker {
    base: Instant,
    received: Vec<AtomicU32>,
    last_us: Vec<AtomicU64>,
    /// When (µs since `base`) each message was sent.
    sent_us: Vec<AtomicU64>,
    /// When (µs since `base`) any member last received a message.
    any_last_us: AtomicU64,
}

impl Tracker {
    fn new(messages: u64) -> Self {
        let n = messages as usize + 1;
        Self {
            base: Instant::now(),
            received: (0..n).map(|_| AtomicU32::new(0)).collect(),
            last_us: (0..n).map(|_| AtomicU64::new(0)).collect(),
            sent_us: (0..n).map(|_| AtomicU64::new(0)).collect(),
            any_last_us: AtomicU64::new(0),
        }
    }

    fn now_us(&self) -> u64 {
        self.base.elapsed().as_micros() as u64
    }
}

/// Reads a member's connection until `stop`; returns (sequence, latency µs) of every message
/// it received.
async fn member_loop(
    mut raw: Raw,
    tracker: Arc<Tracker>,
    stop: CancellationToken,
) -> Vec<(u32, u32)> {
    let mut seen = Vec::new();
    loop {
        let frame = tokio::select! {
            _ = stop.cancelled() => break,
            f = raw.next() => f,
        };
        let Some(Ok(frame)) = frame else {
            tracing::warn!("a member's connection closed");
            break;
        };
        let Some(server_frame::Body::Ultragroup(UltraGroupEvent {
            body: Some(ultra_group_event::Body::Message(m)),
            ..
        })) = frame.body
        else {
            continue;
        };
        let Some((seq, sent_us)) = parse_content(&m.content) else {
            continue;
        };
        let now = tracker.now_us();
        let Some(count) = tracker.received.get(seq as usize) else {
            continue;
        };
        count.fetch_add(1, Ordering::Relaxed);
        tracker.last_us[seq as usize].fetch_max(now, Ordering::Relaxed);
        tracker.any_last_us.fetch_max(now, Ordering::Relaxed);
        let latency = now.saturating_sub(sent_us).min(u64::from(u32::MAX)) as u32;
        seen.push((seq as u32, latency));
    }
    seen
}

fn send_frame(seq: u64, tracker: &Tracker, pad: &str) -> ClientFrame {
    let now = tracker.now_us();
    tracker.sent_us[seq as usize].store(now, Ordering::Relaxed);
    let content = format!(r#"{{"content":"{seq} {now} {pad}"}}"#);
    let send = request::Body::SendMessage(SendMessage {
        conversation_type: ULTRA_GROUP,
        target_id: GROUP.into(),
        channel_id: CHANNEL.into(),
        object_name: "RC:TxtMsg".into(),
        content,
        persisted: true,
        counted: true,
        ..Default::default()
    });
    ClientFrame {
        seq,
        body: Some(client_frame::Body::Request(Request {
            request_id: format!("bench-{seq}-{}", uuid::Uuid::new_v4().simple()),
            body: Some(send),
        })),
    }
}

/// The sender's next answer: (frame seq, code).
async fn next_answer(sender: &mut Raw) -> (u64, u32) {
    loop {
        match sender.next().await {
            Some(Ok(ServerFrame {
                seq,
                body: Some(server_frame::Body::Response(r)),
            })) => {
                if r.code == 0 {
                    assert!(
                        matches!(r.body, Some(response::Body::SendMessage(_))),
                        "a send answered without SendMessageResult"
                    );
                }
                return (seq, r.code);
            }
            Some(Ok(_)) => {}
            other => panic!("sender connection: {other:?}"),
        }
    }
}

/// Waits until message `seq` reached `online` members (or `timeout`); returns how many it
/// reached.
async fn wait_received(tracker: &Tracker, seq: u64, online: u32, timeout: Duration) -> u32 {
    let deadline = Instant::now() + timeout;
    loop {
        let n = tracker.received[seq as usize].load(Ordering::Relaxed);
        if n >= online || Instant::now() >= deadline {
            return n;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// Sends messages `seqs` at `rate` per second on one connection; returns the refusals by
/// code once the last one is answered.
async fn publish(
    sender: &mut Raw,
    tracker: &Tracker,
    seqs: Vec<u64>,
    rate: f64,
    pad: &str,
) -> BTreeMap<u32, u64> {
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let (mut sent, mut answered) = (0, 0);
    let mut refused = BTreeMap::new();
    while answered < seqs.len() {
        tokio::select! {
            _ = tick.tick(), if sent < seqs.len() => {
                sender.send(send_frame(seqs[sent], tracker, pad)).await.unwrap();
                sent += 1;
            }
            (_, code) = next_answer(sender) => {
                if code != 0 {
                    *refused.entry(code).or_insert(0) += 1;
                }
                answered += 1;
            }
        }
    }
    refused
}

// ---------------------------------------------------------------------------------------------
// One run

#[derive(Clone, Copy)]
struct Options {
    members: usize,
    online: usize,
    /// Messages sent one at a time.
    single: u64,
    /// Messages per second of the steady phase, and its seconds.
    rate: u32,
    secs: u64,
    /// Connections (of different members) that share the steady rate.
    senders: usize,
    /// Text of each message, bytes (besides its sequence number and timestamp).
    payload: usize,
    /// Users per `/ultragroup/join.json` call.
    join_batch: usize,
}

/// What one run measured, for the comparison at the end.
struct RunSummary {
    members: usize,
    storage_per_message: f64,
    payload_per_message: f64,
}

async fn run(bin: &Path, o: &Options) -> RunSummary {
    let channel_rate = (o.rate * 4).max(1000).to_string();
    // The steady phase sends above the default per-channel rate (30/s, 24415 beyond).
    let server = ServerProcess::start(bin, &["--ultragroup-channel-rate", &channel_rate]);
    let api = ServerApi::new(&server.navi);
    let senders = o.senders.clamp(1, o.members - 1);
    let online = o.online.min(o.members - senders);
    // Member 0 sends alone; the others send in the steady phase only.
    let sender_ids: Vec<usize> = std::iter::once(0)
        .chain(online + 1..online + senders)
        .collect();
    println!(
        "\n== ultra group of {} members, {online} online + {senders} sending (load average {:.2})",
        o.members,
        load_average()
    );

    // Members: rows, not connections.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let db0 = db_usage(&server.data_dir);
    let (rss0, _) = server.rss_kb();
    let joins_per_sec = create_group(&api, o.members, o.join_batch).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let db1 = db_usage(&server.data_dir);
    let (rss1, _) = server.rss_kb();
    let joined = growth(&db0, &db1);
    println!(
        "members  {} joined through /ultragroup/join.json ({} per call) at {joins_per_sec:.0}/s; database \
         {:.0} bytes per member (payload {:.0}: {}); server RSS {:.1} → {:.1} MiB, {:.0} bytes \
         per member",
        o.members,
        o.join_batch,
        joined.pages as f64 / o.members as f64,
        joined.payload as f64 / o.members as f64,
        joined.top_per(o.members),
        rss0 as f64 / 1024.0,
        rss1 as f64 / 1024.0,
        (rss1.saturating_sub(rss0) * 1024) as f64 / o.members as f64,
    );

    // The online members and the sender.
    let gateway = server.gateway;
    let started = Instant::now();
    let readers: Vec<Raw> = stream::iter(1..=online)
        .map(|n| async move { login(gateway, n, &member(n), false).await })
        .buffer_unordered(LOGIN_CONCURRENCY)
        .collect()
        .await;
    let mut sender_conns = Vec::new();
    for &n in &sender_ids {
        sender_conns.push(login(gateway, n, &member(n), false).await);
    }
    println!(
        "online   {online} members logged in in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let total = o.single + u64::from(o.rate) * o.secs;
    let tracker = Arc::new(Tracker::new(total));
    let stop = CancellationToken::new();
    let tasks: Vec<_> = readers
        .into_iter()
        .map(|raw| tokio::spawn(member_loop(raw, tracker.clone(), stop.clone())))
        .collect();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let pad = "x".repeat(o.payload);
    let online_u32 = online as u32;

    // 1. One message at a time.
    let (mut acks, mut alls) = (Vec::new(), Vec::new());
    let mut short = 0;
    for seq in 1..=o.single {
        let sent_us = tracker.now_us();
        let sender = &mut sender_conns[0];
        sender.send(send_frame(seq, &tracker, &pad)).await.unwrap();
        let (answered, code) = next_answer(sender).await;
        assert_eq!((answered, code), (seq, 0), "ultra-group send refused");
        acks.push((tracker.now_us() - sent_us) as u32);
        let reached = wait_received(&tracker, seq, online_u32, Duration::from_secs(10)).await;
        if reached < online_u32 {
            short += 1;
        }
        let last = tracker.last_us[seq as usize].load(Ordering::Relaxed);
        alls.push(last.saturating_sub(sent_us) as u32);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    acks.sort_unstable();
    alls.sort_unstable();
    println!(
        "single   {} messages one at a time: send → ack p50 {:.2} ms p99 {:.2} ms; send → all \
         {online} received p50 {:.2} ms p99 {:.2} ms max {:.2} ms{} (load average {:.2})",
        o.single,
        percentile(&acks, 0.5),
        percentile(&acks, 0.99),
        percentile(&alls, 0.5),
        percentile(&alls, 0.99),
        percentile(&alls, 1.0),
        if short > 0 {
            format!("; {short} did not reach everyone within 10 s")
        } else {
            String::new()
        },
        load_average(),
    );

    // 2. and 3. A steady rate; the database before and after.
    let steady = (o.single + 1, total);
    let messages = total - o.single;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let db2 = db_usage(&server.data_dir);
    let cpu0 = server.cpu_secs();
    let own0 = proc_cpu_secs(std::process::id());
    let first_us = tracker.now_us();
    // Sender k sends every `senders`-th message from the k-th on, at its share of the rate.
    let share = f64::from(o.rate) / senders as f64;
    let refusals = futures::future::join_all(sender_conns.iter_mut().enumerate().map(|(k, c)| {
        let seqs = (steady.0 + k as u64..=steady.1).step_by(senders).collect();
        publish(c, &tracker, seqs, share, &pad)
    }))
    .await;
    let mut refused = BTreeMap::new();
    for (code, n) in refusals.into_iter().flatten() {
        *refused.entry(code).or_insert(0) += n;
    }
    // Everything delivered, or nothing more for 2 s.
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let done = (steady.0..=steady.1)
            .all(|s| tracker.received[s as usize].load(Ordering::Relaxed) >= online_u32);
        let quiet = tracker.now_us() - tracker.any_last_us.load(Ordering::Relaxed) > 2_000_000;
        if done || quiet {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let wall = (tracker.any_last_us.load(Ordering::Relaxed) - first_us) as f64 / 1e6;
    let cpu = server.cpu_secs() - cpu0;
    let own = proc_cpu_secs(std::process::id()) - own0;
    let load = load_average();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let db3 = db_usage(&server.data_dir);

    stop.cancel();
    let mut latencies = Vec::new();
    for task in tasks {
        let seen = task.await.unwrap();
        latencies.extend(
            seen.into_iter()
                .filter(|&(seq, _)| u64::from(seq) >= steady.0)
                .map(|(_, latency)| latency),
        );
    }
    latencies.sort_unstable();
    let delivered = latencies.len() as u64;
    let mut all_received: Vec<u32> = (steady.0..=steady.1)
        .map(|s| {
            let last = tracker.last_us[s as usize].load(Ordering::Relaxed);
            last.saturating_sub(tracker.sent_us[s as usize].load(Ordering::Relaxed)) as u32
        })
        .collect();
    all_received.sort_unstable();
    let expected = messages * online as u64;
    println!(
        "steady   {messages} messages at {} msgs/s from {senders} connections ({} deliveries/s \
         offered): {delivered} of {expected} delivered in {wall:.1} s, {:.0}/s; server CPU \
         {cpu:.2} s → {:.0} deliveries per CPU second; latency p50 {:.2} ms p99 {:.2} ms max {:.2} ms; all {online} received \
         p50 {:.2} ms p99 {:.2} ms after the send; refused {:?}; the clients (this \
         process) used {own:.2} s of CPU (load average {load:.2})",
        o.rate,
        u64::from(o.rate) * online as u64,
        delivered as f64 / wall,
        delivered as f64 / cpu,
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0),
        percentile(&all_received, 0.5),
        percentile(&all_received, 0.99),
        refused,
    );
    let stored = growth(&db2, &db3);
    let summary = RunSummary {
        members: o.members,
        storage_per_message: stored.pages as f64 / messages as f64,
        payload_per_message: stored.payload as f64 / messages as f64,
    };
    println!(
        "storage  {messages} messages of {} bytes of content: database {:+} bytes in pages, \
         {:.0} per message (payload {:.0} per message; per object: {})",
        send_content_len(o.payload),
        stored.pages,
        summary.storage_per_message,
        summary.payload_per_message,
        stored.top_per(messages as usize),
    );
    drop(sender_conns);
    drop(server);
    summary
}

/// Bytes of a benchmark message's content (the sequence number and timestamp vary a little).
fn send_content_len(payload: usize) -> usize {
    r#"{"content":"1000 10000000 "}"#.len() + payload
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let arg = |name: &str| {
        let i = args.iter().position(|a| a == name)?;
        args.get(i + 1)?.parse::<u64>().ok()
    };
    let large = arg("--members").unwrap_or(if quick { 10_000 } else { 100_000 }) as usize;
    let small = arg("--small").unwrap_or(1_000) as usize;
    let base = Options {
        members: large,
        online: arg("--online").unwrap_or(1_000) as usize,
        single: arg("--single").unwrap_or(30),
        rate: arg("--rate").unwrap_or(100) as u32,
        secs: arg("--secs").unwrap_or(10),
        senders: arg("--senders").unwrap_or(4) as usize,
        payload: 100,
        join_batch: arg("--join-batch").unwrap_or(1) as usize,
    };
    let own_limit = raise_open_file_limit();
    let bin = server_bin();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!(
        "rcim ultra-group benchmark (loopback, {} CPUs, open-file limit {own_limit}, load \
         average {:.2})",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        load_average(),
    );
    runtime.block_on(async {
        let mut summaries = Vec::new();
        for members in [small, large] {
            if members < 2 {
                continue;
            }
            let options = Options { members, ..base };
            summaries.push(run(&bin, &options).await);
        }
        println!();
        for s in &summaries {
            println!(
                "storage per message with {} members: {:.0} bytes ({:.0} payload)",
                s.members, s.storage_per_message, s.payload_per_message
            );
        }
    });
}
