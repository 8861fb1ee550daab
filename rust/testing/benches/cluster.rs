//! Private messages through one node on SQLite, one node on PostgreSQL and two nodes on
//! PostgreSQL + NATS, in one run (a benchmark, not a test: it prints figures).
//!
//! Run: `bash scripts/services.sh start && eval "$(bash scripts/services.sh env)" && cargo
//! bench -p rcim-testing --bench cluster` (add `-- --quick` for a short run). It needs
//! `RCIM_TEST_POSTGRES_URL` and `RCIM_TEST_NATS_URL`; each PostgreSQL configuration gets a
//! schema of its own, dropped at its end.
//!
//! Each node is an `rcim-server` process (see `support/server_process.rs`); the raw protocol
//! clients run in this process (see `support/private.rs`). With two nodes, pair `p`'s sender is
//! on node `p % 2` and its receiver on the other one, so every message crosses the bus and both
//! nodes' writers work. For each configuration:
//! 1. send → receive latency at a fixed, moderate rate (not saturated);
//! 2. sustained delivered messages/s, 32 sends in flight per sender;
//! 3. CPU per acknowledged message during (2): the nodes, the PostgreSQL processes, the
//!    nats-server process and this benchmark's clients (`/proc/<pid>/stat`).

#[path = "support/private.rs"]
mod private;
#[path = "support/server_process.rs"]
mod server_process;

use server_process::{
    load_average, percentile, raise_open_file_limit, server_bin, try_proc_cpu_secs, ServerProcess,
};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

#[derive(Clone, Copy, PartialEq)]
enum Setup {
    Sqlite,
    Postgres,
    PostgresNats,
}

impl Setup {
    fn name(self) -> &'static str {
        match self {
            Setup::Sqlite => "1 node, SQLite (FULL)",
            Setup::Postgres => "1 node, PostgreSQL",
            Setup::PostgresNats => "2 nodes, PostgreSQL + NATS",
        }
    }
}

struct Options {
    latency_pairs: usize,
    /// Messages/s per latency sender.
    latency_rate: u32,
    latency_secs: u64,
    throughput_pairs: usize,
    throughput_secs: u64,
}

/// CPU seconds of every process whose command is `comm` (e.g. `nats-server`), by pid.
fn cpu_of(comm: &str) -> HashMap<u32, f64> {
    let mut cpu = HashMap::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse().ok()) else {
            continue;
        };
        let same = std::fs::read_to_string(format!("/proc/{pid}/comm"))
            .is_ok_and(|c| c.trim_end() == comm);
        if let Some(secs) = same.then(|| try_proc_cpu_secs(pid)).flatten() {
            cpu.insert(pid, secs);
        }
    }
    cpu
}

/// CPU seconds spent between two snapshots (a process started in between counts from zero;
/// one that ended in between is lost).
fn cpu_spent(before: &HashMap<u32, f64>, after: &HashMap<u32, f64>) -> f64 {
    after
        .iter()
        .map(|(pid, secs)| secs - before.get(pid).copied().unwrap_or(0.0))
        .sum()
}

/// The PostgreSQL processes working for this configuration: the nodes' backends (named by
/// `application_name`) and the server's own background processes (WAL writer, checkpointer…).
/// Backends of other clients of the same PostgreSQL (tests running beside the benchmark) are
/// left out.
async fn postgres_cpu(pg: Option<&(String, tokio_postgres::Client)>) -> HashMap<u32, f64> {
    let Some((app, client)) = pg else {
        return HashMap::new();
    };
    let rows = client
        .query(
            "SELECT pid FROM pg_stat_activity \
             WHERE application_name = $1 OR backend_type <> 'client backend'",
            &[app],
        )
        .await
        .unwrap();
    rows.iter()
        .filter_map(|r| {
            let pid = u32::try_from(r.get::<_, i32>(0)).ok()?;
            Some((pid, try_proc_cpu_secs(pid)?))
        })
        .collect()
}

/// CPU snapshot: the nodes, the postgres processes, nats-server, this process.
struct Cpu {
    nodes: f64,
    postgres: HashMap<u32, f64>,
    nats: HashMap<u32, f64>,
    clients: f64,
}

impl Cpu {
    async fn now(nodes: &[ServerProcess], pg: Option<&(String, tokio_postgres::Client)>) -> Self {
        Cpu {
            nodes: nodes.iter().map(|n| n.cpu_secs()).sum(),
            postgres: postgres_cpu(pg).await,
            nats: cpu_of("nats-server"),
            clients: try_proc_cpu_secs(std::process::id()).unwrap_or(0.0),
        }
    }
}

/// One configuration's figures.
struct Row {
    setup: Setup,
    delivered_per_sec: f64,
    acked: u64,
    latency: Vec<u32>,
    missing: u64,
    /// µs of CPU per acknowledged message: nodes, PostgreSQL, NATS, the benchmark's clients
    /// (`None` for a service this configuration does not use).
    cpu_us: [Option<f64>; 4],
    /// Resident memory of the nodes after the run, MiB.
    rss_mib: f64,
    /// PostgreSQL only: rows written (inserted, updated, deleted) and table or index scans
    /// per message sent, from `pg_stat_user_tables` of the run's schema.
    rows_per_message: Option<(f64, f64)>,
}

