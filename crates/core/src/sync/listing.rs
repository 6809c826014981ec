//! Listing from Twilio ahead of the database: the recordings pages are fetched and parsed
//! by a task of their own while the calls are listed and while earlier pages are being
//! committed, so network, JSON and SQLite work overlap. At most [`AHEAD`] pages wait, so
//! memory stays bounded however long the calls listing takes.

use std::collections::HashMap;

use reqwest::Url;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::or_cancel;
use crate::error::Result;
use crate::twilio::model::{call_party, call_sid, CallParty};
use crate::twilio::wire::RecordingWire;
use crate::twilio::TwilioClient;

/// Pages fetched but not yet committed, besides the one being fetched.
const AHEAD: usize = 2;

/// One recordings page as listed, with where the listing goes on from it.
pub(super) struct ListedPage {
    pub recordings: Vec<RecordingWire>,
    /// Twilio's relative link to the next page, as the resume point stores it; the lister
    /// has already checked that it resolves to the API host. `None` on the last page.
    pub link: Option<String>,
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
            let mut url = Some(first);
            while let Some(current) = url.take() {
                let listed = match or_cancel(&cancel, client.recordings_page(current)).await {
                    None => Ok(Listed::Cancelled),
                    Some(Err(e)) => Err(e.into()),
                    Some(Ok(page)) => {
                        let link = page.next_page_uri.filter(|l| !l.is_empty());
                        match link
                            .as_deref()
                            .map(|l| client.resolve_page_link(l))
                            .transpose()
                        {
                            Ok(following) => {
                                url = following;
                                Ok(Listed::Page(ListedPage {
                                    recordings: page.recordings.unwrap_or_default(),
                                    link,
                                }))
                            }
                            Err(e) => Err(e.into()),
                        }
                    }
                };
                let goes_on = matches!(listed, Ok(Listed::Page(_)));
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

/// Every call from `first` on, as the parties the recordings are joined with. `None` when
/// cancelled.
pub(super) async fn list_calls(
    client: &TwilioClient,
    first: Url,
    cancel: &CancellationToken,
    mut on_page: impl FnMut(),
) -> Result<Option<HashMap<String, CallParty>>> {
    let mut calls: HashMap<String, CallParty> = HashMap::new();
    let mut url = Some(first);
    while let Some(current) = url.take() {
        let Some(page) = or_cancel(cancel, client.calls_page(current)).await else {
            return Ok(None);
        };
        let page = page?;
        for call in page.calls.unwrap_or_default() {
            if let Some(sid) = call_sid(&call) {
                calls.insert(sid, call_party(&call));
            }
        }
        on_page();
        if let Some(link) = page.next_page_uri.filter(|l| !l.is_empty()) {
            url = Some(client.resolve_page_link(&link)?);
        }
    }
    Ok(Some(calls))
}
