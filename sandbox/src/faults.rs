//! Injected failures, reproducible from a seed.
//!
//! Every API request rolls the dice three times, in a fixed order (drop, error, slow), so
//! the same seed and the same sequence of requests give the same failures.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::config::FaultConfig;

/// What happens to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Fault {
    /// Close the connection without an answer.
    pub drop: bool,
    /// Answer with the configured 5xx status.
    pub error: Option<u16>,
    /// Wait this many milliseconds first.
    pub slow_ms: Option<u64>,
    /// Answer 429 with a `Retry-After` this many seconds ahead.
    pub throttle_secs: Option<u64>,
}

/// The seeded dice.
#[derive(Debug)]
pub struct FaultDice {
    rng: StdRng,
    config: FaultConfig,
    lose_answer_of: Option<String>,
    throttle_left: u32,
}

impl FaultDice {
    /// Dice for a configuration (restarting its sequence).
    #[must_use]
    pub fn new(config: FaultConfig) -> Self {
        let lose_answer_of = config.lose_answer_of.clone();
        let throttle_left = config.throttle_next;
        FaultDice { rng: StdRng::seed_from_u64(config.seed), config, lose_answer_of, throttle_left }
    }

    /// How long to tell this request to come back, if it is one of the next `throttle_next`.
    pub fn throttle(&mut self) -> Option<u64> {
        if self.throttle_left == 0 {
            return None;
        }
        self.throttle_left -= 1;
        Some(self.config.throttle_secs)
    }

    /// Whether this request's answer is the one to lose (once per configuration).
    pub fn lose_answer(&mut self, method: &str, path: &str) -> bool {
        let hit = self.lose_answer_of.as_deref().is_some_and(|target| {
            target.split_once(' ').is_some_and(|(m, p)| m.eq_ignore_ascii_case(method) && p == path)
        });
        if hit {
            self.lose_answer_of = None;
        }
        hit
    }

    /// Decides one request's fate.
    pub fn roll(&mut self) -> Fault {
        let c = &self.config;
        if c.drop_rate == 0.0 && c.error_rate == 0.0 && c.slow_rate == 0.0 {
            return Fault::default();
        }
        let (d, e, s): (f64, f64, f64) = (self.rng.random(), self.rng.random(), self.rng.random());
        Fault {
            drop: d < c.drop_rate,
            error: (e < c.error_rate).then_some(c.error_status),
            slow_ms: (s < c.slow_rate).then_some(c.slow_ms),
            throttle_secs: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_faults() {
        let cfg = FaultConfig {
            seed: 42,
            error_rate: 0.3,
            drop_rate: 0.2,
            slow_rate: 0.1,
            ..FaultConfig::default()
        };
        let a: Vec<Fault> = {
            let mut d = FaultDice::new(cfg.clone());
            (0..200).map(|_| d.roll()).collect()
        };
        let b: Vec<Fault> = {
            let mut d = FaultDice::new(cfg.clone());
            (0..200).map(|_| d.roll()).collect()
        };
        assert_eq!(a, b);
        let errors = a.iter().filter(|f| f.error.is_some()).count();
        assert!((40..=80).contains(&errors), "{errors} errors of 200 at 30%");
        assert!(FaultDice::new(FaultConfig::default()).roll() == Fault::default());
    }
}
