//! One field of a Twilio record: absent, a value of the type the spec gives it, or
//! something else, which is kept as "wrong type" instead of failing the record.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// One field of a record as Twilio sent it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Field<T> {
    /// Absent, or null.
    #[default]
    Missing,
    Value(T),
    /// Present with a type the spec does not give it (`"channels": "2"`): unknown.
    WrongType,
}

impl<T> Field<T> {
    pub fn value(&self) -> Option<&T> {
        match self {
            Field::Value(v) => Some(v),
            _ => None,
        }
    }

    pub fn into_value(self) -> Option<T> {
        match self {
            Field::Value(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_wrong_type(&self) -> bool {
        matches!(self, Field::WrongType)
    }
}

impl<T> From<Option<T>> for Field<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Field::Missing, Field::Value)
    }
}

/// The JSON types a field accepts; anything else is [`Field::WrongType`].
pub trait Scalar: Sized {
    fn from_str(_: &str) -> Option<Self> {
        None
    }
    fn from_i64(_: i64) -> Option<Self> {
        None
    }
    fn from_u64(_: u64) -> Option<Self> {
        None
    }
}

impl Scalar for String {
    fn from_str(s: &str) -> Option<Self> {
        Some(s.to_owned())
    }
}

impl Scalar for i64 {
    fn from_i64(v: i64) -> Option<Self> {
        Some(v)
    }
    fn from_u64(v: u64) -> Option<Self> {
        i64::try_from(v).ok()
    }
}

struct FieldVisitor<T>(PhantomData<T>);

fn typed<T>(v: Option<T>) -> Field<T> {
    v.map_or(Field::WrongType, Field::Value)
}

impl<'de, T: Scalar> Visitor<'de> for FieldVisitor<T> {
    type Value = Field<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Field<T>, E> {
        Ok(Field::Missing)
    }
    fn visit_none<E>(self) -> Result<Field<T>, E> {
        Ok(Field::Missing)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Field<T>, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Field<T>, E> {
        Ok(Field::WrongType)
    }
    fn visit_i64<E>(self, v: i64) -> Result<Field<T>, E> {
        Ok(typed(T::from_i64(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Field<T>, E> {
        Ok(typed(T::from_u64(v)))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Field<T>, E> {
        Ok(Field::WrongType)
    }
    fn visit_str<E>(self, v: &str) -> Result<Field<T>, E> {
        Ok(typed(T::from_str(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Field<T>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Field::WrongType)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Field<T>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Field::WrongType)
    }
}

impl<'de, T: Scalar> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FieldVisitor(PhantomData))
    }
}
