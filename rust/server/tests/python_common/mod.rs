//! Runs the scripts under `tests/python` with RongCloud's Python server SDK against a running
//! server: each script makes its calls in phases and prints the SDK's answer of each step as a
//! JSON line (`{"step": ..., "result": ...}`).
//!
//! The SDK lives in a virtualenv that `scripts/setup.sh` creates (`RCIM_PYENV`, default
//! `~/.cache/rcim/pyenv`). Without it a test is skipped with a message, except under
//! `CI=true`, where a missing SDK fails the test.

use crate::common::{APP_KEY, APP_SECRET};
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

/// One script of `tests/python`, run by the virtualenv's Python.
pub struct SdkScript {
    python: PathBuf,
    script: PathBuf,
}

impl SdkScript {
    /// The script `name` with the virtualenv's Python, if the SDK is importable there; `None`
    /// (skip) outside CI.
    pub fn find(name: &str) -> Option<Self> {
        let env = std::env::var_os("RCIM_PYENV")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                let home = std::env::var_os("HOME").expect("HOME");
                PathBuf::from(home).join(".cache/rcim/pyenv")
            });
        let python = env.join("bin/python");
        let usable = std::process::Command::new(&python)
            .args(["-c", "import rongcloud.rongcloud, jinja2"])
            .output()
            .is_ok_and(|o| o.status.success());
        if usable {
            let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/python")
                .join(name);
            return Some(Self { python, script });
        }
        let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
        assert!(
            !ci,
            "the Python server SDK is missing at {} (run scripts/setup.sh)",
            env.display()
        );
        eprintln!(
            "SKIPPED: the Python server SDK is not installed at {} (run scripts/setup.sh)",
            env.display()
        );
        None
    }

    /// Runs one phase of the script against `server`: the SDK's answer of each step by name.
    pub async fn run_phase(
        &self,
        server: &rcim_server::RunningServer,
        phase: &str,
    ) -> HashMap<String, Value> {
        let out = tokio::time::timeout(
            Duration::from_secs(60),
            tokio::process::Command::new(&self.python)
                .arg(&self.script)
                .args([&server.navi_url(), APP_KEY, APP_SECRET, phase])
                .output(),
        )
        .await
        .expect("the script ends in time")
        .expect("the script runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "phase {phase} failed: {}\n{stdout}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
            .lines()
            .map(|line| {
                let v: Value = serde_json::from_str(line).expect("a JSON line");
                (v["step"].as_str().unwrap().to_owned(), v["result"].clone())
            })
            .collect()
    }
}

/// Asserts that the steps `names` answered `{"code": 200, ...}`.
#[allow(dead_code)] // Not every script's test uses it.
pub fn ok(steps: &HashMap<String, Value>, names: &[&str]) {
    for name in names {
        assert_eq!(steps[*name]["code"], 200, "{name}: {}", steps[*name]);
    }
}
