//! Chatroom benchmarks against an `rcim-server` process of its own (a benchmark, not a test:
//! it prints figures).
//!
//! Run: `cargo bench -p rcim-testing --bench chatroom` (`-- --quick` for a short run, `-- idle`
//! or `-- fanout` for one part). The server binary is built first (`cargo build --release -p
//! rcim-server`) unless `RCIM_SERVER_BIN` names one.
//!
//! 1. memory per idle connection: logged-in raw protocol clients (this process), the server's
//!    resident memory (`/proc/<pid>/status`) before and after, at 10,000 and 50,000
//!    connections (or as many as the open-file limits allow);
//! 2. fan-out in one room of 10,000 member connections: a sender publishes at a steady rate;
//!    deliveries per second of server CPU time (`/proc/<pid>/stat`) and the delivery latency
//!    (send timestamp in the content against the receive time, one clock); then the same
//!    while a tenth of the members do not read their socket: the others' latency, and the
//!    messages the slow ones lost (dropped by the server, counted at the receivers).

#[path = "support/server_process.rs"]
mod server_process;

use futures::stream::{self, StreamExt};
use futures::SinkExt;
use rcim_proto::v1::{
    chat_room_event, client_frame, request, response, server_frame, ClientFrame, JoinChatRoom,
    Request, SendMessage, ServerFrame,
};
use server_process::{
    login, parse_content, percentile, proc_cpu_secs, raise_open_file_limit, server_bin, Raw,
    ServerProcess,
};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio_util::sync::CancellationToken;

/// Logins in flight at once.
const LOGIN_CONCURRENCY: usize = 128;
/// Open files the server and this process keep besides the client connections.
const FD_RESERVE: u64 = 300;
const ROOM: &str = "bench-room";

/// The server's chatroom delivery counters as it last logged them (about every 10 s when they
/// moved): frames queued, low-priority messages dropped, slow members disconnected.
fn logged_chatroom_counters(server: &ServerProcess) -> Option<(u64, u64, u64)> {
    let text = server.log();
    let line = text
        .lines()
        .rev()
        .find(|l| l.contains("chatroom delivery counters"))?;
    let field = |name: &str| -> Option<u64> {
        line.split_whitespace()
            .find_map(|w| w.strip_prefix(name)?.strip_prefix('='))?
            .parse()
            .ok()
    };
    Some((
        field("delivered")?,
        field("dropped")?,
        field("slow_disconnects")?,
    ))
}

fn request_frame(seq: u64, request_id: String, body: request::Body) -> ClientFrame {
    ClientFrame {
        seq,
        body: Some(client_frame::Body::Request(Request {
            request_id,
            body: Some(body),
        })),
    }
}

