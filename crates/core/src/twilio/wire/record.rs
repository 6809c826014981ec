//! Reading a record field by field: known keys into [`Field`]s, unknown ones skipped,
//! repeated ones overwritten, and an entry that is not an object kept as an empty record.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// Which of `names` a key is, without allocating for it.
pub(super) struct KeyIndex(pub(super) &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for KeyIndex {
    type Value = Option<usize>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl Visitor<'_> for KeyIndex {
    type Value = Option<usize>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E>(self, v: &str) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|name| *name == v))
    }
}

/// A record read field by field; see [`lenient_record!`].
pub(super) trait Lenient: Default {
    const FIELDS: &'static [&'static str];
    fn read<'de, A: MapAccess<'de>>(&mut self, field: usize, map: &mut A) -> Result<(), A::Error>;
    fn not_an_object() -> Self;
}

pub(super) struct RecordVisitor<R>(pub(super) PhantomData<R>);

impl<'de, R: Lenient> Visitor<'de> for RecordVisitor<R> {
    type Value = R;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a record")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<R, A::Error> {
        let mut record = R::default();
        while let Some(key) = map.next_key_seed(KeyIndex(R::FIELDS))? {
            match key {
                Some(field) => record.read(field, &mut map)?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(record)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<R, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(R::not_an_object())
    }
    fn visit_unit<E>(self) -> Result<R, E> {
        Ok(R::not_an_object())
    }
    fn visit_bool<E>(self, _: bool) -> Result<R, E> {
        Ok(R::not_an_object())
    }
    fn visit_i64<E>(self, _: i64) -> Result<R, E> {
        Ok(R::not_an_object())
    }
    fn visit_u64<E>(self, _: u64) -> Result<R, E> {
        Ok(R::not_an_object())
    }
    fn visit_f64<E>(self, _: f64) -> Result<R, E> {
        Ok(R::not_an_object())
    }
    fn visit_str<E>(self, _: &str) -> Result<R, E> {
        Ok(R::not_an_object())
    }
}

/// A record type whose fields are [`Field`]s named as Twilio spells them, with a lenient
/// `Deserialize` and the list of fields that came with the wrong type.
macro_rules! lenient_record {
    ($(#[$doc:meta])* pub struct $name:ident { $($field:ident: $ty:ty,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        pub struct $name {
            $(pub $field: $crate::twilio::wire::Field<$ty>,)*
            /// The entry was not a JSON object at all.
            pub not_an_object: bool,
        }

        impl $name {
            /// The fields Twilio sent with a type the spec does not give them.
            pub fn wrong_types(&self) -> Vec<&'static str> {
                let mut out = Vec::new();
                $(if self.$field.is_wrong_type() {
                    out.push(stringify!($field));
                })*
                out
            }
        }

        impl $crate::twilio::wire::record::Lenient for $name {
            const FIELDS: &'static [&'static str] = &[$(stringify!($field)),*];

            fn read<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                field: usize,
                map: &mut A,
            ) -> Result<(), A::Error> {
                let mut index = 0;
                $(
                    if field == index {
                        self.$field = map.next_value()?;
                        return Ok(());
                    }
                    index += 1;
                )*
                let _ = index;
                map.next_value::<serde::de::IgnoredAny>().map(drop)
            }

            fn not_an_object() -> Self {
                Self { not_an_object: true, ..Self::default() }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any($crate::twilio::wire::record::RecordVisitor::<$name>(
                    std::marker::PhantomData,
                ))
            }
        }
    };
}

pub(super) use lenient_record;
