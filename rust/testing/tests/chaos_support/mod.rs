//! The chaos scenario shared by the short test (`tests/chaos.rs`) and the long benchmark
//! (`benches/chaos.rs`).
//!
//! The real `rcim-server` binary runs as a child process and gets SIGKILL every few seconds
//! (restarted on the same database and ports after a short pause) while real engines of
//! `rcim-core` — each with its own database, outbox and inbox cursor, as on a phone — send
//! private and group messages and are disconnected and reconnected at random. Real engines
//! rather than raw protocol clients: what must hold is the promise the SDK makes to an app
//! (resends with the same client id, the persisted cursor, send timeouts), so the client's
//! half of it is under test too.
//!
//! Afterwards, with the server left running and every client reconnected, it checks that
//! every acknowledged message (`MessageSent` code 0) reached each recipient exactly once,
//! that each recipient got each sender's messages of a conversation in the order they were
//! sent, that the members of a group saw its messages in one order, and that every message
//! not acknowledged either failed visibly (`MessageSent` with a code, or refused by the call)
//! and reached each recipient at most once.

mod ledger;
pub mod server;

pub use ledger::Report;
use ledger::{expected_deliveries, seen_acked_deliveries, verify, Ledger, Sent};

use rcim_core::model::conversation_type;
use rcim_core::{codec, Engine, EngineConfig, EngineOptions};
use rcim_testing::{server_api, APP_KEY};
use server::ChaosServer;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The shape of one run.
#[derive(Debug, Clone)]
pub struct Plan {
    pub clients: usize,
    /// Clients per group (users are split into groups of this size).
    pub group_size: usize,
    /// How long the server is killed and clients disconnected.
    pub chaos: Duration,
    /// The server runs this long (ms, uniform) between kills.
    pub kill_every_ms: (u64, u64),
    /// And stays down this long after a kill.
    pub down_for_ms: (u64, u64),
    /// Each client sends one message after a pause of this long.
    pub send_every_ms: (u64, u64),
    /// The chance, per send step, that the client disconnects instead.
    pub disconnect_chance: f64,
    /// How long a disconnected client stays away.
    pub offline_for_ms: (u64, u64),
    /// The chance, per send step, of an app restart instead (engine destroyed, a new one on
    /// the same database).
    pub restart_chance: f64,
    /// One long outage: after this many kills the server stays down this long (ms), longer
    /// than the clients' send timeout, so that sends fail visibly.
    pub long_down: Option<(usize, u64)>,
    /// The engines' send timeout (how long a message waits for a connection).
    pub send_timeout: Duration,
    pub seed: u64,
}

impl Plan {
    /// The seed from `CHAOS_SEED` (to replay a run), else from the clock.
    pub fn seed_from_env() -> u64 {
        std::env::var("CHAOS_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| rcim_core::now_ms() as u64)
    }
}

/// A small deterministic generator (xorshift64*), so a seed replays the same choices.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn millis(&mut self, (lo, hi): (u64, u64)) -> Duration {
        Duration::from_millis(lo + self.below(hi - lo + 1))
    }

    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

/// One device: an engine on its own data directory, its events read into the ledger.
struct Client {
    user: String,
    token: String,
    navi: String,
    dir: tempfile::TempDir,
    engine: Engine,
    /// Reads the engine's events; ends once the engine and all its tasks are gone.
    reader: tokio::task::JoinHandle<()>,
}

impl Client {
    /// Creates the engine on `dir` and connects it (no deadline: it keeps trying).
    fn start(
        user: String,
        token: String,
        navi: String,
        dir: tempfile::TempDir,
        ledger: &Arc<Mutex<Ledger>>,
        send_timeout: Duration,
    ) -> Client {
        let options = EngineOptions {
            navi_server: Some(navi.clone()),
            ..Default::default()
        };
        let mut config = EngineConfig::new(APP_KEY, &options, dir.path().to_path_buf());
        config.send_timeout = send_timeout;
        let (engine, mut events) = Engine::new(config);
        let (log, who) = (ledger.clone(), user.clone());
        let reader = tokio::spawn(async move {
            while let Some(event) = events.recv().await {
                log.lock().unwrap().record(&who, event);
            }
        });
        assert_eq!(engine.connect(&token, 0, None), Ok(()));
        Client {
            user,
            token,
            navi,
            dir,
            engine,
            reader,
        }
    }

