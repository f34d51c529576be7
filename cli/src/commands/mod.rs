//! One module per subcommand.

pub mod legacy;
pub mod parse;
pub mod rules;
pub mod run;
pub mod sandbox;
pub mod validate;
