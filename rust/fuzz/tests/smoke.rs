//! Short runs of every fuzz target on mutated seeds (the long, coverage-guided runs are in
//! `scripts/fuzz.sh`), and the regression inputs of what fuzzing found.

use prost::Message as _;
use rcim_fuzz::mutate::{self, Budget};
use rcim_fuzz::requests::RequestTarget;
use rcim_fuzz::seeds::{self, ARMS};
use rcim_fuzz::server_api::ServerApiTarget;
use rcim_fuzz::targets::{self, APP_SECRET};
use rcim_proto::v1::Request;
use std::collections::BTreeSet;

fn budget(executions: u64) -> Budget {
    Budget {
        executions,
        until: None,
    }
}

#[test]
fn seeds_cover_every_request_arm() {
    let arms: BTreeSet<&str> = seeds::request_inputs()
        .iter()
        .map(|b| Request::decode(&b[..]).expect("a seed decodes"))
        .map(|r| seeds::arm_name(r.body.as_ref().expect("a seed has a body")))
        .collect();
    assert_eq!(arms.len(), ARMS, "{arms:?}");
}

#[test]
fn signed_token_payloads_verify_like_issued_tokens() {
    let payload = br#"{"a":"fuzz-app","u":"u1","i":5,"e":0}"#;
    let token = rcim_server::fuzzing::sign_token_payload(APP_SECRET, payload);
    let claims = rcim_server::verify_signature(&token, APP_SECRET).expect("verifies");
    assert_eq!(claims.user_id, "u1");
    assert_eq!(
        token,
        rcim_server::issue_token("fuzz-app", APP_SECRET, "u1", 5, 0)
    );
}

#[test]
fn frame_decoder_smoke() {
    let n = mutate::run(
        &seeds::frame_inputs(),
        budget(20_000),
        1,
        targets::frame_decoder,
    );
    assert_eq!(n, 20_000);
}

#[test]
fn token_smoke() {
    let n = mutate::run(&seeds::token_inputs(), budget(20_000), 2, targets::token);
    assert_eq!(n, 20_000);
}

#[test]
fn request_handlers_smoke() {
    let mut target = RequestTarget::new();
    let seeds = seeds::request_inputs();
    for seed in &seeds {
        target.run(seed);
    }
    // Every arm was answered, most of them with success.
    assert_eq!(target.stats.arms.len(), ARMS, "{:?}", target.stats.arms);
    let ok = target.stats.codes.get(&0).copied().unwrap_or(0);
    assert!(
        ok as usize >= seeds.len() * 2 / 3,
        "{:?}",
        target.stats.codes
    );
    let decodes = |d: &[u8]| Request::decode(d).is_ok();
    let n = mutate::run_valid(&seeds, budget(600), 3, decodes, |d| target.run(d));
    assert_eq!(n, 600);
    // Most mutated inputs decode, and every one that does is answered.
    let answered: u64 = target.stats.codes.values().sum();
    assert!(
        answered >= 600 - target.stats.undecodable,
        "{}",
        target.summary()
    );
    assert!(target.stats.undecodable < 300, "{}", target.summary());
    target.finish();
}

#[test]
fn server_api_smoke() {
    let mut target = ServerApiTarget::new();
    let n = mutate::run(&seeds::api_inputs(), budget(600), 4, |d| target.run(d));
    assert_eq!(n, 600);
    target.finish();
    // Seeds reach the endpoints (200) and bad signatures are refused (1004).
    assert!(target.codes.contains_key(&200), "{:?}", target.codes);
    assert!(target.codes.contains_key(&1004), "{:?}", target.codes);
}
