//! One module per subcommand.

pub mod deliveries;
pub mod legacy;
pub mod parse;
pub mod rules;
pub mod run;
pub mod run_shops;
pub mod runs;
pub mod sandbox;
pub mod service_api;
pub mod validate;
