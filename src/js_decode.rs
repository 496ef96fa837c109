//! Reading what the browser parsed (`JSON.parse` of an API body, of a saved value or
//! of a live event) into our types: a serde `Deserializer` over a `JsValue`.
//!
//! serde-wasm-bindgen has one, and it still writes every value the apps send. Its
//! errors are text, though: a field of the wrong type is put into words ("invalid
//! type: floating point `2.5`, expected u32"), which links serde's wording of every
//! type (each visitor's `expecting`) and Rust's float printing into every app, about
//! 10 KB brotli each (issue 17). No page shows that text: a body that cannot be read
//! is a failed request, a saved value that cannot be read is absent. So this decoder's
//! error is [`Malformed`], which says nothing more, and none of that is linked.
//!
//! What it reads is what `JSON.parse` makes: null, booleans, numbers, strings, arrays
//! and plain objects, as serde-wasm-bindgen read them. Whole numbers up to 2^53 are
//! handed over as integers, so integer fields accept them; an enum is a string (a
//! unit variant) or an object with one key (`{"variant": content}`); a struct reads
//! only the fields it declares, so a key a newer server adds is passed over even by a
//! struct that denies unknown fields (an app kept by the offline worker may talk to a
//! newer server).

use js_sys::{Array, Object, Reflect};
use serde::de::{self, DeserializeOwned, DeserializeSeed, Visitor};
use wasm_bindgen::{JsCast, JsValue};

/// The value is not what the type expects. Deliberately without details (see above).
#[derive(Debug)]
pub struct Malformed;

impl std::fmt::Display for Malformed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the value does not have the expected shape")
    }
}

impl std::error::Error for Malformed {}

impl de::Error for Malformed {
    fn custom<T: std::fmt::Display>(_message: T) -> Self {
        Malformed
    }
}

/// `value` (as `JSON.parse` returned it) as a `T`.
pub fn from_value<T: DeserializeOwned>(value: JsValue) -> Result<T, Malformed> {
    T::deserialize(Value(value))
}

/// The largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

struct Value(JsValue);

impl<'de> de::Deserializer<'de> for Value {
    type Error = Malformed;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Malformed> {
        let value = self.0;
        if value.is_null() || value.is_undefined() {
            visitor.visit_unit()
        } else if let Some(flag) = value.as_bool() {
            visitor.visit_bool(flag)
        } else if let Some(number) = value.as_f64() {
            if number.fract() == 0.0 && number.abs() <= MAX_SAFE_INTEGER {
                visitor.visit_i64(number as i64)
            } else {
                visitor.visit_f64(number)
            }
        } else if let Some(text) = value.as_string() {
            visitor.visit_string(text)
        } else if Array::is_array(&value) {
            visitor.visit_seq(Items {
                array: value.unchecked_into(),
                next: 0,
            })
        } else if value.is_object() {
            let keys = Object::keys(value.unchecked_ref::<Object>());
            visitor.visit_map(Entries {
                object: value,
                keys,
                next: 0,
                only: None,
            })
        } else {
            Err(Malformed)
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Malformed> {
        if self.0.is_null() || self.0.is_undefined() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Malformed> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Malformed> {
        // Only an object, as serde-wasm-bindgen read structs: falling back to
        // `deserialize_any` would link a second copy of it for every struct read.
        if !self.0.is_object() || Array::is_array(&self.0) {
            return Err(Malformed);
        }
        // The same map access as any object's, passing over the keys the struct does
        // not declare.
        let keys = Object::keys(self.0.unchecked_ref::<Object>());
        visitor.visit_map(Entries {
            object: self.0,
            keys,
            next: 0,
            only: Some(fields),
        })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Malformed> {
        if self.0.is_string() {
            return visitor.visit_enum(Variant {
                name: self.0,
                content: JsValue::UNDEFINED,
            });
        }
        if !self.0.is_object() || Array::is_array(&self.0) {
            return Err(Malformed);
        }
        let keys = Object::keys(self.0.unchecked_ref::<Object>());
        if keys.length() != 1 {
            return Err(Malformed);
        }
        let name = keys.get(0);
        let content = Reflect::get(&self.0, &name).map_err(|_| Malformed)?;
        visitor.visit_enum(Variant { name, content })
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Malformed> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier
    }
}

/// An array's items, in order.
struct Items {
    array: Array,
    next: u32,
}

impl<'de> de::SeqAccess<'de> for Items {
    type Error = Malformed;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Malformed> {
        if self.next >= self.array.length() {
            return Ok(None);
        }
        let item = self.array.get(self.next);
        self.next += 1;
        seed.deserialize(Value(item)).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.array.length().saturating_sub(self.next) as usize)
    }
}

/// A plain object's own keys (`Object.keys`: its order) and their values; for a
/// struct, `only` the keys it declares.
struct Entries {
    object: JsValue,
    keys: Array,
    next: u32,
    only: Option<&'static [&'static str]>,
}

impl<'de> de::MapAccess<'de> for Entries {
    type Error = Malformed;

    fn next_key_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Malformed> {
        while self.next < self.keys.length() {
            let key = self.keys.get(self.next);
            let declared = self.only.is_none_or(|only| {
                key.as_string()
                    .is_some_and(|name| only.contains(&name.as_str()))
            });
            if declared {
                // The key as a value of its own, so an enum or a newtype key reads it too.
                return seed.deserialize(Value(key)).map(Some);
            }
            self.next += 1;
        }
        Ok(None)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Malformed> {
        let key = self.keys.get(self.next);
        self.next += 1;
        let value = Reflect::get(&self.object, &key).map_err(|_| Malformed)?;
        seed.deserialize(Value(value))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.keys.length().saturating_sub(self.next) as usize)
    }
}

/// An enum's variant: its name, and its content (`undefined` for a unit variant
/// written as a plain string).
struct Variant {
    name: JsValue,
    content: JsValue,
}

impl<'de> de::EnumAccess<'de> for Variant {
    type Error = Malformed;
    type Variant = Value;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Value), Malformed> {
        Ok((seed.deserialize(Value(self.name))?, Value(self.content)))
    }
}

impl<'de> de::VariantAccess<'de> for Value {
    type Error = Malformed;

    fn unit_variant(self) -> Result<(), Malformed> {
        if self.0.is_undefined() || self.0.is_null() {
            Ok(())
        } else {
            Err(Malformed)
        }
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, Malformed> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Malformed> {
        de::Deserializer::deserialize_any(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Malformed> {
        de::Deserializer::deserialize_struct(self, "", fields, visitor)
    }
}
