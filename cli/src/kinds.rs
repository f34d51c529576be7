//! Every platform's document kinds as one list for `shopflow parse` and `shopflow validate`:
//! the Upgates kinds by their names, the Retailys kinds as `retailys-…`.

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use shopflow_core::json::JsonError;
use shopflow_core::retailys::kinds as retailys;
use shopflow_core::upgates::kinds as upgates;
use shopflow_core::validation::Problem;

/// A document kind of either platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseKind {
    /// An Upgates document.
    Upgates(upgates::ParseKind),
    /// A Retailys document.
    Retailys(retailys::ParseKind),
}

/// A request body kind of either platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValidateKind {
    /// An Upgates request.
    Upgates(upgates::ValidateKind),
    /// A Retailys request.
    Retailys(retailys::ValidateKind),
}

impl ParseKind {
    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ParseKind::Upgates(k) => k.name(),
            ParseKind::Retailys(k) => k.name(),
        }
    }
}

impl ValidateKind {
    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ValidateKind::Upgates(k) => k.name(),
            ValidateKind::Retailys(k) => k.name(),
        }
    }

    /// Every problem of the request, or why it cannot be read.
    pub fn validate(self, bytes: &[u8]) -> Result<Vec<Problem>, JsonError> {
        match self {
            ValidateKind::Upgates(k) => upgates::validate(k, bytes),
            ValidateKind::Retailys(k) => retailys::validate(k, bytes),
        }
    }
}

/// Names from before the naming rule: accepted, never listed in help.
fn hidden(old: Vec<&'static str>) -> impl Iterator<Item = PossibleValue> {
    old.into_iter().map(|a| PossibleValue::new(a).hide(true))
}

/// The parser of `shopflow parse KIND`: every kind listed with what it is.
pub fn parse_kinds() -> impl TypedValueParser<Value = ParseKind> {
    let old: Vec<&'static str> = upgates::ParseKind::ALIASES
        .iter()
        .map(|(a, _)| *a)
        .chain(retailys::ParseKind::ALIASES.iter().map(|(a, _)| *a))
        .collect();
    let values = upgates::ParseKind::ALL
        .iter()
        .map(|k| PossibleValue::new(k.name()).help(k.description()))
        .chain(
            retailys::ParseKind::ALL
                .iter()
                .map(|k| PossibleValue::new(k.name()).help(k.description())),
        )
        .chain(hidden(old));
    PossibleValuesParser::new(values).try_map(|s| match s.parse::<upgates::ParseKind>() {
        Ok(k) => Ok(ParseKind::Upgates(k)),
        Err(_) => s.parse::<retailys::ParseKind>().map(ParseKind::Retailys),
    })
}

/// The parser of `shopflow validate KIND`.
pub fn validate_kinds() -> impl TypedValueParser<Value = ValidateKind> {
    let old: Vec<&'static str> = upgates::ValidateKind::ALIASES
        .iter()
        .map(|(a, _)| *a)
        .chain(retailys::ValidateKind::ALIASES.iter().map(|(a, _)| *a))
        .collect();
    let values = upgates::ValidateKind::ALL
        .iter()
        .map(|k| PossibleValue::new(k.name()).help(k.description()))
        .chain(
            retailys::ValidateKind::ALL
                .iter()
                .map(|k| PossibleValue::new(k.name()).help(k.description())),
        )
        .chain(hidden(old));
    PossibleValuesParser::new(values).try_map(|s| match s.parse::<upgates::ValidateKind>() {
        Ok(k) => Ok(ValidateKind::Upgates(k)),
        Err(_) => s.parse::<retailys::ValidateKind>().map(ValidateKind::Retailys),
    })
}
