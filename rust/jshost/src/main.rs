//! rcim-jshost: runs RCIM's TypeScript/JavaScript in Hermes on Linux, with the real JSI host object
//! (`cpp/RCIMBridgeHostObject.cpp`) over the real Rust bridge (`rcim-bridge`).
//!
//! ```text
//! rcim-jshost [--timeout SECS] [--repeat N] [--data-dir DIR] [--bundle-out FILE] SCRIPT.(ts|js)
//! ```
//!
//! 1. SCRIPT is bundled with esbuild (`node_modules/.bin/esbuild`, found by walking up from the
//!    current directory, then from this repository; `RCIM_ESBUILD` overrides) into an IIFE whose
//!    exports land in `__rcimMain`; `react-native-rcim` resolves to this repository's `src/index.ts`.
//! 2. The C++ harness (`cpp/jshost.cpp`) creates a Hermes runtime with the microtask queue on,
//!    installs `console`, timers, `queueMicrotask`, `performance.now()`, `__rcimHostEnv` (the
//!    `RCIM_*` environment variables) and `__rcimBridge`, evaluates `src/prelude.js` and the bundle,
//!    calls `__rcimMain.default()` when it is a function and runs the event loop until that promise
//!    settles.
//!
//! Exit status: 0 success; 1 the main function rejected, an uncaught error, or an unhandled promise
//! rejection; 2 usage or bundling error; 124 `--timeout` expired. `--repeat N` runs the script N
//! times, each on a fresh runtime (reload/teardown bugs show). `--data-dir DIR` sets
//! `RCIM_DATA_DIR` (default: a fresh temporary directory, removed at exit).
//! Logs: `RCIM_LOG` / `RUST_LOG` (tracing env-filter syntax), to stderr.

use std::ffi::{c_char, c_int, c_uint, CString};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{SystemTime, UNIX_EPOCH};

use tracing::{debug, error};

// Linked for their native symbols: Hermes' static libraries (the crate's build script emits the
// link lines) and the `rcim_engine_*` C functions called by the C++ host object.
use hermes_engine as _;
use rcim_bridge as _;

extern "C" {
    /// `cpp/jshost.cpp`: runs the bundle `repeat` times, returns the process exit code.
    fn rcim_jshost_run(
        prelude: *const c_char,
        prelude_len: usize,
        bundle: *const c_char,
        bundle_len: usize,
        source_url: *const c_char,
        timeout_secs: f64,
        repeat: c_uint,
    ) -> c_int;
}

const PRELUDE: &str = include_str!("prelude.js");
const USAGE: &str = "usage: rcim-jshost [--timeout SECS] [--repeat N] [--data-dir DIR] \
                     [--bundle-out FILE] SCRIPT.(ts|js)";
/// The syntax level esbuild lowers to; see `esbuild_args`.
const ESBUILD_TARGET: &str = "es2019";

struct Options {
    script: PathBuf,
    timeout_secs: f64,
    repeat: u32,
    data_dir: Option<PathBuf>,
    bundle_out: Option<PathBuf>,
}

/// A script ready to run: bundled, with its data directory chosen.
struct Prepared {
    bundle: String,
    source_url: CString,
    /// Created by us, removed after the run.
    temp_data_dir: Option<PathBuf>,
}

fn main() -> ExitCode {
    // Our own logs (arguments, bundling) go through a subscriber scoped to this phase: while JS
    // runs, the bridge's process-wide subscriber (installed by rcim_engine_create, level set by
    // `changeLogLevel`) is the only one, as on a device.
    let filter = std::env::var("RCIM_LOG")
        .or_else(|_| std::env::var("RUST_LOG"))
        .unwrap_or_else(|_| "warn".into());
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .finish();
    let prepared = tracing::subscriber::with_default(subscriber, || {
        let options =
            parse_args(std::env::args().skip(1)).map_err(|message| error!("{message}\n{USAGE}"))?;
        prepare(&options)
            .map(|prepared| (options, prepared))
            .map_err(|message| error!("{message}"))
    });
    let Ok((options, prepared)) = prepared else {
        return ExitCode::from(2);
    };
    // SAFETY: pointers and lengths describe live buffers for the duration of the call; the C++ side
    // copies what it keeps and catches every exception.
    let code = unsafe {
        rcim_jshost_run(
            PRELUDE.as_ptr().cast(),
            PRELUDE.len(),
            prepared.bundle.as_ptr().cast(),
            prepared.bundle.len(),
            prepared.source_url.as_ptr(),
            options.timeout_secs,
            options.repeat,
        )
    };
    if let Some(dir) = prepared.temp_data_dir {
        let _ = std::fs::remove_dir_all(dir);
    }
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        script: PathBuf::new(),
        timeout_secs: 0.0,
        repeat: 1,
        data_dir: None,
        bundle_out: None,
    };
    let mut script = None;
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--timeout" => {
                options.timeout_secs = value("--timeout")?
                    .parse()
                    .ok()
                    .filter(|s: &f64| *s > 0.0)
                    .ok_or("--timeout needs a positive number of seconds")?
            }
            "--repeat" => {
                options.repeat = value("--repeat")?
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or("--repeat needs a positive integer")?
            }
            "--data-dir" => options.data_dir = Some(value("--data-dir")?.into()),
            "--bundle-out" => options.bundle_out = Some(value("--bundle-out")?.into()),
            "-h" | "--help" => return Err("help requested".into()),
            _ if arg.starts_with('-') => return Err(format!("unknown option {arg}")),
            _ if script.is_none() => script = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument {arg}")),
        }
    }
    options.script = script.ok_or("missing SCRIPT")?;
    Ok(options)
}