/// Joins [`ROOM`] (created by the first join) and waits for the answer.
async fn join_room(raw: &mut Raw) {
    let join = request::Body::JoinChatroom(JoinChatRoom {
        room_id: ROOM.into(),
        message_count: 0,
        auto_create: true,
    });
    raw.send(request_frame(1, String::new(), join))
        .await
        .unwrap();
    loop {
        match raw.next().await {
            Some(Ok(ServerFrame {
                seq: 1,
                body: Some(server_frame::Body::Response(r)),
            })) => {
                assert_eq!(r.code, 0, "join refused");
                assert!(matches!(r.body, Some(response::Body::ChatroomJoined(_))));
                return;
            }
            Some(Ok(_)) => {}
            other => panic!("join failed: {other:?}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 1. Memory per idle connection

/// Logs in `count` users and keeps their connections idle; prints the server's resident
/// memory per connection.
async fn idle_memory(bin: &Path, requested: usize, own_limit: u64) {
    let server = ServerProcess::start(bin, &[]);
    let gateway = server.gateway;
    const WARM: usize = 500;
    let limit = own_limit.min(server.open_file_limit());
    let possible = (limit.saturating_sub(FD_RESERVE) as usize).saturating_sub(WARM);
    let count = if requested > possible {
        let count = possible / 1000 * 1000;
        println!(
            "idle memory  {requested} connections: not possible here (open-file limit {limit} \
             in the server or this process, a hard limit only CAP_SYS_RESOURCE may raise); \
             measuring {count}"
        );
        count
    } else {
        requested
    };
    // Connections made before the measurement: one-time allocations (runtime, database pages,
    // allocator arenas) land before the first figure.
    let warm = connect_idle(gateway, "warm", 0, WARM).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (rss0, anon0) = server.rss_kb();
    let cpu0 = server.cpu_secs();
    let started = Instant::now();
    let idle = connect_idle(gateway, &format!("idle{requested}-"), WARM, count).await;
    let login_secs = started.elapsed().as_secs_f64();
    let cpu = server.cpu_secs() - cpu0;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (rss1, anon1) = server.rss_kb();
    let per = |before: u64, after: u64| (after.saturating_sub(before) * 1024) as f64 / count as f64;
    println!(
        "idle memory  {count} connections: server RSS {:.1} → {:.1} MiB, {:.0} bytes per \
         connection ({:.0} anonymous); {:.0} logins/s, {:.0} µs server CPU per login",
        rss0 as f64 / 1024.0,
        rss1 as f64 / 1024.0,
        per(rss0, rss1),
        per(anon0, anon1),
        count as f64 / login_secs,
        cpu / count as f64 * 1e6,
    );
    drop((warm, idle));
    drop(server);
}

/// `count` logged-in connections of users `{prefix}{i}`, reduced to their sockets.
async fn connect_idle(
    gateway: SocketAddr,
    prefix: &str,
    first: usize,
    count: usize,
) -> Vec<TcpStream> {
    stream::iter(first..first + count)
        .map(|n| async move {
            let raw = login(gateway, n, &format!("{prefix}{n}"), false).await;
            raw.into_inner()
        })
        .buffer_unordered(LOGIN_CONCURRENCY)
        .collect()
        .await
}

// ---------------------------------------------------------------------------------------------
// 2. Fan-out in one room

struct FanoutOptions {
    members: usize,
    /// Messages per second the sender publishes.
    rate: u32,
    /// Seconds of phase A (all members read).
    secs: u64,
    /// Seconds of phase B (a tenth of the members do not read): long enough for their
    /// queues to pass the low-priority share (512 frames by default) after the kernel's
    /// socket buffers filled.
    slow_secs: u64,
    /// Text of each message, bytes (besides its sequence number and timestamp).
    payload: usize,
}

/// What the benchmark's members share: the clock of the timestamps and the slow period.
struct Clock {
    base: Instant,
    /// Until when (µs since `base`) the slow members do not read; 0 = they read.
    slow_until_us: AtomicU64,
    /// When (µs since `base`) a member last received a message.
    last_receive_us: AtomicU64,
}

impl Clock {
    fn now_us(&self) -> u64 {
        self.base.elapsed().as_micros() as u64
    }
}

/// What one member saw: latencies (µs) of the messages of phase A and of phase B, counts.
#[derive(Default)]
struct MemberLog {
    slow: bool,
    latencies_a: Vec<u32>,
    latencies_b: Vec<u32>,
    received_a: u64,
    received_b: u64,
    /// The server closed the connection.
    closed: bool,
}

/// Reads a member's connection until `stop`; phase A is messages 1..=`last_a`.
async fn member_loop(
    mut raw: Raw,
    slow: bool,
    clock: Arc<Clock>,
    last_a: u64,
    stop: CancellationToken,
) -> MemberLog {
    let mut log = MemberLog {
        slow,
        ..MemberLog::default()
    };
    loop {
        if slow {
            let until = clock.slow_until_us.load(Ordering::Relaxed);
            let now = clock.now_us();
            if now < until {
                tokio::select! {
                    _ = stop.cancelled() => break,
                    _ = tokio::time::sleep(Duration::from_micros(until - now)) => continue,
                }
            }
        }
        let frame = tokio::select! {
            _ = stop.cancelled() => break,
            f = raw.next() => f,
        };
        let Some(Ok(frame)) = frame else {
            log.closed = true;
            break;
        };
        let Some(server_frame::Body::Chatroom(event)) = frame.body else {
            continue;
        };
        let Some(chat_room_event::Body::Message(m)) = event.body else {
            continue;
        };
        let Some((seq, sent_us)) = parse_content(&m.content) else {
            continue;
        };
        let now = clock.now_us();
        clock.last_receive_us.store(now, Ordering::Relaxed);
        let latency = now.saturating_sub(sent_us).min(u64::from(u32::MAX)) as u32;
        if seq <= last_a {
            log.received_a += 1;
            log.latencies_a.push(latency);
        } else {
            log.received_b += 1;
            log.latencies_b.push(latency);
        }
    }
    log
}

/// Publishes messages `first..=last` into the room at `rate` per second; returns when the
/// last one is acknowledged.
async fn publish(sender: &mut Raw, clock: &Clock, first: u64, last: u64, rate: u32, pad: &str) {
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(rate)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let (mut sent, mut acked) = (first, first);
    while acked <= last {
        tokio::select! {
            _ = tick.tick(), if sent <= last => {
                let content = format!(r#"{{"content":"{sent} {} {pad}"}}"#, clock.now_us());
                let send = request::Body::SendMessage(SendMessage {
                    conversation_type: 3,
                    target_id: ROOM.into(),
                    object_name: "RC:TxtMsg".into(),
                    content,
                    persisted: true,
                    counted: true,
                    ..Default::default()
                });
                let id = format!("bench-{sent}-{}", uuid::Uuid::new_v4().simple());
                sender.send(request_frame(sent, id, send)).await.unwrap();
                sent += 1;
            }
            f = sender.next() => match f {
                Some(Ok(ServerFrame { body: Some(server_frame::Body::Response(r)), .. })) => {
                    assert_eq!(r.code, 0, "chatroom send refused");
                    acked += 1;
                }
                Some(Ok(_)) => {}
                other => panic!("sender connection: {other:?}"),
            },
        }
    }
}

async fn fanout(bin: &Path, o: &FanoutOptions) {
    let server = ServerProcess::start(bin, &[]);
    let gateway = server.gateway;
    let clock = Arc::new(Clock {
        base: Instant::now(),
        slow_until_us: AtomicU64::new(0),
        last_receive_us: AtomicU64::new(0),
    });
    let mut sender = login(gateway, 0, "fan-sender", false).await;
    join_room(&mut sender).await;

    let started = Instant::now();
    let members: Vec<(Raw, bool)> = stream::iter(1..=o.members)
        .map(|n| async move {
            // Every tenth member stops reading in phase B.
            let slow = n % 10 == 0;
            let mut raw = login(gateway, n, &format!("fan-{n}"), slow).await;
            join_room(&mut raw).await;
            (raw, slow)
        })
        .buffer_unordered(LOGIN_CONCURRENCY)
        .collect()
        .await;
    let join_secs = started.elapsed().as_secs_f64();
    let per_phase = u64::from(o.rate) * o.secs;
    let per_slow_phase = u64::from(o.rate) * o.slow_secs;
    let stop = CancellationToken::new();
    let tasks: Vec<_> = members
        .into_iter()
        .map(|(raw, slow)| {
            tokio::spawn(member_loop(
                raw,
                slow,
                clock.clone(),
                per_phase,
                stop.clone(),
            ))
        })
        .collect();
    println!(
        "fan-out  {} members joined in {:.1} s; sender at {} msgs/s, phase A {} s, phase B {} s, \
         {} byte texts",
        o.members, join_secs, o.rate, o.secs, o.slow_secs, o.payload
    );
    // Let the member-joined events settle.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let pad = "x".repeat(o.payload);

    // Phase A: everyone reads.
    let cpu0 = server.cpu_secs();
    let own0 = proc_cpu_secs(std::process::id());
    let wall0 = Instant::now();
    publish(&mut sender, &clock, 1, per_phase, o.rate, &pad).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let cpu_a = server.cpu_secs() - cpu0;
    let wall_a = wall0.elapsed().as_secs_f64();
    let own_a = proc_cpu_secs(std::process::id()) - own0;

    // Phase B: a tenth of the members stop reading for the whole phase.
    // They read again 2 s after the last message of the phase: their catching up (on this
    // machine's two cores) is not what the others' latency should measure.
    let until = clock.now_us() + (o.slow_secs + 2) * 1_000_000;
    clock.slow_until_us.store(until, Ordering::Relaxed);
    let cpu0 = server.cpu_secs();
    let (first_b, last_b) = (per_phase + 1, per_phase + per_slow_phase);
    publish(&mut sender, &clock, first_b, last_b, o.rate, &pad).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let cpu_b = server.cpu_secs() - cpu0;
    // The slow members read again: wait until they caught up (nothing received for 2 s).
    tokio::time::sleep(Duration::from_secs(3)).await;
    let deadline = Instant::now() + Duration::from_secs(120);
    while clock.now_us() - clock.last_receive_us.load(Ordering::Relaxed) < 2_000_000
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    stop.cancel();
    let mut logs = Vec::with_capacity(tasks.len());
    for task in tasks {
        logs.push(task.await.unwrap());
    }
    report_fanout(
        o,
        &logs,
        (per_phase, per_slow_phase),
        (cpu_a, wall_a),
        cpu_b,
    );
    println!("fan-out  phase A: the clients (this process) used {own_a:.2} s of CPU");
    // The server logs its counters about every 10 s when they moved.
    tokio::time::sleep(Duration::from_secs(11)).await;
    match logged_chatroom_counters(&server) {
        Some((delivered, dropped, slow)) => println!(
            "fan-out  server counters: {delivered} room frames queued, {dropped} low-priority \
             messages dropped, {slow} slow members disconnected"
        ),
        None => println!("fan-out  server counters: not logged"),
    }
    drop(server);
}

fn report_fanout(
    o: &FanoutOptions,
    logs: &[MemberLog],
    (per_phase, per_slow_phase): (u64, u64),
    (cpu_a, wall_a): (f64, f64),
    cpu_b: f64,
) {
    let sorted = |pick: &dyn Fn(&MemberLog) -> Option<&Vec<u32>>| {
        let mut all: Vec<u32> = logs.iter().filter_map(pick).flatten().copied().collect();
        all.sort_unstable();
        all
    };
    let a = sorted(&|l| Some(&l.latencies_a));
    let delivered_a: u64 = logs.iter().map(|l| l.received_a).sum();
    println!(
        "fan-out  phase A (all read): {delivered_a} of {} deliveries, {:.0}/s; server CPU {:.2} s \
         in {:.1} s → {:.0} deliveries per CPU second; latency p50 {:.2} ms p99 {:.2} ms max {:.2} ms",
        per_phase * o.members as u64,
        delivered_a as f64 / wall_a,
        cpu_a,
        wall_a,
        delivered_a as f64 / cpu_a,
        percentile(&a, 0.5),
        percentile(&a, 0.99),
        percentile(&a, 1.0),
    );
    let fast_b = sorted(&|l| (!l.slow).then_some(&l.latencies_b));
    let fast_a = sorted(&|l| (!l.slow).then_some(&l.latencies_a));
    let fast = logs.iter().filter(|l| !l.slow).count() as u64;
    let slow = logs.iter().filter(|l| l.slow).count() as u64;
    let fast_received: u64 = logs.iter().filter(|l| !l.slow).map(|l| l.received_b).sum();
    let slow_received: u64 = logs.iter().filter(|l| l.slow).map(|l| l.received_b).sum();
    let closed_fast = logs.iter().filter(|l| !l.slow && l.closed).count();
    let closed_slow = logs.iter().filter(|l| l.slow && l.closed).count();
    println!(
        "fan-out  phase B ({slow} slow members): {:.0} deliveries per server CPU second; the \
         {fast} others p50 {:.2} ms p99 {:.2} ms (phase A: p50 {:.2} p99 {:.2}), lost {} of {} \
         ({closed_fast} disconnected); the slow ones lost {} of {} ({closed_slow} disconnected)",
        (fast_received + slow_received) as f64 / cpu_b,
        percentile(&fast_b, 0.5),
        percentile(&fast_b, 0.99),
        percentile(&fast_a, 0.5),
        percentile(&fast_a, 0.99),
        fast * per_slow_phase - fast_received,
        fast * per_slow_phase,
        slow * per_slow_phase - slow_received,
        slow * per_slow_phase,
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let only = |part: &str| {
        let parts = ["idle", "fanout"];
        let chosen: Vec<&String> = args
            .iter()
            .filter(|a| parts.contains(&a.as_str()))
            .collect();
        chosen.is_empty() || chosen.iter().any(|a| *a == part)
    };
    let own_limit = raise_open_file_limit();
    let bin = server_bin();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!(
        "rcim chatroom benchmark (loopback, {} CPUs, open-file limit {own_limit})",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    runtime.block_on(async {
        if only("idle") {
            let counts: &[usize] = if quick { &[2_000] } else { &[10_000, 50_000] };
            for &count in counts {
                idle_memory(&bin, count, own_limit).await;
            }
        }
        if only("fanout") {
            let mut options = if quick {
                FanoutOptions {
                    members: 1_000,
                    rate: 100,
                    secs: 3,
                    slow_secs: 12,
                    payload: 100,
                }
            } else {
                FanoutOptions {
                    members: 10_000,
                    rate: 20,
                    secs: 10,
                    slow_secs: 60,
                    payload: 100,
                }
            };
            // `--members N`, `--rate N`, `--secs N`, `--slow-secs N` override the defaults.
            let arg = |name: &str| {
                let i = args.iter().position(|a| a == name)?;
                args.get(i + 1)?.parse::<u64>().ok()
            };
            options.members = arg("--members").map_or(options.members, |n| n as usize);
            options.rate = arg("--rate").map_or(options.rate, |n| n as u32);
            options.secs = arg("--secs").unwrap_or(options.secs);
            options.slow_secs = arg("--slow-secs").unwrap_or(options.slow_secs);
            fanout(&bin, &options).await;
        }
    });
}
