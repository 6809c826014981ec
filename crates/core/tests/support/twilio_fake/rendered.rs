//! List items rendered once and kept, so that a page of any window costs the fake a copy
//! of bytes, not a JSON rendering of each item (~20 ms a page of 1000). Pages cached by
//! URL are not enough: a sync that splits its days differently from run to run asks for
//! other URLs each time, and would be held to the fake's rendering while the peer, whose
//! URLs repeat, is not.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Bytes;
use serde_json::Value;

struct Items {
    generation: u64,
    media_base: String,
    /// Recordings, then calls, by the recording's index.
    by_kind: [HashMap<u32, Bytes>; 2],
}

#[derive(Default)]
pub(super) struct RenderedItems(Mutex<Option<Items>>);

impl RenderedItems {
    pub fn clear(&self) {
        *self.0.lock().expect("lock") = None;
    }

    /// The items at `indexes`, rendered by `render` the first time each is asked for
    /// under this generation and media base.
    pub fn get(
        &self,
        generation: u64,
        media_base: &str,
        is_calls: bool,
        indexes: &[u32],
        render: impl Fn(u32) -> Value,
    ) -> Vec<Bytes> {
        let mut slot = self.0.lock().expect("lock");
        let fresh = slot
            .as_ref()
            .is_some_and(|s| s.generation == generation && s.media_base == media_base);
        if !fresh {
            *slot = Some(Items {
                generation,
                media_base: media_base.to_owned(),
                by_kind: [HashMap::new(), HashMap::new()],
            });
        }
        let Some(items) = slot.as_mut() else {
            return Vec::new();
        };
        let kind = &mut items.by_kind[usize::from(is_calls)];
        indexes
            .iter()
            .map(|&i| {
                kind.entry(i)
                    .or_insert_with(|| {
                        Bytes::from(serde_json::to_vec(&render(i)).expect("item json"))
                    })
                    .clone()
            })
            .collect()
    }
}

/// A list page: `{"<key>": [items…], …rest}`, the items as rendered.
pub(super) fn page_body(key: &str, items: &[Bytes], rest: &Value) -> Bytes {
    let rest = serde_json::to_vec(rest).expect("page json");
    let mut body =
        Vec::with_capacity(items.iter().map(Bytes::len).sum::<usize>() + rest.len() + 32);
    body.extend_from_slice(b"{\"");
    body.extend_from_slice(key.as_bytes());
    body.extend_from_slice(b"\":[");
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            body.push(b',');
        }
        body.extend_from_slice(item);
    }
    body.push(b']');
    // `rest` is an object: its members follow the items.
    if rest.len() > 2 {
        body.push(b',');
        body.extend_from_slice(&rest[1..]);
    } else {
        body.push(b'}');
    }
    Bytes::from(body)
}