fn prepare(options: &Options) -> Result<Prepared, String> {
    let script = options
        .script
        .canonicalize()
        .map_err(|e| format!("{}: {e}", options.script.display()))?;
    let bundle = bundle(&script)?;
    if let Some(out) = &options.bundle_out {
        std::fs::write(out, &bundle).map_err(|e| format!("{}: {e}", out.display()))?;
    }

    let temp_data_dir = match (&options.data_dir, std::env::var_os("RCIM_DATA_DIR")) {
        (Some(dir), _) => {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            let dir = dir
                .canonicalize()
                .map_err(|e| format!("{}: {e}", dir.display()))?;
            std::env::set_var("RCIM_DATA_DIR", dir);
            None
        }
        (None, Some(_)) => None,
        (None, None) => {
            let dir = fresh_temp_dir()?;
            std::env::set_var("RCIM_DATA_DIR", &dir);
            Some(dir)
        }
    };

    let source_url = CString::new(format!("{}.bundle.js", script.display()))
        .map_err(|_| "script path contains NUL")?;
    debug!(bundle_bytes = bundle.len(), ?source_url, "bundled");
    Ok(Prepared {
        bundle,
        source_url,
        temp_data_dir,
    })
}

/// Bundles `script` with esbuild into an IIFE assigning its exports to `__rcimMain`.
fn bundle(script: &Path) -> Result<String, String> {
    let esbuild = find_esbuild()?;
    let repo = repo_root();
    let output = Command::new(&esbuild)
        .arg(script)
        .args(esbuild_args(&repo))
        .output()
        .map_err(|e| format!("running {}: {e}", esbuild.display()))?;
    if !output.status.success() {
        return Err(format!(
            "esbuild failed on {}:\n{}",
            script.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|_| "esbuild output is not UTF-8".into())
}

fn esbuild_args(repo: &Path) -> Vec<String> {
    vec![
        "--bundle".into(),
        "--format=iife".into(),
        "--global-name=__rcimMain".into(),
        "--platform=neutral".into(),
        // The vendored (static_h) Hermes parses even ES2022+ syntax, but React Native's Hermes
        // and Babel setups vary: lower what is newer than ES2019 (optional chaining, `??`, class
        // fields, private members, ...) so the bundle stays close to what runs on a device.
        format!("--target={ESBUILD_TARGET}"),
        "--supported:bigint=true".into(),
        "--main-fields=react-native,module,main".into(),
        "--log-level=warning".into(),
        format!(
            "--alias:react-native-rcim={}",
            repo.join("src/index.ts").display()
        ),
        "--external:react-native".into(),
    ]
}

/// The repository this binary was built from (`RCIM_REPO_ROOT` overrides).
fn repo_root() -> PathBuf {
    std::env::var_os("RCIM_REPO_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
}

fn find_esbuild() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("RCIM_ESBUILD") {
        return Ok(path.into());
    }
    let starts = [std::env::current_dir().ok(), Some(repo_root())];
    for start in starts.iter().flatten() {
        for dir in start.ancestors() {
            let candidate = dir.join("node_modules/.bin/esbuild");
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    Err("esbuild not found: run `npm install` in the repository or set RCIM_ESBUILD".into())
}

fn fresh_temp_dir() -> Result<PathBuf, String> {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("rcim-jshost-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}
