//! Decoding rows by column name (按列名解码): a small serde `Deserializer` over a [`Row`], so a
//! query's result fills a typed struct field by field, whatever the order of its SELECT.
//!
//! Both engines' quirks are absorbed here: SQLite returns booleans as integers and PostgreSQL
//! as booleans; a NULL of any type is `None`. Columns that hold JSON text are decoded with
//! [`json`] (`#[serde(deserialize_with = "luoshi_store::decode::json")]`). A column the struct
//! does not name is ignored; a field the SELECT lacks is an error naming it, unless the field
//! is an `Option` or has a serde default.

use crate::sql::{Row, Value};
use crate::{Result, StoreError};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};
use serde::Deserialize as _;
use std::fmt;

/// Decode `row` into `T` by column name.
pub fn row<T: DeserializeOwned>(row: &Row) -> Result<T> {
    T::deserialize(RowDeserializer { row }).map_err(|e| StoreError::Decode(e.0))
}

/// For `#[serde(deserialize_with = …)]`: a TEXT column holding JSON, parsed into `T`.
/// NULL or an empty string decode as `T::default()`. A value that is already structured (the
/// row type read back from the API's JSON rather than from a database) is taken as it is.
pub fn json<'de, D, T>(d: D) -> std::result::Result<T, D::Error>
where
    D: de::Deserializer<'de>,
    T: DeserializeOwned + Default,
{
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => Ok(T::default()),
        serde_json::Value::String(t) if t.is_empty() => Ok(T::default()),
        serde_json::Value::String(t) => serde_json::from_str(&t).map_err(de::Error::custom),
        other => serde_json::from_value(other).map_err(de::Error::custom),
    }
}

/// A decoding failure, with the column it happened in.
#[derive(Debug)]
pub struct DecodeError(String);

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for DecodeError {}
impl de::Error for DecodeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DecodeError(msg.to_string())
    }
}

struct RowDeserializer<'a> {
    row: &'a Row,
}

impl<'de> de::Deserializer<'de> for RowDeserializer<'_> {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> std::result::Result<V::Value, DecodeError> {
        v.visit_map(Columns {
            row: self.row,
            next: 0,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct Columns<'a> {
    row: &'a Row,
    next: usize,
}

impl<'de> MapAccess<'de> for Columns<'_> {
    type Error = DecodeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> std::result::Result<Option<K::Value>, DecodeError> {
        let Some(name) = self.row.columns().get(self.next) else {
            return Ok(None);
        };
        seed.deserialize(name.as_str().into_deserializer())
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> std::result::Result<V::Value, DecodeError> {
        let i = self.next;
        self.next += 1;
        let column = self.row.columns().get(i).map(String::as_str).unwrap_or("?");
        let value = self
            .row
            .values()
            .get(i)
            .ok_or_else(|| DecodeError(format!("列 {column} 没有值")))?;
        seed.deserialize(Cell { value })
            .map_err(|e| DecodeError(format!("列 {column}: {}", e.0)))
    }
}

/// One column's value.
struct Cell<'a> {
    value: &'a Value,
}

impl Cell<'_> {
    fn is_null(&self) -> bool {
        matches!(
            self.value,
            Value::I64(None)
                | Value::F64(None)
                | Value::Text(None)
                | Value::Bool(None)
                | Value::Bytes(None)
        )
    }
}

impl<'de> de::Deserializer<'de> for Cell<'_> {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> std::result::Result<V::Value, DecodeError> {
        match self.value {
            Value::I64(Some(i)) => v.visit_i64(*i),
            Value::F64(Some(f)) => v.visit_f64(*f),
            Value::Text(Some(s)) => v.visit_str(s),
            Value::Bool(Some(b)) => v.visit_bool(*b),
            Value::Bytes(Some(b)) => v.visit_bytes(b),
            _ => v.visit_none(),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> std::result::Result<V::Value, DecodeError> {
        match self.value {
            Value::I64(Some(i)) => v.visit_bool(*i != 0),
            _ => self.deserialize_any(v),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> std::result::Result<V::Value, DecodeError> {
        match self.value {
            Value::I64(Some(i)) => v.visit_f64(*i as f64),
            _ => self.deserialize_any(v),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(
        self,
        v: V,
    ) -> std::result::Result<V::Value, DecodeError> {
        if self.is_null() {
            v.visit_none()
        } else {
            v.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        v: V,
    ) -> std::result::Result<V::Value, DecodeError> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        v: V,
    ) -> std::result::Result<V::Value, DecodeError> {
        match self.value {
            Value::Text(Some(s)) => v.visit_enum(s.as_str().into_deserializer()),
            other => Err(DecodeError(format!("应为文本枚举值，实为 {other:?}"))),
        }
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 char str string
        bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use std::sync::Arc;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Plan,
        Monthly,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        id: i64,
        name: String,
        done: bool,
        note: Option<String>,
        kind: Kind,
        #[serde(deserialize_with = "json", default)]
        tags: Vec<String>,
    }

    fn row(cols: &[&str], values: Vec<Value>) -> Row {
        let cols: Arc<[String]> = cols.iter().map(|c| c.to_string()).collect();
        Row::new(cols, values)
    }

    #[test]
    fn fields_are_filled_by_name_whatever_the_column_order() {
        let r = row(
            &["tags", "kind", "done", "name", "note", "id", "extra"],
            vec![
                Value::Text(Some("[\"a\",\"b\"]".into())),
                Value::Text(Some("monthly".into())),
                Value::I64(Some(1)),
                Value::Text(Some("甲".into())),
                Value::Text(None),
                Value::I64(Some(7)),
                Value::F64(Some(1.5)),
            ],
        );
        let item: Item = r.decode().unwrap();
        assert_eq!(
            item,
            Item {
                id: 7,
                name: "甲".into(),
                done: true,
                note: None,
                kind: Kind::Monthly,
                tags: vec!["a".into(), "b".into()],
            }
        );
    }

    #[test]
    fn a_missing_column_or_a_wrong_type_names_the_problem() {
        let r = row(&["id"], vec![Value::I64(Some(1))]);
        let e = r.decode::<Item>().unwrap_err().to_string();
        assert!(e.contains("name"), "{e}");
        let r = row(
            &["id", "name", "done", "note", "kind"],
            vec![
                Value::Text(Some("x".into())),
                Value::Text(Some("n".into())),
                Value::Bool(Some(false)),
                Value::Text(None),
                Value::Text(Some("plan".into())),
            ],
        );
        let e = r.decode::<Item>().unwrap_err().to_string();
        assert!(e.contains("列 id"), "{e}");
    }
}
