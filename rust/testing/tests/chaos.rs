//! The chaos test, short form: the real `rcim-server` binary killed with SIGKILL every few
//! seconds while 50 engines send private and group messages and come and go; afterwards every
//! acknowledged message reached each recipient exactly once and in order, and every other one
//! failed visibly and arrived at most once (see `chaos_support`). The long form is the `chaos`
//! benchmark (`scripts/bench.sh`). Replay a run with `CHAOS_SEED=<seed>` (printed).

mod chaos_support;

use chaos_support::{run, server::server_bin, Plan};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_messages_survive_server_kills_and_client_disconnects() {
    rcim_testing::init_logging();
    let bin = server_bin();
    let plan = Plan {
        clients: 50,
        group_size: 10,
        chaos: Duration::from_secs(25),
        kill_every_ms: (2_500, 4_500),
        down_for_ms: (100, 800),
        send_every_ms: (300, 900),
        disconnect_chance: 0.02,
        offline_for_ms: (300, 2_000),
        restart_chance: 0.01,
        // Once the server stays down longer than the send timeout: those sends fail visibly.
        long_down: Some((3, 6_000)),
        send_timeout: Duration::from_secs(4),
        seed: Plan::seed_from_env(),
    };
    let report = run(&bin, plan).await;
    eprintln!("chaos: {}", report.summary());
    assert!(
        report.violations.is_empty(),
        "{} violations (first 30):\n{}",
        report.violations.len(),
        report.violations[..report.violations.len().min(30)].join("\n")
    );
    // The run did what it is for: the server died several times under traffic.
    assert!(report.server_kills >= 3, "{}", report.summary());
    assert!(report.acked > 500, "{}", report.summary());
}
