//! Compiles the message catalogs in `locales/` into a typed `i18n` module: a key
//! missing from any language, or a misspelt key in the code, fails the build.

use std::error::Error;
use std::path::PathBuf;

use leptos_i18n_build::{Config, TranslationsInfos};

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=Cargo.toml");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?).join("i18n");
    let config = Config::new("en")?
        .add_locale("ru")?
        .add_locale("fr")?
        .add_locale("nb")?;
    let translations = TranslationsInfos::parse(config)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(out.clone())?;
    negotiate_with_our_rules(&out.join("mod.rs"))
}

/// The generated `Locale` picks the browser's language with leptos_i18n's default
/// `find_locale`, which parses every tag with ICU: about 25 KB of wasm in every app for
/// a choice among four languages. It is replaced by ours (`Language::negotiate`, the
/// same rules the rest of the app uses), so the ICU parser is never linked.
fn negotiate_with_our_rules(module: &std::path::Path) -> Result<(), Box<dyn Error>> {
    const IMPL: &str = "impl l_i18n_crate :: Locale for Locale {";
    let code = std::fs::read_to_string(module)?;
    if !code.contains(IMPL) {
        return Err(format!("{} has no `{IMPL}`: leptos_i18n changed", module.display()).into());
    }
    let ours = format!(
        "{IMPL} fn find_locale<T: AsRef<[u8]>>(accepted: &[T]) -> Self {{ \
         crate::components::language::find_locale(accepted) }}"
    );
    std::fs::write(module, code.replacen(IMPL, &ours, 1))?;
    Ok(())
}
