//! The local store at scale: 1,000,000 messages in 1,000 conversations (a third of
//! the texts Chinese). Measures, through the engine's API (the `Query` awaited, as an app
//! call waits for it) and with raw SQLite (rusqlite, the same queries on the same file, in the
//! same run):
//!
//! 1. `getMessages` of 20 (the newest page of a random conversation);
//! 2. `getConversations` of 50 (the first page, with their last messages);
//! 3. CJK keyword search in a random conversation (`searchMessages`, 20 results): a 4-character
//!    keyword (trigram index) and a 2-character one (scan of the conversation).
//!
//! Targets (p99): ≤ 1 ms, ≤ 2 ms, ≤ 20 ms. A benchmark, not a test: it prints figures.
//!
//! Run: `cargo bench -p rcim-testing --bench local_store` (add `-- --quick` for 100,000
//! messages in 100 conversations).

use rcim_core::{ConversationKey, Engine, EngineConfig, EngineOptions};
use rcim_store::{direction, received_status, sent_status, NewMessage, Store};
use rusqlite::{Connection, OpenFlags};
use std::time::{Duration, Instant};

const APP_KEY: &str = "bench-app";
const USER: &str = "bench";
/// Messages stored per transaction while building the store.
const BATCH: usize = 10_000;
/// Timed runs of each query.
const RUNS: usize = 1_000;

/// Chinese phrases the texts are made of; the keywords below come from them.
const PHRASES: &[&str] = &[
    "今天天气很好",
    "我们明天开会",
    "项目进度更新",
    "晚上一起吃饭",
    "请查收附件",
    "周末去爬山吗",
    "这个问题已经解决",
    "下午三点见",
    "会议纪要已发送",
    "谢谢你的帮助",
    "新版本上线了",
    "需要再讨论一下",
];
const WORDS: &[&str] = &[
    "hello", "meeting", "tomorrow", "release", "review", "lunch", "update", "thanks", "deploy",
    "weekend", "report", "budget",
];
/// Found through the trigram index (4 characters).
const KEYWORD_LONG: &str = "会议纪要";
/// Found by scanning the conversation (2 characters).
const KEYWORD_SHORT: &str = "开会";

