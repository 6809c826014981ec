//! A page of a Twilio list, read lazily.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::record::KeyIndex;
use super::Field;

/// One page of a Twilio list, read lazily: at most the page size of entries is kept, the
/// ones beyond are counted but never built, so a hostile page costs its body and no more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPage<T> {
    pub items: Vec<T>,
    /// Entries beyond the page size asked for: counted, never read.
    pub beyond: u64,
    pub next_page_uri: Field<String>,
}

impl<T> Default for ListPage<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            beyond: 0,
            next_page_uri: Field::Missing,
        }
    }
}

/// A record type that Twilio lists in pages: the page's keys for the list and the link on.
pub trait Listed {
    const PAGE_KEYS: &'static [&'static str];
}

/// Reads a page of `T`, keeping at most `limit` entries.
pub(crate) struct PageSeed<T> {
    limit: usize,
    item: PhantomData<T>,
}

impl<T> PageSeed<T> {
    pub(crate) fn new(limit: usize) -> Self {
        Self {
            limit,
            item: PhantomData,
        }
    }
}

impl<'de, T: Deserialize<'de> + Listed> DeserializeSeed<'de> for PageSeed<T> {
    type Value = ListPage<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<ListPage<T>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: Deserialize<'de> + Listed> Visitor<'de> for PageSeed<T> {
    type Value = ListPage<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a page of a Twilio list")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ListPage<T>, A::Error> {
        let mut page = ListPage::default();
        let mut listed = false;
        while let Some(key) = map.next_key_seed(KeyIndex(T::PAGE_KEYS))? {
            match key {
                // A second list under the same key is ignored, like any unknown key.
                Some(0) if !listed => {
                    listed = true;
                    map.next_value_seed(Entries {
                        limit: self.limit,
                        page: &mut page,
                    })?;
                }
                Some(1) => page.next_page_uri = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(page)
    }
}

struct Entries<'a, T> {
    limit: usize,
    page: &'a mut ListPage<T>,
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Entries<'_, T> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Entries<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of records")
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while self.page.items.len() < self.limit {
            match seq.next_element::<T>()? {
                Some(item) => self.page.items.push(item),
                None => return Ok(()),
            }
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {
            self.page.beyond += 1;
        }
        Ok(())
    }
}
