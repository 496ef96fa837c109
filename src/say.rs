//! A message of the catalogue as a view, in the page's language.
//!
//! leptos_i18n's `t!(i18n, key)` is a closure of its own wherever it is written, and a
//! view links the code that renders a closure once per closure type (and once more for
//! each one made an `AnyView`): hundreds of copies of the same few functions. Every
//! `say!(i18n, key)` is one type, [`message`]'s: the key becomes a plain function from
//! the catalogue to its text, and one renderer serves every message of an app. It
//! follows the language as `t!` does. Messages with values or markup still use `t!`,
//! `t_string!` and `text::fill`.

use leptos::prelude::*;
use leptos_i18n::I18nContext;

use crate::i18n::{I18nKeys, Locale};

/// `key`'s text in the language `i18n` holds now, following it.
pub fn message(
    i18n: I18nContext<Locale>,
    key: fn(I18nKeys) -> &'static str,
) -> impl IntoView + Copy + use<> {
    move || key(i18n.get_keys())
}

/// `say!(i18n, key)`: the message `key` as a view, checked at build time as `t!` is.
macro_rules! say {
    ($i18n:expr, $key:ident) => {
        $crate::say::message($i18n, |keys| keys.$key().inner())
    };
}
pub(crate) use say;
