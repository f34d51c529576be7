//! The export suite in headless Chromium (`wasm-pack test --headless --chrome wasm`).

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod suite;
