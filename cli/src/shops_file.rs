//! The shops file of `shopflow run --config shops.toml`: the shops one service serves, read
//! and checked whole before anything starts, every problem reported at once.
//!
//! ```toml
//! [[shop]]
//! name = "glass"                 # the path: /shops/glass/webhooks/...
//! platform = "upgates"           # or "retailys"
//! base_url = "https://glass.admin.s1.upgates.com/api/v2"
//! login = "api"                  # Upgates only
//! key_env = "GLASS_KEY"          # or key_file = "keys/glass" (never key = "...")
//! rules = "rules/glass"          # a rule file or a folder of them
//! secret_env = "GLASS_SECRET"    # or secret_file; neither: generated into the shop's data
//! ```
//!
//! Keys and webhook secrets are named, never written in the file: a file of rules and shops
//! is copied, backed up and committed, and a key in it leaks with it. Paths are read relative
//! to the file's folder.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use shopflow_core::secret::Secret;

use crate::cli::SandboxPlatform;

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    shop: Vec<Written>,
}

/// One `[[shop]]` as written: every field optional here, so each missing one is named.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Written {
    name: Option<String>,
    platform: Option<String>,
    base_url: Option<String>,
    login: Option<String>,
    /// Refused: read only to say so.
    key: Option<toml::Value>,
    key_env: Option<String>,
    key_file: Option<PathBuf>,
    rules: Option<PathBuf>,
    /// Refused like `key`.
    secret: Option<toml::Value>,
    secret_env: Option<String>,
    secret_file: Option<PathBuf>,
    poll_per_hour: Option<u32>,
}

/// A shop, read and checked.
#[derive(Debug)]
pub struct ShopEntry {
    /// Its name (letters, digits, `-`, `_`).
    pub name: String,
    /// Its platform.
    pub platform: SandboxPlatform,
    /// The API's base URL.
    pub base_url: String,
    /// The API user's login (Upgates; empty for Retailys).
    pub login: String,
    /// The API key or token.
    pub key: Secret,
    /// The rule file or folder.
    pub rules: PathBuf,
    /// The webhook secret, when the file names one.
    pub secret: Option<Secret>,
    /// Retailys: the poller's requests an hour.
    pub poll_per_hour: Option<u32>,
}

/// Reads the shops file at `path`; `env` reads an environment variable.
///
/// # Errors
/// Every problem, one a line: the file, the shop, the field, what was expected and what came.
pub fn read(path: &Path, env: &dyn Fn(&str) -> Option<String>) -> Result<Vec<ShopEntry>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the shops file {}: {e}", path.display()))?;
    let file: File = toml::from_str(&text)
        .map_err(|e| format!("{}: {}", path.display(), e.to_string().trim()))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut problems = Vec::new();
    let mut names = BTreeSet::new();
    let mut shops = Vec::new();
    if file.shop.is_empty() {
        problems.push("no shops: expected at least one [[shop]] table".to_owned());
    }
    for (i, written) in file.shop.into_iter().enumerate() {
        let mut check = Check { which: which(i, written.name.as_deref()), problems: Vec::new() };
        if let Some(shop) = check.shop(written, dir, env) {
            if !names.insert(shop.name.clone()) {
                check.say("name", "a name no other shop has", &format!("{:?} again", shop.name));
            } else if check.problems.is_empty() {
                shops.push(shop);
            }
        }
        problems.append(&mut check.problems);
    }
    match problems.is_empty() {
        true => Ok(shops),
        false => Err(problems
            .iter()
            .map(|p| format!("{}: {p}", path.display()))
            .collect::<Vec<_>>()
            .join("\n")),
    }
}

/// How a shop is named in a problem: by its name, else by its place in the file.
fn which(i: usize, name: Option<&str>) -> String {
    match name {
        Some(n) => format!("shop {n:?}"),
        None => format!("[[shop]] number {}", i + 1),
    }
}

/// What a reference to a secret came to.
enum Given {
    /// The secret.
    Yes(Secret),
    /// Neither `_env` nor `_file`.
    No,
    /// Given wrongly (the problem is reported).
    Wrong,
}

