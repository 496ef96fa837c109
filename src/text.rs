//! Messages with one value in them ("Articles: {}").
//!
//! leptos_i18n's `{{ var }}` interpolation builds a separate view per language for
//! every such message, which costs the portal's bundle several kilobytes; these
//! messages mark the place with `{}` instead, and it is filled here.

/// `template` with its `{}` replaced by `value`.
pub fn fill(template: &str, value: impl std::fmt::Display) -> String {
    template.replacen("{}", &value.to_string(), 1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn fills_the_one_place() {
        assert_eq!(super::fill("Статей: {}", 3), "Статей: 3");
        assert_eq!(super::fill("“{}”", "{}"), "“{}”");
    }
}
