//! Listing from Twilio ahead of the database: the recordings pages are fetched and parsed
//! by a task of their own while the calls are listed and while earlier pages are being
//! committed, so network, JSON and SQLite work overlap. At most [`AHEAD`] pages wait, so
//! memory stays bounded however long the calls listing takes. Each listing follows its
//! links through a [`PageWalk`], so a page that leads back or out of the window ends it.

use std::collections::HashMap;

use reqwest::Url;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::{or_cancel, MAX_ERRORS};
use crate::error::Result;
use crate::twilio::model::{call_party, call_sid, CallParty};
use crate::twilio::wire::RecordingWire;
use crate::twilio::{Listing, PageWalk, TwilioClient, TwilioError};

/// Pages fetched but not yet committed, besides the one being fetched.
const AHEAD: usize = 2;

/// One recordings page as listed, with where the listing goes on from it.
pub(super) struct ListedPage {
    /// At most the page size asked for.
    pub recordings: Vec<RecordingWire>,
    /// Entries beyond the page size: not read.
    pub beyond: u64,
    /// Twilio's relative link to the next page, as the resume point stores it; the lister
    /// has already checked it. `None` on the last page, and when the listing stops here.
    pub link: Option<String>,
    /// Why the listing stops after this page although Twilio named a next one (a link back
    /// to a page already read, or out of the window). The page itself is good.
    pub stop: Option<TwilioError>,
}

pub(super) enum Listed {
    Page(ListedPage),
    Cancelled,
}

/// The recordings lister; stopped when dropped, so an early return of the sync never
/// leaves it fetching.
pub(super) struct RecordingsLister {
    pages: mpsc::Receiver<Result<Listed>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for RecordingsLister {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl RecordingsLister {
    pub fn start(client: &TwilioClient, first: Url, cancel: &CancellationToken) -> Self {
        let (tx, pages) = mpsc::channel(AHEAD);
        let (client, cancel) = (client.clone(), cancel.clone());
        let task = tokio::spawn(async move {
            let mut walk = PageWalk::new(Listing::Recordings, &first);
            let mut url = Some(first);
            while let Some(current) = url.take() {
                let listed = match or_cancel(&cancel, client.recordings_page(current)).await {
                    None => Ok(Listed::Cancelled),
                    Some(Err(e)) => Err(e.into()),
                    Some(Ok(page)) => {
                        let (link, stop) = match walk.follow(&client, &page.next_page_uri) {
                            Ok(next) => {
                                url = next;
                                let link = url.is_some().then(|| page.next_page_uri.into_value());
                                (link.flatten(), None)
                            }
                            Err(e) => (None, Some(e)),
                        };
                        Ok(Listed::Page(ListedPage {
                            recordings: page.items,
                            beyond: page.beyond,
                            link,
                            stop,
                        }))
                    }
                };
                let goes_on = url.is_some() && matches!(listed, Ok(Listed::Page(_)));
                if tx.send(listed).await.is_err() || !goes_on {
                    return;
                }
            }
        });
        Self { pages, task }
    }

    /// The next page; `None` only if the lister stopped without saying why (it was
    /// aborted), which the caller treats as an internal error.
    pub async fn next(&mut self) -> Option<Result<Listed>> {
        self.pages.recv().await
    }
}

/// The calls of the sync's window, as the parties the recordings are joined with.
#[derive(Debug, Default)]
pub(super) struct ListedCalls {
    pub parties: HashMap<String, CallParty>,
    /// Calls beyond the page size: not read.
    pub beyond: u64,
    /// Calls with fields of the wrong type: the call SID and those fields (the first
    /// [`MAX_ERRORS`] of them; `odd_more` counts the rest).
    pub odd: Vec<(String, Vec<&'static str>)>,
    pub odd_more: u64,
}

/// Every call from `first` on. `None` when cancelled.
pub(super) async fn list_calls(
    client: &TwilioClient,
    first: Url,
    cancel: &CancellationToken,
    mut on_page: impl FnMut(),
) -> Result<Option<ListedCalls>> {
    let mut calls = ListedCalls::default();
    let mut walk = PageWalk::new(Listing::Calls, &first);
    let mut url = Some(first);
    while let Some(current) = url.take() {
        let Some(page) = or_cancel(cancel, client.calls_page(current)).await else {
            return Ok(None);
        };
        let page = page?;
        calls.beyond += page.beyond;
        for call in &page.items {
            if let Some(sid) = call_sid(call) {
                let odd = call.wrong_types();
                if !odd.is_empty() {
                    if calls.odd.len() < MAX_ERRORS {
                        calls.odd.push((sid.clone(), odd));
                    } else {
                        calls.odd_more += 1;
                    }
                }
                calls.parties.insert(sid, call_party(call));
            }
        }
        on_page();
        url = walk.follow(client, &page.next_page_uri)?;
    }
    Ok(Some(calls))
}
