//! Whole numbers as JSON writes them: `4` and also `4.0` (JSON Schema counts a number with
//! no fractional part as an integer, so clients and the API's document may send either).
//! Anything else — a fraction, a number out of range, a string — is refused.

use serde::de::{Deserializer, Error, Unexpected};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(untagged)]
enum Number {
    Int(i64),
    Float(f64),
}

fn to_u8<E: Error>(n: Number) -> Result<u8, E> {
    match n {
        Number::Int(i) => u8::try_from(i)
            .map_err(|_| E::invalid_value(Unexpected::Signed(i), &"a whole number from 0 to 255")),
        Number::Float(f) if f.fract() == 0.0 && (0.0..=255.0).contains(&f) =>
        {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Ok(f as u8)
        }
        Number::Float(f) => Err(E::invalid_value(
            Unexpected::Float(f),
            &"a whole number from 0 to 255",
        )),
    }
}

/// A `u8` written `4` or `4.0`.
pub fn u8_whole<'de, D: Deserializer<'de>>(d: D) -> Result<u8, D::Error> {
    to_u8(Number::deserialize(d)?)
}

/// An optional `u8` written `4`, `4.0` or `null`.
pub fn option_u8_whole<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u8>, D::Error> {
    Option::<Number>::deserialize(d)?.map(to_u8).transpose()
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct T {
        #[serde(deserialize_with = "super::u8_whole")]
        a: u8,
        #[serde(default, deserialize_with = "super::option_u8_whole")]
        b: Option<u8>,
    }

    #[test]
    fn whole_numbers_pass_in_either_spelling_and_nothing_else_does() {
        let read = |s: &str| serde_json::from_str::<T>(s);
        assert_eq!(
            read(r#"{"a": 4, "b": 5.0}"#).ok(),
            Some(T { a: 4, b: Some(5) })
        );
        assert_eq!(
            read(r#"{"a": 4.0, "b": null}"#).ok(),
            Some(T { a: 4, b: None })
        );
        assert_eq!(read(r#"{"a": 4}"#).ok(), Some(T { a: 4, b: None }));
        for bad in [
            r#"{"a": 4.5}"#,
            r#"{"a": 256}"#,
            r#"{"a": -1}"#,
            r#"{"a": "4"}"#,
            r#"{"a": 1e300}"#,
        ] {
            assert!(read(bad).is_err(), "{bad}");
        }
    }
}
