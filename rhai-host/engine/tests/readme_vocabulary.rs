//! The npm package README's rule vocabulary is the one the engine renders: a hook, property,
//! action or platform refusal added to the engine and not to the README fails here.

use shopflow_rules::vocabulary;

#[test]
fn the_package_readme_shows_the_engines_rule_vocabulary() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../wasm/package/README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let block =
        vocabulary::block(&readme).unwrap_or_else(|e| panic!("wasm/package/README.md: {e}"));
    assert!(
        block == vocabulary::markdown(),
        "wasm/package/README.md's rule vocabulary differs from the engine's; from the workspace \
         root run: {}",
        vocabulary::REGENERATE
    );
}
