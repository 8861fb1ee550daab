//! Compiles rcim-jshost's C++ (the harness in cpp/ and the repo's JSI host object in ../../cpp)
//! against the Hermes headers vendored in the `hermes-engine` crate.
//!
//! `hermes-engine` 0.0.1 exports no include path (no `links` key, so no DEP_ variables), so its
//! source directory is found with `cargo metadata` (env `RCIM_HERMES_SRC` overrides: the crate's
//! root directory). Its own build script emits the Hermes static libraries' link lines; we add
//! ICU, which those libraries need.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let manifest_dir =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let repo_cpp = manifest_dir.join("../../cpp");
    let hermes = hermes_crate_dir(&manifest_dir).join("hermes-vendor");
    for dir in ["API", "API/jsi", "public"] {
        assert!(
            hermes.join(dir).is_dir(),
            "missing Hermes include dir {}",
            hermes.join(dir).display()
        );
    }

    let sources = [
        manifest_dir.join("cpp/jshost.cpp"),
        repo_cpp.join("RCIMBridgeHostObject.cpp"),
    ];
    cc::Build::new()
        .cpp(true)
        .std("c++17")
        // Optimised even in dev builds, like the Hermes libraries it sits on (benchmarks measure it).
        .opt_level(2)
        .files(&sources)
        .include(hermes.join("API"))
        .include(hermes.join("API/jsi"))
        .include(hermes.join("public"))
        .include(&repo_cpp)
        .warnings(true)
        .extra_warnings(true)
        .flag_if_supported("-Wno-unused-parameter")
        .compile("rcim_jshost_cpp");

    for lib in ["icuuc", "icui18n", "icudata"] {
        println!("cargo:rustc-link-lib=dylib={lib}");
    }
    for path in sources.iter().map(|p| p.as_path()).chain([
        repo_cpp.join("RCIMBridgeHostObject.h").as_path(),
        repo_cpp.join("RCIMJSScheduler.h").as_path(),
        repo_cpp.join("rcim_bridge.h").as_path(),
    ]) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    println!("cargo:rerun-if-env-changed=RCIM_HERMES_SRC");
}

/// The root directory of the `hermes-engine` package in the dependency graph.
fn hermes_crate_dir(manifest_dir: &Path) -> PathBuf {
    if let Some(dir) = std::env::var_os("RCIM_HERMES_SRC") {
        return PathBuf::from(dir);
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = std::env::var("TARGET").expect("TARGET");
    // `--filter-platform` keeps metadata from needing other platforms' crates, so it works offline
    // (everything this build needs is downloaded already); online is the fallback.
    let metadata = |offline: bool| {
        let mut cmd = Command::new(&cargo);
        cmd.args([
            "metadata",
            "--format-version",
            "1",
            "--filter-platform",
            &target,
        ]);
        if offline {
            cmd.arg("--offline");
        }
        cmd.arg("--manifest-path")
            .arg(manifest_dir.join("Cargo.toml"));
        cmd.output().expect("running `cargo metadata`")
    };
    let mut output = metadata(true);
    if !output.status.success() {
        output = metadata(false);
    }
    assert!(
        output.status.success(),
        "`cargo metadata` failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("parsing `cargo metadata` output");
    let packages = metadata["packages"].as_array().expect("metadata.packages");
    let manifest = packages
        .iter()
        .find(|p| p["name"] == "hermes-engine")
        .and_then(|p| p["manifest_path"].as_str())
        .expect("hermes-engine is not in the dependency graph");
    Path::new(manifest)
        .parent()
        .expect("manifest has a parent")
        .to_path_buf()
}