async fn run(bin: &Path, setup: Setup, o: &Options) -> Row {
    let mut schema = None;
    let mut extra: Vec<String> = Vec::new();
    if setup != Setup::Sqlite {
        let rcim_testing::services::FreshSchema { url, name, client } =
            rcim_testing::services::fresh_schema("bench").await;
        extra.extend(["--store".into(), url]);
        schema = Some((name, client));
    }
    let count = if setup == Setup::PostgresNats {
        let cluster = format!("bench{}", uuid::Uuid::new_v4().simple());
        extra.extend([
            "--bus".into(),
            rcim_testing::services::service_env("RCIM_TEST_NATS_URL"),
        ]);
        extra.extend(["--cluster-name".into(), cluster]);
        2
    } else {
        1
    };
    let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
    let nodes: Vec<ServerProcess> = (0..count)
        .map(|_| ServerProcess::start(bin, &extra))
        .collect();
    let gateways: Vec<SocketAddr> = nodes.iter().map(|n| n.gateway).collect();

    let (latency, missing) =
        private::latency(&gateways, o.latency_pairs, o.latency_rate, o.latency_secs).await;

    let before = Cpu::now(&nodes, schema.as_ref()).await;
    let t = private::throughput(&gateways, o.throughput_pairs, o.throughput_secs).await;
    let after = Cpu::now(&nodes, schema.as_ref()).await;
    let per_message = |secs: f64| secs * 1e6 / t.acked.max(1) as f64;
    let cpu_us = [
        Some(per_message(after.nodes - before.nodes)),
        (setup != Setup::Sqlite).then(|| per_message(cpu_spent(&before.postgres, &after.postgres))),
        (setup == Setup::PostgresNats).then(|| per_message(cpu_spent(&before.nats, &after.nats))),
        Some(per_message(after.clients - before.clients)),
    ];
    let rss_mib = nodes.iter().map(|n| n.rss_kb().0).sum::<u64>() as f64 / 1024.0;
    drop(nodes);
    let mut rows_per_message = None;
    if let Some((name, client)) = schema {
        // The nodes' backends report their table statistics as they exit.
        tokio::time::sleep(Duration::from_secs(1)).await;
        let messages = (latency.len() as u64 + missing + t.acked).max(1) as f64;
        let row = client
            .query_one(
                "SELECT sum(n_tup_ins + n_tup_upd + n_tup_del)::float8, \
                 sum(coalesce(idx_scan, 0) + seq_scan)::float8 \
                 FROM pg_stat_user_tables WHERE schemaname = $1",
                &[&name],
            )
            .await
            .unwrap();
        let (written, scans): (Option<f64>, Option<f64>) = (row.get(0), row.get(1));
        rows_per_message = Some((
            written.unwrap_or(0.0) / messages,
            scans.unwrap_or(0.0) / messages,
        ));
        client
            .batch_execute(&format!("DROP SCHEMA {name} CASCADE"))
            .await
            .unwrap();
    }
    let row = Row {
        setup,
        delivered_per_sec: t.delivered_per_sec,
        acked: t.acked,
        latency,
        missing,
        cpu_us,
        rss_mib,
        rows_per_message,
    };
    print_row(&row, o);
    row
}

/// µs with one decimal, or "—".
fn us(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |v| format!("{v:.1}"))
}

fn print_row(r: &Row, o: &Options) {
    println!(
        "{}: {:.0} private msgs/s delivered ({} acks in {:.1} s, {} pairs); latency at {} msgs/s: \
         p50 {:.2} ms p99 {:.2} ms max {:.2} ms ({} samples, {} missing); CPU µs per message: \
         nodes {}, postgres {}, nats-server {}, clients {}; nodes' RSS {:.0} MiB; load {:.2}",
        r.setup.name(),
        r.delivered_per_sec,
        r.acked,
        o.throughput_secs as f64 + 0.5,
        o.throughput_pairs,
        o.latency_pairs as u32 * o.latency_rate,
        percentile(&r.latency, 0.5),
        percentile(&r.latency, 0.99),
        percentile(&r.latency, 1.0),
        r.latency.len(),
        r.missing,
        us(r.cpu_us[0]),
        us(r.cpu_us[1]),
        us(r.cpu_us[2]),
        us(r.cpu_us[3]),
        r.rss_mib,
        load_average(),
    );
    if let Some((written, scans)) = r.rows_per_message {
        println!(
            "  PostgreSQL per message: {written:.1} rows written, {scans:.1} table/index scans"
        );
    }
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let o = if quick {
        Options {
            latency_pairs: 10,
            latency_rate: 20,
            latency_secs: 2,
            throughput_pairs: 20,
            throughput_secs: 2,
        }
    } else {
        Options {
            latency_pairs: 20,
            latency_rate: 10,
            latency_secs: 6,
            throughput_pairs: 50,
            throughput_secs: 6,
        }
    };
    let bin = server_bin();
    raise_open_file_limit();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        println!(
            "rcim cluster benchmark (loopback, {} CPUs, load average {:.2} at the start)",
            std::thread::available_parallelism().map_or(1, |n| n.get()),
            load_average()
        );
        let mut rows = Vec::new();
        for setup in [Setup::Sqlite, Setup::Postgres, Setup::PostgresNats] {
            rows.push(run(&bin, setup, &o).await);
        }
        println!();
        println!("| configuration | delivered msgs/s | p50 / p99 at {} msgs/s | CPU µs/msg: nodes, PostgreSQL, NATS, clients |", o.latency_pairs as u32 * o.latency_rate);
        println!("|---|---|---|---|");
        for r in &rows {
            println!(
                "| {} | {:.0} | {:.2} / {:.2} ms | {}, {}, {}, {} |",
                r.setup.name(),
                r.delivered_per_sec,
                percentile(&r.latency, 0.5),
                percentile(&r.latency, 0.99),
                us(r.cpu_us[0]),
                us(r.cpu_us[1]),
                us(r.cpu_us[2]),
                us(r.cpu_us[3]),
            );
        }
        println!("load average at the end: {:.2}", load_average());
    });
}