    /// An app restart: the engine is destroyed, every event it still had is read, and a new
    /// engine opens the same database and connects.
    async fn restart(self, ledger: &Arc<Mutex<Ledger>>, send_timeout: Duration) -> Client {
        let Client {
            user,
            token,
            navi,
            dir,
            engine,
            reader,
        } = self;
        engine.shutdown();
        drop(engine);
        tokio::time::timeout(Duration::from_secs(30), reader)
            .await
            .expect("the old engine's tasks end")
            .unwrap();
        Client::start(user, token, navi, dir, ledger, send_timeout)
    }
}

fn user_name(n: usize) -> String {
    format!("u{n:02}")
}

fn group_of(n: usize, group_size: usize) -> String {
    format!("g{}", n / group_size)
}

/// Runs `plan` against the `rcim-server` at `bin`.
pub async fn run(bin: &std::path::Path, plan: Plan) -> Report {
    let server = ChaosServer::start(bin);
    let navi = server.navi_url();
    let ledger = Arc::new(Mutex::new(Ledger::default()));

    // Users, groups and tokens through the Server API.
    let mut tokens = Vec::new();
    for n in 0..plan.clients {
        let reply = server_api(&navi, "/user/getToken.json", &[("userId", &user_name(n))]).await;
        assert_eq!(reply["code"], 200, "getToken: {reply}");
        tokens.push(reply["token"].as_str().unwrap().to_string());
    }
    let mut members: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for n in 0..plan.clients {
        members
            .entry(group_of(n, plan.group_size))
            .or_default()
            .push(user_name(n));
    }
    for (group, users) in &members {
        let mut form: Vec<(&str, &str)> = users.iter().map(|u| ("userId", u.as_str())).collect();
        form.push(("groupId", group));
        form.push(("groupName", group));
        let reply = server_api(&navi, "/group/create.json", &form).await;
        assert_eq!(reply["code"], 200, "group/create: {reply}");
    }

    // Engines, each with its own data directory, reading their events all along.
    let mut clients = Vec::new();
    for (n, token) in tokens.into_iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        clients.push(Client::start(
            user_name(n),
            token,
            navi.clone(),
            dir,
            &ledger,
            plan.send_timeout,
        ));
    }
    let users: Vec<String> = clients.iter().map(|c| c.user.clone()).collect();
    let all_connected =
        |ledger: &Ledger| users.iter().all(|u| ledger.connected.get(u) == Some(&true));
    assert!(
        wait_until(&ledger, Duration::from_secs(60), all_connected).await,
        "the clients did not connect"
    );

    // The chaos: clients send and come and go; the server is killed and restarted.
    let started = Instant::now();
    let end = started + plan.chaos;
    let mut drivers = Vec::new();
    for (n, client) in clients.into_iter().enumerate() {
        let others: Vec<String> = (0..plan.clients)
            .filter(|&m| m != n)
            .map(user_name)
            .collect();
        let group = group_of(n, plan.group_size);
        let group_peers: Vec<String> = members[&group]
            .iter()
            .filter(|u| **u != client.user)
            .cloned()
            .collect();
        drivers.push(tokio::spawn(drive(
            client,
            ledger.clone(),
            plan.clone(),
            Rng::new(plan.seed ^ ((n as u64 + 1) << 20)),
            end,
            others,
            (group, group_peers),
        )));
    }
    let killer = {
        let plan = plan.clone();
        let killed = ledger.clone();
        tokio::task::spawn_blocking(move || {
            let mut server = server;
            let mut rng = Rng::new(plan.seed);
            let mut kills = 0;
            loop {
                let wait = rng.millis(plan.kill_every_ms);
                if Instant::now() + wait >= end {
                    std::thread::sleep(end.saturating_duration_since(Instant::now()));
                    break;
                }
                std::thread::sleep(wait);
                server.kill9();
                kills += 1;
                killed.lock().unwrap().note("server", "killed".into());
                let down = match plan.long_down {
                    Some((after, ms)) if after == kills => Duration::from_millis(ms),
                    _ => rng.millis(plan.down_for_ms),
                };
                std::thread::sleep(down);
                server.restart();
                killed.lock().unwrap().note("server", "restarted".into());
            }
            (server, kills)
        })
    };
    let (mut disconnects, mut restarts, mut clients) = (0, 0, Vec::new());
    for driver in drivers {
        let (client, chaos) = driver.await.unwrap();
        disconnects += chaos.disconnects;
        restarts += chaos.restarts;
        clients.push(client);
    }
    let (server, kills) = killer.await.unwrap();
    let chaos_secs = started.elapsed().as_secs_f64();

    // Settling: everyone back, every send answered, every acknowledged message delivered.
    let settling = Instant::now();
    let settled = wait_until(&ledger, Duration::from_secs(90), |l| {
        all_connected(l) && l.sent.values().all(Sent::settled)
    })
    .await;
    let delivered = wait_until(&ledger, Duration::from_secs(60), |l| {
        expected_deliveries(l) == seen_acked_deliveries(l)
    })
    .await;
    let settle_secs = settling.elapsed().as_secs_f64();
    // Time for duplicates to show.
    tokio::time::sleep(Duration::from_secs(2)).await;

    let ledger = ledger.lock().unwrap();
    let mut report = verify(&ledger, &members);
    if !settled {
        report.violations.insert(
            0,
            "not settled within 90 s (clients not connected or sends unanswered)".into(),
        );
    }
    if !delivered {
        report
            .violations
            .insert(0, "acknowledged messages not delivered within 60 s".into());
    }
    report.seed = plan.seed;
    report.clients = plan.clients;
    report.chaos_secs = chaos_secs;
    report.settle_secs = settle_secs;
    report.server_kills = kills;
    report.client_disconnects = disconnects;
    report.client_restarts = restarts;
    if let Some(first) = report.violations.first() {
        eprintln!("last server log:\n{}", server.log());
        eprintln!("server:\n{}", ledger.timeline_of("server", started));
        // The timeline of the sender the first violation names.
        if let Some(sender) = first.split('"').nth(1).and_then(|t| t.split('|').next()) {
            eprintln!("{sender}:\n{}", ledger.timeline_of(sender, started));
        }
    }
    for client in &clients {
        client.engine.shutdown();
    }
    report
}

