//! Following a list's `next_page_uri`. Twilio's links are data, never control: a link must
//! stay on the API host and in the account ([`TwilioClient::resolve_page_link`]), keep the
//! list and every filter it was first asked with (`PageSize`, `DateCreated>`…), and never
//! lead back to a page already read. Otherwise the listing ends with an error that says which.

use std::collections::HashSet;

use chrono::NaiveDate;
use reqwest::Url;

use super::TwilioClient;
use crate::twilio::error::{Listing, TwilioError};
use crate::twilio::wire::{CallWire, Field, RecordingWire};

impl TwilioClient {
    /// Every recording (created on or after `created_from`), following `next_page_uri`.
    /// For small accounts and tests; the sync pages itself so it can commit as it goes.
    pub async fn list_recordings(
        &self,
        created_from: Option<NaiveDate>,
        page_size: u32,
    ) -> Result<Vec<RecordingWire>, TwilioError> {
        let first = self.recordings_url(created_from, page_size);
        let mut walk = PageWalk::new(Listing::Recordings, &first);
        let mut all = Vec::new();
        let mut next = Some(first);
        while let Some(url) = next.take() {
            let page = self.recordings_page(url).await?;
            all.extend(page.items);
            next = walk.follow(self, &page.next_page_uri)?;
        }
        Ok(all)
    }

    pub async fn list_calls(
        &self,
        started_from: Option<NaiveDate>,
        page_size: u32,
    ) -> Result<Vec<CallWire>, TwilioError> {
        let first = self.calls_url(started_from, page_size);
        let mut walk = PageWalk::new(Listing::Calls, &first);
        let mut all = Vec::new();
        let mut next = Some(first);
        while let Some(url) = next.take() {
            let page = self.calls_page(url).await?;
            all.extend(page.items);
            next = walk.follow(self, &page.next_page_uri)?;
        }
        Ok(all)
    }
}

/// One walk through a list, page after page.
#[derive(Debug)]
pub struct PageWalk {
    listing: Listing,
    path: String,
    filter: Vec<(String, String)>,
    seen: HashSet<String>,
}

impl PageWalk {
    /// A walk that starts at `first` (a first page, or a saved resume point): its path and
    /// filter are what every later link must keep.
    pub fn new(listing: Listing, first: &Url) -> Self {
        let mut seen = HashSet::new();
        seen.insert(page_identity(first));
        Self {
            listing,
            path: first.path().to_owned(),
            filter: filter_of(first),
            seen,
        }
    }

    /// Where the page whose `next_page_uri` is `link` leads: `None` at the end of the list.
    pub fn follow(
        &mut self,
        client: &TwilioClient,
        link: &Field<String>,
    ) -> Result<Option<Url>, TwilioError> {
        let link = match link {
            Field::Missing => return Ok(None),
            Field::Value(link) if link.is_empty() => return Ok(None),
            Field::Value(link) => link,
            Field::WrongType => {
                return Err(TwilioError::BadResponse(
                    "a page link that is not text".into(),
                ))
            }
        };
        let url = client.resolve_page_link(link)?;
        if url.path() != self.path || !keeps_filter(&self.filter, &url) {
            return Err(TwilioError::ListingLeftWindow(self.listing));
        }
        if !self.seen.insert(page_identity(&url)) {
            return Err(TwilioError::ListingLoop(self.listing));
        }
        Ok(Some(url))
    }
}

/// What names a page: its `PageToken` (Twilio's cursor, so a link that only renumbers
/// `Page` is still the same page), or the whole URL for a first page.
fn page_identity(url: &Url) -> String {
    url.query_pairs()
        .find(|(k, _)| k == "PageToken")
        .map_or_else(|| url.as_str().to_owned(), |(_, v)| format!("token:{v}"))
}

/// Whether `url` asks with every key of `filter` exactly as `filter` does (a key Twilio
/// adds of its own is allowed; a date filter dropped, changed or doubled is not).
fn keeps_filter(filter: &[(String, String)], url: &Url) -> bool {
    let theirs = filter_of(url);
    let values = |pairs: &[(String, String)], key: &str| -> Vec<String> {
        pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    };
    filter
        .iter()
        .all(|(key, _)| values(filter, key) == values(&theirs, key))
}

/// A list request's filter: every query pair but the paging ones, in a stable order.
fn filter_of(url: &Url) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != "Page" && k != "PageToken")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::twilio::{ClientConfig, Secret, TwilioCredentials};

    const AC: &str = "AC0123456789abcdef0123456789abcdef";

    fn client() -> TwilioClient {
        let creds = TwilioCredentials::auth_token(AC, Secret::new("t")).expect("creds");
        let config = ClientConfig {
            base_url: "http://127.0.0.1:9".into(),
            ..ClientConfig::default()
        };
        TwilioClient::new(creds, config).expect("client")
    }

    fn link(query: &str) -> Field<String> {
        Field::Value(format!("/2010-04-01/Accounts/{AC}/Recordings.json?{query}"))
    }

    #[test]
    fn links_keep_the_filter_and_never_come_back() {
        let c = client();
        let first = c.recordings_url(chrono::NaiveDate::from_ymd_opt(2026, 11, 19), 50);
        let mut walk = PageWalk::new(Listing::Recordings, &first);
        let page1 = "DateCreated%3E=2026-11-19&PageSize=50&Page=1&PageToken=PA1";
        assert!(walk.follow(&c, &link(page1)).expect("ok").is_some());
        // A key Twilio adds of its own is allowed.
        let page2 =
            "PageSize=50&DateCreated%3E=2026-11-19&IncludeSoftDeleted=false&Page=2&PageToken=PA2";
        assert!(walk.follow(&c, &link(page2)).expect("ok").is_some());
        // The same token renumbered is the same page.
        let again = "DateCreated%3E=2026-11-19&PageSize=50&Page=9&PageToken=PA1";
        assert_eq!(
            walk.follow(&c, &link(again)).expect_err("loop"),
            TwilioError::ListingLoop(Listing::Recordings)
        );
        for out in [
            "PageSize=50&Page=3&PageToken=PA3",
            "DateCreated%3E=2000-01-01&PageSize=50&Page=3&PageToken=PA3",
            "DateCreated%3E=2026-11-19&DateCreated%3E=2000-01-01&PageSize=50&Page=3&PageToken=PA3",
            "DateCreated%3E=2026-11-19&PageSize=1&Page=3&PageToken=PA3",
        ] {
            assert_eq!(
                walk.follow(&c, &link(out)).expect_err(out),
                TwilioError::ListingLeftWindow(Listing::Recordings),
                "{out}"
            );
        }
        let calls = Field::Value(format!("/2010-04-01/Accounts/{AC}/Calls.json?PageSize=50"));
        assert_eq!(
            walk.follow(&c, &calls).expect_err("another list"),
            TwilioError::ListingLeftWindow(Listing::Recordings)
        );
        assert!(walk.follow(&c, &Field::Missing).expect("end").is_none());
        assert!(walk
            .follow(&c, &Field::Value(String::new()))
            .expect("end")
            .is_none());
        assert!(walk.follow(&c, &Field::WrongType).is_err());
    }
}
