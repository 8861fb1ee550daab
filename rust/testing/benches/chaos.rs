//! The chaos test, long form (`scripts/bench.sh`): the release `rcim-server` killed with
//! SIGKILL every 2–6 s for five minutes (`CHAOS_SECS`; `--quick`: one minute), with one outage
//! longer than the engines' default 30 s send timeout, while 50 engines send private and group
//! messages, disconnect and restart. Prints the figures and fails on any broken promise (see
//! `tests/chaos_support`). Replay a run's choices with `CHAOS_SEED=<seed>`.

#[path = "../tests/chaos_support/mod.rs"]
mod chaos_support;

use chaos_support::{run, server::server_bin, Plan};
use std::time::Duration;

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let secs: u64 = std::env::var("CHAOS_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if quick { 60 } else { 300 });
    let bin = server_bin();
    let plan = Plan {
        clients: 50,
        group_size: 10,
        chaos: Duration::from_secs(secs),
        kill_every_ms: (2_000, 6_000),
        down_for_ms: (100, 2_000),
        send_every_ms: (250, 1_000),
        disconnect_chance: 0.02,
        offline_for_ms: (300, 5_000),
        restart_chance: 0.01,
        // Past the middle, the server stays down 35 s: sends waiting longer than the default
        // send timeout (30 s) fail visibly.
        long_down: Some(((secs / 8) as usize, 35_000)),
        send_timeout: Duration::from_secs(30),
        seed: Plan::seed_from_env(),
    };
    println!("chaos: {plan:?}");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let report = runtime.block_on(run(&bin, plan));
    println!("chaos: {}", report.summary());
    if !report.violations.is_empty() {
        for violation in report.violations.iter().take(50) {
            println!("  {violation}");
        }
        std::process::exit(1);
    }
}