/// One shop's problems, as they are found.
struct Check {
    which: String,
    problems: Vec<String>,
}

impl Check {
    fn say(&mut self, field: &str, expected: &str, came: &str) {
        self.problems.push(format!("{}: {field}: expected {expected}, found {came}", self.which));
    }

    fn required<T>(&mut self, field: &str, expected: &str, value: Option<T>) -> Option<T> {
        if value.is_none() {
            self.say(field, expected, "nothing");
        }
        value
    }

    fn shop(
        &mut self,
        w: Written,
        dir: &Path,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Option<ShopEntry> {
        let name = self.required("name", "a name (letters, digits, '-', '_')", w.name);
        if let Some(n) = &name
            && (n.is_empty()
                || n.len() > 64
                || !n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        {
            self.say(
                "name",
                "1 to 64 letters, digits, '-' or '_' (it is a path)",
                &format!("{n:?}"),
            );
        }
        let platform = match self.required("platform", "\"upgates\" or \"retailys\"", w.platform) {
            Some(p) if p == "upgates" => Some(SandboxPlatform::Upgates),
            Some(p) if p == "retailys" => Some(SandboxPlatform::Retailys),
            Some(p) => {
                self.say("platform", "\"upgates\" or \"retailys\"", &format!("{p:?}"));
                None
            }
            None => None,
        };
        let base_url = self.required("base_url", "the shop's API address", w.base_url);
        let login = match (platform, w.login) {
            (Some(SandboxPlatform::Upgates), None) => {
                self.say("login", "the API user's login (Upgates)", "nothing");
                None
            }
            (Some(SandboxPlatform::Retailys), Some(_)) => {
                self.say(
                    "login",
                    "no login (Retailys takes only the token, key_env or key_file)",
                    "a login",
                );
                None
            }
            (_, login) => Some(login.unwrap_or_default()),
        };
        let key = match self.reference("key", w.key.is_some(), w.key_env, w.key_file, dir, env) {
            Given::Yes(k) => Some(k),
            Given::No => {
                self.say(
                    "key_env or key_file",
                    "where the API key is (an environment variable or a file)",
                    "neither",
                );
                None
            }
            Given::Wrong => None,
        };
        let secret = match self.reference(
            "secret",
            w.secret.is_some(),
            w.secret_env,
            w.secret_file,
            dir,
            env,
        ) {
            Given::Yes(s) => Some(s),
            Given::No | Given::Wrong => None,
        };
        let rules =
            self.required("rules", "a rule file or a folder of them", w.rules).map(|r| dir.join(r));
        if let Some(r) = &rules
            && !r.exists()
        {
            self.say(
                "rules",
                "a rule file or a folder of them",
                &format!("{} (no such file or folder)", r.display()),
            );
        }
        Some(ShopEntry {
            name: name?,
            platform: platform?,
            base_url: base_url?,
            login: login?,
            key: key?,
            rules: rules?,
            secret,
            poll_per_hour: w.poll_per_hour,
        })
    }

    /// A secret given by reference: `{what}_env` or `{what}_file`, never `{what}` itself.
    fn reference(
        &mut self,
        what: &str,
        inline: bool,
        var: Option<String>,
        file: Option<PathBuf>,
        dir: &Path,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Given {
        if inline {
            self.problems.push(format!(
                "{}: {what}: an inline {what} is not taken (the file is copied and committed, and the {what} with it); give {what}_env = \"VARIABLE\" or {what}_file = \"path\"",
                self.which
            ));
            return Given::Wrong;
        }
        let (field, value) = match (var, file) {
            (Some(_), Some(_)) => {
                let field = format!("{what}_env and {what}_file");
                self.say(&field, "one of them", "both");
                return Given::Wrong;
            }
            (Some(var), None) => {
                let field = format!("{what}_env");
                match env(&var) {
                    Some(v) => (field, v),
                    None => {
                        self.say(&field, "a set environment variable", &format!("{var} not set"));
                        return Given::Wrong;
                    }
                }
            }
            (None, Some(file)) => {
                let field = format!("{what}_file");
                let path = dir.join(file);
                match std::fs::read_to_string(&path) {
                    Ok(v) => (field, v),
                    Err(e) => {
                        self.say(&field, "a readable file", &format!("{} ({e})", path.display()));
                        return Given::Wrong;
                    }
                }
            }
            (None, None) => return Given::No,
        };
        let value = value.trim();
        if value.is_empty() {
            self.say(&field, &format!("a non-empty {what}"), "an empty one");
            return Given::Wrong;
        }
        Given::Yes(Secret::new(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str, vars: &[(&str, &str)]) -> Result<Vec<ShopEntry>, String> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("rules")).unwrap();
        std::fs::write(dir.path().join("glass.key"), "from-a-file\n").unwrap();
        let path = dir.path().join("shops.toml");
        std::fs::write(&path, text).unwrap();
        let env = |name: &str| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned());
        read(&path, &env)
    }

    const GOOD: &str = r#"
[[shop]]
name = "glass"
platform = "upgates"
base_url = "https://glass.example/api/v2"
login = "api"
key_file = "glass.key"
rules = "rules"

[[shop]]
name = "tea"
platform = "retailys"
base_url = "https://api.retailys.example/v1"
key_env = "TEA_TOKEN"
secret_env = "TEA_SECRET"
rules = "rules"
"#;

    #[test]
    fn shops_are_read_with_their_keys_by_reference() {
        let shops = read_text(GOOD, &[("TEA_TOKEN", "tea-token"), ("TEA_SECRET", "s")]).unwrap();
        assert_eq!(shops.len(), 2);
        assert_eq!((shops[0].name.as_str(), shops[0].key.expose()), ("glass", "from-a-file"));
        assert_eq!(shops[1].platform, SandboxPlatform::Retailys);
        assert_eq!(shops[1].secret.as_ref().map(Secret::expose), Some("s"));
        assert!(!format!("{shops:?}").contains("tea-token"), "no key in Debug");
    }

    #[test]
    fn an_inline_key_is_refused_naming_the_shop_and_field() {
        let text = GOOD.replace("key_file = \"glass.key\"", "key = \"hunter2\"");
        let e = read_text(&text, &[("TEA_TOKEN", "t"), ("TEA_SECRET", "s")]).unwrap_err();
        assert!(e.contains("shop \"glass\": key: an inline key is not taken"), "{e}");
        assert!(e.contains("key_env = \"VARIABLE\" or key_file = \"path\""), "{e}");
        assert!(!e.contains("hunter2"), "the key is never repeated: {e}");
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let text = r#"
[[shop]]
platform = "shopify"
rules = "nowhere"

[[shop]]
name = "a b"
platform = "upgates"
base_url = "x"
key_env = "UNSET"
rules = "rules"
"#;
        let e = read_text(text, &[]).unwrap_err();
        for expected in [
            "[[shop]] number 1: name: expected a name",
            "[[shop]] number 1: platform: expected \"upgates\" or \"retailys\", found \"shopify\"",
            "[[shop]] number 1: base_url: expected the shop's API address, found nothing",
            "[[shop]] number 1: key_env or key_file: expected where the API key is",
            "nowhere (no such file or folder)",
            "shop \"a b\": name: expected 1 to 64 letters",
            "shop \"a b\": login: expected the API user's login (Upgates), found nothing",
            "shop \"a b\": key_env: expected a set environment variable, found UNSET not set",
        ] {
            assert!(e.contains(expected), "missing {expected:?} in:\n{e}");
        }
    }

    #[test]
    fn names_are_unique_and_fields_known() {
        let twice =
            format!("{GOOD}\n{}", &GOOD[..GOOD.find("\n[[shop]]\nname = \"tea\"").unwrap()]);
        let e = read_text(&twice, &[("TEA_TOKEN", "t"), ("TEA_SECRET", "s")]).unwrap_err();
        assert!(e.contains("shop \"glass\": name: expected a name no other shop has"), "{e}");
        let e = read_text("[[shop]]\nnaem = \"x\"\n", &[]).unwrap_err();
        assert!(e.contains("unknown field `naem`"), "{e}");
        let e = read_text("", &[]).unwrap_err();
        assert!(e.contains("expected at least one [[shop]]"), "{e}");
    }
}
