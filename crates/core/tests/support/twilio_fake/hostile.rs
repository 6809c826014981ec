//! Hostile pages: links that go round in circles or leave the filter's window, and a page
//! of a given size made of nothing but `{}`. Off unless a test turns them on.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

#[derive(Default)]
pub struct Hostile {
    /// Every page of this resource (`"Recordings.json"` or `"Calls.json"`) names itself as
    /// the next page.
    pub self_link: Mutex<Option<String>>,
    /// Next-page links drop the date filter the listing was asked for (they would list the
    /// whole account).
    pub links_drop_filter: AtomicBool,
}

impl Hostile {
    pub(super) fn active(&self) -> bool {
        self.self_link.lock().expect("lock").is_some()
            || self.links_drop_filter.load(Ordering::SeqCst)
    }

    /// The next-page link a page of `resource` carries, given the honest one.
    pub(super) fn next_link(
        &self,
        resource: &str,
        this: &str,
        honest: Option<String>,
        filter: &str,
    ) -> Option<String> {
        if self.self_link.lock().expect("lock").as_deref() == Some(resource) {
            return Some(this.to_owned());
        }
        if self.links_drop_filter.load(Ordering::SeqCst) && !filter.is_empty() {
            return honest.map(|link| link.replace(filter, ""));
        }
        honest
    }
}

/// A recordings page of about `bytes` bytes whose entries are all `{}`, with no next page.
pub fn empty_objects_page(bytes: usize) -> String {
    let head = "{\"recordings\":[";
    let tail = "],\"next_page_uri\":null,\"page\":0,\"page_size\":1000}";
    let n = bytes.saturating_sub(head.len() + tail.len()) / 3;
    let mut page = String::with_capacity(head.len() + n * 3 + tail.len());
    page.push_str(head);
    for i in 0..n {
        page.push_str(if i == 0 { "{}" } else { ",{}" });
    }
    page.push_str(tail);
    page
}
