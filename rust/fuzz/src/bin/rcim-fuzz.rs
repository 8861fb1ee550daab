//! `rcim-fuzz seeds DIR`: writes every target's seeds to `DIR/<target>/` (the corpora the
//! libFuzzer binaries start from).
//! `rcim-fuzz run TARGET SECONDS`: runs a target's blind mutation loop (no instrumentation
//! needed) and prints the executions.

use prost::Message as _;
use rcim_fuzz::mutate::{self, Budget};
use rcim_fuzz::requests::RequestTarget;
use rcim_fuzz::server_api::ServerApiTarget;
use rcim_fuzz::{seeds, targets};
use rcim_proto::v1::Request;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Every target's name and seeds.
fn corpora() -> Vec<(&'static str, Vec<Vec<u8>>)> {
    vec![
        ("frame_decoder", seeds::frame_inputs()),
        ("requests", seeds::request_inputs()),
        ("server_api", seeds::api_inputs()),
        ("token", seeds::token_inputs()),
    ]
}

fn write_seeds(dir: &Path) -> std::io::Result<()> {
    for (target, inputs) in corpora() {
        let dir = dir.join(target);
        std::fs::create_dir_all(&dir)?;
        for (i, input) in inputs.iter().enumerate() {
            std::fs::write(dir.join(format!("seed-{i:03}")), input)?;
        }
    }
    Ok(())
}

fn run(target: &str, seconds: u64) -> Result<(), String> {
    let seeds = corpora()
        .into_iter()
        .find(|(name, _)| *name == target)
        .ok_or_else(|| format!("unknown target {target}"))?
        .1;
    let budget = Budget {
        executions: u64::MAX,
        until: Some(Instant::now() + Duration::from_secs(seconds)),
    };
    let started = Instant::now();
    let rng_seed = rand::random();
    let executions = match target {
        "frame_decoder" => mutate::run(&seeds, budget, rng_seed, targets::frame_decoder),
        "token" => mutate::run(&seeds, budget, rng_seed, targets::token),
        "requests" => {
            let mut t = RequestTarget::new();
            let decodes = |d: &[u8]| Request::decode(d).is_ok();
            let n = mutate::run_valid(&seeds, budget, rng_seed, decodes, |d| t.run(d));
            t.finish();
            println!("answers by code: {:?}", t.stats.codes);
            println!("answers by arm: {:?}", t.stats.arms);
            println!("undecodable inputs: {}", t.stats.undecodable);
            n
        }
        _ => {
            let mut t = ServerApiTarget::new();
            let n = mutate::run(&seeds, budget, rng_seed, |d| t.run(d));
            t.finish();
            println!("answers by code: {:?}", t.codes);
            n
        }
    };
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{target}: {executions} executions in {secs:.0} s ({:.0}/s), blind mutation, seed {rng_seed}",
        executions as f64 / secs
    );
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["seeds", dir] => write_seeds(Path::new(dir)).map_err(|e| e.to_string()),
        ["run", target, secs] => secs
            .parse()
            .map_err(|_| format!("not a number of seconds: {secs}"))
            .and_then(|s| run(target, s)),
        _ => Err("usage: rcim-fuzz seeds DIR | rcim-fuzz run TARGET SECONDS".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rcim-fuzz: {e}");
            ExitCode::FAILURE
        }
    }
}
