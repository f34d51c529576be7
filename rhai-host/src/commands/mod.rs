//! One module per subcommand.

pub mod legacy;
pub mod parse;
pub mod rules;
pub mod sandbox;
pub mod validate;
