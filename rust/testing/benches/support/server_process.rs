//! What the benchmarks that run `rcim-server` as a process of its own share: the binary, the
//! process (started on loopback with its data in a temporary directory, killed on drop), its
//! memory and CPU time from `/proc`, and logged-in raw protocol clients.
#![allow(dead_code)] // Each benchmark uses its own part.

use rcim_server::issue_token;
use rcim_testing::raw;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::net::TcpSocket;

pub const APP_KEY: &str = "bench-app";
pub const SECRET: &str = "bench-secret";
/// Client connections come from 127.0.0.2 … 127.0.0.33, so that 50,000 of them do not run out
/// of ephemeral ports (about 28,000 per source address).
pub const SOURCE_ADDRS: usize = 32;

pub type Raw = raw::RawConnection;

/// The value at quantile `p` of `sorted` (µs), in milliseconds.
pub fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    f64::from(sorted[index]) / 1000.0
}

/// The `rcim-server` binary: `RCIM_SERVER_BIN`, or built with cargo next to this benchmark.
pub fn server_bin() -> PathBuf {
    if let Ok(bin) = std::env::var("RCIM_SERVER_BIN") {
        return bin.into();
    }
    // A benchmark runs as <target>/release/deps/<name>-<hash>: build into the same target.
    let exe = std::env::current_exe().unwrap();
    let release = exe.parent().and_then(|deps| deps.parent()).unwrap();
    let target = release.parent().unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--release", "--locked", "-p", "rcim-server"])
        .args(["--bin", "rcim-server", "--target-dir"])
        .arg(target)
        .status()
        .expect("running cargo build for rcim-server");
    assert!(status.success(), "building rcim-server failed");
    release.join("rcim-server")
}

/// An `rcim-server` process on loopback, with its data in a temporary directory; killed on drop.
pub struct ServerProcess {
    child: Child,
    pub gateway: SocketAddr,
    /// Base URL of the Server API (and navigation).
    pub navi: String,
    pub log_path: PathBuf,
    pub data_dir: PathBuf,
    _dir: tempfile::TempDir,
}

impl ServerProcess {
    /// Starts the server with the benchmarks' defaults (no heartbeats expected during the run,
    /// no per-connection rate limits) and `extra` arguments; returns once it is ready.
    pub fn start(bin: &Path, extra: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let log_path = dir.path().join("server.log");
        let log = std::fs::File::create(&log_path).unwrap();
        let data_dir = dir.path().join("data");
        let child = Command::new(bin)
            .arg("--data-dir")
            .arg(&data_dir)
            .args(["--listen", "127.0.0.1:0", "--http", "127.0.0.1:0"])
            .args(["--app-key", APP_KEY, "--app-secret", SECRET])
            // Idle connections send no heartbeats during the run.
            .args(["--heartbeat-secs", "3600"])
            .args(["--send-rate-per-sec", "0", "--request-rate-per-sec", "0"])
            .args(["--log", "warn,rcim_server=info"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("starting rcim-server");
        // Owned (and so killed on drop) before anything can fail.
        let mut server = Self {
            child,
            gateway: SocketAddr::from(([0, 0, 0, 0], 0)),
            navi: String::new(),
            log_path,
            data_dir,
            _dir: dir,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let text = std::fs::read_to_string(&server.log_path).unwrap_or_default();
            if let Some(line) = text.lines().find(|l| l.contains(" ready gateway=")) {
                let field = |name: &str| {
                    line.split_whitespace()
                        .find_map(|w| w.strip_prefix(name))
                        .unwrap_or_else(|| panic!("{name} in the ready line"))
                        .to_string()
                };
                server.gateway = field("gateway=").parse().unwrap();
                server.navi = field("navi=");
                return server;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("rcim-server exited ({status}):\n{text}");
            }
            assert!(
                Instant::now() < deadline,
                "rcim-server did not start:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// A field of `/proc/<pid>/status`, in KiB.
    pub fn status_kb(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix(field))
            .and_then(|rest| rest.trim_start_matches(':').split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{field} in /proc/<pid>/status"))
    }

    /// Resident memory, KiB (all of it, and the anonymous part: heap and stacks).
    pub fn rss_kb(&self) -> (u64, u64) {
        (self.status_kb("VmRSS"), self.status_kb("RssAnon"))
    }

    /// User + system CPU time of all the server's threads, seconds.
    pub fn cpu_secs(&self) -> f64 {
        proc_cpu_secs(self.pid())
    }

    /// The server's soft open-file limit (it raises it to the hard limit at start).
    pub fn open_file_limit(&self) -> u64 {
        let limits = std::fs::read_to_string(format!("/proc/{}/limits", self.pid())).unwrap();
        limits
            .lines()
            .find(|l| l.starts_with("Max open files"))
            .and_then(|l| l.split_whitespace().nth(3))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    }

    /// Everything the server logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_default()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// User + system CPU seconds of process `pid` (`/proc/<pid>/stat`, clock ticks of 1/100 s).
pub fn proc_cpu_secs(pid: u32) -> f64 {
    try_proc_cpu_secs(pid).unwrap_or_else(|| panic!("/proc/{pid}/stat"))
}

/// [`proc_cpu_secs`], or `None` once the process is gone.
pub fn try_proc_cpu_secs(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may contain spaces) start at field 3.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields[11].parse::<u64>().ok()? + fields[12].parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

/// The load average of the machine over the last minute (`/proc/loadavg`).
pub fn load_average() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(f64::NAN)
}

/// The open-file limit of this process, raised to its hard limit.
pub fn raise_open_file_limit() -> u64 {
    rlimit::increase_nofile_limit(u64::MAX).expect("raising RLIMIT_NOFILE")
}

pub fn token(user: &str) -> String {
    issue_token(APP_KEY, SECRET, user, rcim_core::now_ms(), 0)
}

/// Connects from 127.0.0.(2 + n % SOURCE_ADDRS) and logs `user` in. A `narrow` connection
/// stands for a client on a slow link: a 4 KiB receive buffer and 536-byte segments. (On
/// loopback a connection's 64 KiB segments would give the server's socket a send buffer of
/// about a megabyte, which would hide a reader that stops for minutes.)
pub async fn login(gateway: SocketAddr, n: usize, user: &str, narrow: bool) -> Raw {
    let socket = TcpSocket::new_v4().unwrap();
    let source = Ipv4Addr::new(127, 0, 0, 2 + (n % SOURCE_ADDRS) as u8);
    socket.bind(SocketAddr::from((source, 0))).unwrap();
    if narrow {
        socket.set_recv_buffer_size(4096).unwrap();
        socket2::SockRef::from(&socket).set_tcp_mss(536).unwrap();
    }
    let stream = socket.connect(gateway).await.unwrap();
    stream.set_nodelay(true).unwrap();
    raw::login(stream, APP_KEY, token(user), format!("bench-{user}")).await
}

/// The sequence number and send timestamp in a benchmark message's content
/// (`{"content":"<sequence> <µs> …"}`).
pub fn parse_content(content: &str) -> Option<(u64, u64)> {
    let text = content.strip_prefix(r#"{"content":""#)?;
    let mut parts = text.split(' ');
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}
