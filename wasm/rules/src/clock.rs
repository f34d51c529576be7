//! The clock the wall-clock budget of a rule run reads.
//!
//! The rules crate has no clock of its own (wasm32-unknown-unknown has none); in JavaScript
//! the budget reads `performance.now()`, which is monotonic and present in Node, browsers and
//! Workers. It is imported straight from the global rather than through `js-sys`, which would
//! add a dependency for one function. Natively (the crate's own tests) it is an `Instant`.

use shopflow_rules::Clock;

#[cfg(target_arch = "wasm32")]
mod js {
    use wasm_bindgen::prelude::wasm_bindgen;

    #[wasm_bindgen]
    extern "C" {
        /// `performance.now()`: milliseconds since the page or process started.
        #[wasm_bindgen(js_namespace = performance, js_name = now)]
        pub fn performance_now() -> f64;
    }
}

/// A clock in milliseconds for one rule set's runs.
#[cfg(target_arch = "wasm32")]
pub fn clock() -> Clock {
    std::sync::Arc::new(js::performance_now)
}

/// A clock in milliseconds for one rule set's runs.
#[cfg(not(target_arch = "wasm32"))]
pub fn clock() -> Clock {
    let start = std::time::Instant::now();
    std::sync::Arc::new(move || start.elapsed().as_secs_f64() * 1000.0)
}