/// What one client did besides sending.
#[derive(Default)]
struct ClientChaos {
    disconnects: usize,
    restarts: usize,
}

/// One client's part of the chaos; hands the client back at the end.
async fn drive(
    mut client: Client,
    ledger: Arc<Mutex<Ledger>>,
    plan: Plan,
    mut rng: Rng,
    end: Instant,
    others: Vec<String>,
    (group, group_peers): (String, Vec<String>),
) -> (Client, ClientChaos) {
    let mut seqs: HashMap<String, u64> = HashMap::new();
    let mut chaos = ClientChaos::default();
    while Instant::now() < end {
        tokio::time::sleep(rng.millis(plan.send_every_ms)).await;
        if rng.chance(plan.restart_chance) {
            ledger
                .lock()
                .unwrap()
                .note(&client.user, "app restart".into());
            client = client.restart(&ledger, plan.send_timeout).await;
            chaos.restarts += 1;
            continue;
        }
        if rng.chance(plan.disconnect_chance) {
            ledger
                .lock()
                .unwrap()
                .note(&client.user, "disconnect".into());
            let _ = client.engine.disconnect(false);
            chaos.disconnects += 1;
            tokio::time::sleep(rng.millis(plan.offline_for_ms)).await;
            ledger.lock().unwrap().note(&client.user, "connect".into());
            assert_eq!(client.engine.connect(&client.token, 0, None), Ok(()));
            continue;
        }
        let (kind, target, conversation, recipients) = if rng.chance(0.5) {
            let to = others[rng.below(others.len() as u64) as usize].clone();
            let conversation = format!("p:{}>{}", client.user, to);
            (
                conversation_type::PRIVATE,
                to.clone(),
                conversation,
                vec![to],
            )
        } else {
            let conversation = format!("g:{group}");
            (
                conversation_type::GROUP,
                group.clone(),
                conversation,
                group_peers.clone(),
            )
        };
        let seq = seqs.entry(conversation.clone()).or_default();
        *seq += 1;
        let text = format!("{}|{}|{}", client.user, conversation, seq);
        ledger.lock().unwrap().sent.insert(
            text.clone(),
            Sent {
                sender: client.user.clone(),
                conversation,
                seq: *seq,
                recipients,
                outcomes: Vec::new(),
                refused: None,
            },
        );
        ledger
            .lock()
            .unwrap()
            .note(&client.user, format!("send {text}"));
        let message = codec::new_text_message(kind, &target, None, &text);
        if let Err(code) = client.engine.send_message(message, None) {
            if let Some(sent) = ledger.lock().unwrap().sent.get_mut(&text) {
                sent.refused = Some(code.value());
            }
        }
    }
    (client, chaos)
}

/// Polls `done` over the ledger every 100 ms for up to `limit`.
async fn wait_until(
    ledger: &Mutex<Ledger>,
    limit: Duration,
    done: impl Fn(&Ledger) -> bool,
) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        if done(&ledger.lock().unwrap()) {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
