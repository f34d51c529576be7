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
}

/// The seeded dice.
#[derive(Debug)]
pub struct FaultDice {
    rng: StdRng,
    config: FaultConfig,
}

impl FaultDice {
    /// Dice for a configuration (restarting its sequence).
    #[must_use]
    pub fn new(config: FaultConfig) -> Self {
        FaultDice { rng: StdRng::seed_from_u64(config.seed), config }
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