/// A small deterministic generator (xorshift), so every run builds the same store.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn text_of(rng: &mut Rng, i: usize) -> String {
    if i % 3 == 0 {
        (0..3)
            .map(|_| PHRASES[rng.below(PHRASES.len())])
            .collect::<Vec<_>>()
            .join("，")
    } else {
        (0..6)
            .map(|_| WORDS[rng.below(WORDS.len())])
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn target(c: usize) -> String {
    format!("user{c:04}")
}

fn build(path: &std::path::Path, messages: usize, conversations: usize) {
    let started = Instant::now();
    let mut store = Store::open(path).unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let base = 1_600_000_000_000i64;
    let mut batch = Vec::with_capacity(BATCH);
    for i in 0..messages {
        let c = rng.below(conversations);
        let incoming = rng.below(2) == 0;
        let body = serde_json::json!({ "content": text_of(&mut rng, i) }).to_string();
        batch.push(NewMessage {
            conversation_type: 1,
            target_id: target(c),
            message_type: 2,
            object_name: "RC:TxtMsg".into(),
            content: body,
            uid: Some(format!("U{i}")),
            sender_id: if incoming { target(c) } else { USER.into() },
            direction: if incoming {
                direction::RECEIVE
            } else {
                direction::SEND
            },
            sent_status: sent_status::SENT,
            received_status: received_status::READ,
            sent_time: base + i as i64 * 1000,
            received_time: base + i as i64 * 1000,
            counted: true,
            ..NewMessage::default()
        });
        if batch.len() == BATCH {
            store.insert_messages(&batch).unwrap();
            batch.clear();
        }
    }
    if !batch.is_empty() {
        store.insert_messages(&batch).unwrap();
    }
    drop(store);
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    println!(
        "built {messages} messages in {conversations} conversations in {:.1} s ({} MiB)",
        started.elapsed().as_secs_f64(),
        size >> 20
    );
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn report(name: &str, mut times: Vec<Duration>, found: usize) {
    times.sort_unstable();
    println!(
        "{name:<44} p50 {:>8.3} ms   p99 {:>8.3} ms   ({found} rows per run on average)",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
    );
}

/// Times `run` RUNS times (each returns how many rows it got).
async fn time_async<F, Fut>(mut run: F) -> (Vec<Duration>, usize)
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = usize>,
{
    let mut times = Vec::with_capacity(RUNS);
    let mut rows = 0;
    for i in 0..RUNS {
        let started = Instant::now();
        rows += run(i).await;
        times.push(started.elapsed());
    }
    (times, rows / RUNS)
}

fn time_sync(mut run: impl FnMut(usize) -> usize) -> (Vec<Duration>, usize) {
    let mut times = Vec::with_capacity(RUNS);
    let mut rows = 0;
    for i in 0..RUNS {
        let started = Instant::now();
        rows += run(i);
        times.push(started.elapsed());
    }
    (times, rows / RUNS)
}

/// The raw equivalents of the store's queries.
const RAW_MESSAGES: &str = "SELECT * FROM messages WHERE conversation_type = ?1
    AND target_id = ?2 AND channel_id = ?3 ORDER BY sent_time DESC, id DESC LIMIT 20";
const RAW_CONVERSATIONS: &str = "SELECT * FROM conversations c
    LEFT JOIN messages m ON m.id = c.last_message_id
    WHERE +c.conversation_type IN (1, 2) ORDER BY c.top DESC, c.sort_time DESC LIMIT 50";
const RAW_SEARCH_LONG: &str = "SELECT * FROM messages
    WHERE id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?1)
      AND conversation_type = ?2 AND target_id = ?3 AND channel_id = ?4
    ORDER BY sent_time DESC, id DESC LIMIT 20";
/// The store's plan for keywords of 3+ characters: the newest 2,000 messages scanned first.
const RAW_WINDOW_FLOOR: &str = "SELECT sent_time FROM messages
    WHERE conversation_type = ?1 AND target_id = ?2 AND channel_id = ?3
    ORDER BY sent_time DESC, id DESC LIMIT 1 OFFSET 1999";
const RAW_SCAN: &str = "SELECT * FROM messages
    WHERE conversation_type = ?2 AND target_id = ?3 AND channel_id = ?4 AND sent_time >= ?5
      AND search_text LIKE ?1 ESCAPE '\\'
    ORDER BY sent_time DESC, id DESC LIMIT 20";
const RAW_SEARCH_SHORT: &str = "SELECT * FROM messages
    WHERE search_text LIKE ?1 ESCAPE '\\'
      AND conversation_type = ?2 AND target_id = ?3 AND channel_id = ?4
    ORDER BY sent_time DESC, id DESC LIMIT 20";

fn raw_count(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> usize {
    let mut stmt = conn.prepare_cached(sql).unwrap();
    let mut rows = stmt.query(params).unwrap();
    let mut n = 0;
    while let Some(row) = rows.next().unwrap() {
        // Read every column, as the store does.
        for i in 0..row.as_ref().column_count() {
            let _ = row.get_ref(i).unwrap();
        }
        n += 1;
    }
    n
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let (messages, conversations) = if quick {
        (100_000, 100)
    } else {
        (1_000_000, 1_000)
    };
    let dir = tempfile::tempdir().unwrap();
    let config = EngineConfig::new(APP_KEY, &EngineOptions::default(), dir.path().to_path_buf());
    let path = config.database_path(USER);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    build(&path, messages, conversations);

    // The engine opens the store when it connects (no server needed: timeout 0, an unused
    // navigation address; the connection attempts fail in the background).
    let options = EngineOptions {
        navi_server: Some("http://127.0.0.1:9".into()),
        ..EngineOptions::default()
    };
    let config = EngineConfig::new(APP_KEY, &options, dir.path().to_path_buf());
    let (engine, mut events) = Engine::new(config);
    tokio::spawn(async move { while events.recv().await.is_some() {} });
    let token = rcim_server::issue_token(APP_KEY, "secret", USER, rcim_core::now_ms(), 0);
    engine.connect(&token, 0, None).unwrap();
    let key = |c: usize| ConversationKey::new(1, &target(c), "");
    // Wait for the database, then warm up.
    let warm = Instant::now() + Duration::from_secs(30);
    while engine.messages(key(0), 0, 0, 0, 20).is_err() {
        assert!(Instant::now() < warm, "the database did not open");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let raw = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();

    let mut rng = Rng(42);
    let picks: Vec<usize> = (0..RUNS).map(|_| rng.below(conversations)).collect();
    let engine = &engine;
    let picks = &picks;
    println!("\n{messages} messages, {conversations} conversations, {RUNS} runs each\n");

    let (t, n) = time_async(|i| async move {
        engine
            .messages(key(picks[i]), 0, 0, 0, 20)
            .unwrap()
            .await
            .unwrap()
            .len()
    })
    .await;
    report("getMessages(20)            engine", t, n);
    let (t, n) = time_sync(|i| raw_count(&raw, RAW_MESSAGES, (1, target(picks[i]), "")));
    report("getMessages(20)            raw SQLite", t, n);

    let (t, n) = time_async(|_| async move {
        engine
            .conversations(vec![1, 2], "", 0, 50)
            .unwrap()
            .await
            .unwrap()
            .len()
    })
    .await;
    report("getConversations(50)       engine", t, n);
    let (t, n) = time_sync(|_| raw_count(&raw, RAW_CONVERSATIONS, []));
    report("getConversations(50)       raw SQLite", t, n);

    for (keyword, raw_sql, raw_param) in [
        (KEYWORD_LONG, RAW_SEARCH_LONG, format!("\"{KEYWORD_LONG}\"")),
        (
            KEYWORD_SHORT,
            RAW_SEARCH_SHORT,
            format!("%{KEYWORD_SHORT}%"),
        ),
    ] {
        let (t, n) = time_async(|i| async move {
            engine
                .search_messages(key(picks[i]), keyword, 0, 20)
                .unwrap()
                .await
                .unwrap()
                .len()
        })
        .await;
        report(&format!("searchMessages(\"{keyword}\")  engine"), t, n);
        let (t, n) = time_sync(|i| raw_count(&raw, raw_sql, (&raw_param, 1, target(picks[i]), "")));
        report(&format!("searchMessages(\"{keyword}\")  raw SQLite"), t, n);
    }
    // The engine's plan for the long keyword, in raw SQLite.
    let pattern = format!("%{KEYWORD_LONG}%");
    let (t, n) = time_sync(|i| {
        let floor: i64 = raw
            .prepare_cached(RAW_WINDOW_FLOOR)
            .unwrap()
            .query_row((1, target(picks[i]), ""), |r| r.get(0))
            .unwrap_or(0);
        let found = raw_count(&raw, RAW_SCAN, (&pattern, 1, target(picks[i]), "", floor));
        if found < 20 {
            raw_count(
                &raw,
                RAW_SEARCH_LONG,
                (format!("\"{KEYWORD_LONG}\""), 1, target(picks[i]), ""),
            )
        } else {
            found
        }
    });
    report(
        &format!("searchMessages(\"{KEYWORD_LONG}\")  raw, scan first"),
        t,
        n,
    );
    engine.shutdown();
}
