//! The `rcim-server` binary as a child process on fixed loopback ports with a data directory
//! that outlives it: started, killed with SIGKILL and started again on the same database.

use rcim_testing::{APP_KEY, APP_SECRET};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The `rcim-server` binary: `RCIM_SERVER_BIN`, or built with cargo into the target directory
/// this test (or benchmark) runs from, with the same profile.
pub fn server_bin() -> PathBuf {
    if let Ok(bin) = std::env::var("RCIM_SERVER_BIN") {
        return bin.into();
    }
    // A test runs as <target>/<profile>/deps/<name>-<hash>.
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
    let target = profile_dir.parent().unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut build = Command::new(cargo);
    build.args([
        "build",
        "--locked",
        "-p",
        "rcim-server",
        "--bin",
        "rcim-server",
    ]);
    if profile_dir.file_name().is_some_and(|n| n == "release") {
        build.arg("--release");
    }
    let status = build
        .arg("--target-dir")
        .arg(target)
        .status()
        .expect("running cargo build for rcim-server");
    assert!(status.success(), "building rcim-server failed");
    profile_dir.join("rcim-server")
}

/// A free loopback port (free when asked: the server binds it right after).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One server, restartable on the same ports and database.
pub struct ChaosServer {
    bin: PathBuf,
    dir: tempfile::TempDir,
    gateway_port: u16,
    http_port: u16,
    child: Option<Child>,
    /// How many times it was started.
    pub starts: usize,
}

impl ChaosServer {
    /// Starts the server (the default rate limits and heartbeats: a real deployment's).
    pub fn start(bin: &Path) -> Self {
        let mut server = ChaosServer {
            bin: bin.to_path_buf(),
            dir: tempfile::tempdir().unwrap(),
            gateway_port: free_port(),
            http_port: free_port(),
            child: None,
            starts: 0,
        };
        server.restart();
        server
    }

    /// Navigation and Server API base URL.
    pub fn navi_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.http_port)
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join(format!("server-{}.log", self.starts))
    }

    /// Everything the current (or last) process logged.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// Starts a process on the same ports and data directory; returns once it is ready.
    pub fn restart(&mut self) {
        assert!(self.child.is_none(), "the server is already running");
        let deadline = Instant::now() + Duration::from_secs(60);
        while !self.spawn(deadline) {
            // The ports were taken by someone else between the kill and the start: a
            // transient condition of a shared machine, retried.
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// One start: true once ready, false when the ports were busy (panics on other failures).
    fn spawn(&mut self, deadline: Instant) -> bool {
        self.starts += 1;
        let path = self.log_path();
        let log = std::fs::File::create(&path).unwrap();
        let child = Command::new(&self.bin)
            .arg("--data-dir")
            .arg(self.dir.path().join("data"))
            .arg("--listen")
            .arg(format!("127.0.0.1:{}", self.gateway_port))
            .arg("--http")
            .arg(format!("127.0.0.1:{}", self.http_port))
            .args(["--app-key", APP_KEY, "--app-secret", APP_SECRET])
            .args(["--log", "warn,rcim_server=info"])
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("starting rcim-server");
        let child = self.child.insert(child);
        loop {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            if text.contains(" ready gateway=") {
                return true;
            }
            if let Ok(Some(status)) = child.try_wait() {
                self.child = None;
                if text.contains("in use") && Instant::now() < deadline {
                    return false;
                }
                panic!("rcim-server exited ({status}):\n{text}");
            }
            assert!(
                Instant::now() < deadline,
                "rcim-server did not start:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGKILL: no shutdown, no flush, no goodbye to the clients.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for ChaosServer {
    fn drop(&mut self) {
        self.kill9();
    }
}
