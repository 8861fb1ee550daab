//! A blind mutation loop over valid seeds: no coverage feedback, but every input is a few
//! byte-level edits away from something the parser accepts, so runs get past the first checks.

use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};
use std::time::Instant;

/// When a run stops: after `executions` inputs or at `until`, whichever comes first.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Most inputs to run.
    pub executions: u64,
    /// Latest time to start another input.
    pub until: Option<Instant>,
}

/// Bytes that often sit on a boundary of a parser's checks.
const INTERESTING: [u8; 10] = [0, 1, 0x7f, 0x80, 0xff, b'.', b'&', b'=', b'%', b','];

/// Runs `target` on every seed, then on mutated seeds until `budget` is spent; returns the
/// number of executions. `rng_seed` makes a run repeatable.
pub fn run(seeds: &[Vec<u8>], budget: Budget, rng_seed: u64, target: impl FnMut(&[u8])) -> u64 {
    run_valid(seeds, budget, rng_seed, |_| true, target)
}

/// Like [`run`], but a mutated input is mutated again (a few times at most) until `valid`
/// accepts it: for targets that skip the inputs of a wrong shape.
pub fn run_valid(
    seeds: &[Vec<u8>],
    budget: Budget,
    rng_seed: u64,
    valid: impl Fn(&[u8]) -> bool,
    mut target: impl FnMut(&[u8]),
) -> u64 {
    const TRIES: usize = 8;
    let mut rng = StdRng::seed_from_u64(rng_seed);
    let mut executions = 0;
    let spent =
        |n: u64| n >= budget.executions || budget.until.is_some_and(|t| Instant::now() >= t);
    for seed in seeds {
        if spent(executions) {
            return executions;
        }
        target(seed);
        executions += 1;
    }
    if seeds.is_empty() {
        return executions;
    }
    while !spent(executions) {
        let seed = &seeds[rng.random_range(0..seeds.len())];
        let mut input = seed.clone();
        for _ in 0..TRIES {
            input.clone_from(seed);
            for _ in 0..rng.random_range(1..=4) {
                mutate(&mut input, seeds, &mut rng);
            }
            if valid(&input) {
                break;
            }
        }
        target(&input);
        executions += 1;
    }
    executions
}

/// One random edit of `input`.
pub fn mutate(input: &mut Vec<u8>, seeds: &[Vec<u8>], rng: &mut StdRng) {
    let len = input.len();
    match rng.random_range(0..8) {
        0 if len > 0 => {
            let i = rng.random_range(0..len);
            input[i] ^= 1 << rng.random_range(0..8);
        }
        1 if len > 0 => {
            let i = rng.random_range(0..len);
            input[i] = rng.random();
        }
        2 if len > 0 => {
            let i = rng.random_range(0..len);
            input[i] = INTERESTING[rng.random_range(0..INTERESTING.len())];
        }
        3 => {
            let at = rng.random_range(0..=len);
            let n = rng.random_range(1..=8);
            let bytes: Vec<u8> = (0..n).map(|_| rng.random()).collect();
            input.splice(at..at, bytes);
        }
        4 if len > 0 => {
            let from = rng.random_range(0..len);
            let to = rng.random_range(from..=len.min(from + 16));
            input.drain(from..to);
        }
        5 if len > 0 => {
            // Repeat a slice: grows lengths and repeated fields.
            let from = rng.random_range(0..len);
            let to = rng.random_range(from..=len.min(from + 32));
            let copy = input[from..to].to_vec();
            let at = rng.random_range(0..=len);
            input.splice(at..at, copy);
        }
        6 => {
            // Splice in a part of another seed.
            let other = &seeds[rng.random_range(0..seeds.len())];
            if !other.is_empty() {
                let from = rng.random_range(0..other.len());
                let to = rng.random_range(from..=other.len());
                let at = rng.random_range(0..=len);
                input.splice(at..at, other[from..to].iter().copied());
            }
        }
        _ if len > 0 => {
            let i = rng.random_range(0..len);
            input.truncate(i);
        }
        _ => input.push(rng.random()),
    }
}
