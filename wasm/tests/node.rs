//! The export suite in Node (`wasm-pack test --node wasm`).

mod suite;
