//! One window listed page by page: what falls inside it is kept, a large window splits
//! itself at its first page that shows it, and each page goes to the committer with where
//! the window goes on from. The task holds one page at a time; the channel it sends on is
//! bounded, so a slow committer slows the listing instead of filling memory.

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::sync::Arc;

use chrono::NaiveDate;
use reqwest::Url;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::{split, Window};
use crate::error::Result;
use crate::sync::{day_of, or_cancel};
use crate::twilio::model::parse_rfc2822;
use crate::twilio::wire::{CallWire, Field, ListPage, RecordingWire};
use crate::twilio::{Listing, PageWalk, TwilioClient, TwilioError};

/// What every window task shares.
pub(crate) struct Ctx {
    pub client: TwilioClient,
    pub page_size: u32,
    pub cancel: CancellationToken,
    /// Twilio was seen answering `X<=D` with items from later on day D: it reads an upper
    /// bound as the whole day, so new windows can ask for exactly their days.
    pub whole_day: AtomicBool,
    /// The id the next window made by a split gets.
    pub next_id: AtomicI64,
    /// Windows of each listing not yet listed to their end (listing or waiting), counted as
    /// splits make them and as the committer stores last pages (see [`slot`]).
    pub open: [AtomicUsize; 2],
    /// Requests the account's budget lets be in flight.
    pub concurrency: usize,
}

/// Where a listing's count is kept in [`Ctx::open`].
pub(crate) fn slot(listing: Listing) -> usize {
    match listing {
        Listing::Recordings => 0,
        Listing::Calls => 1,
    }
}

impl Ctx {
    /// Windows of either listing not yet listed to their end: none, and the run is done.
    pub fn open_windows(&self) -> usize {
        self.open.iter().map(|n| n.load(Ordering::Relaxed)).sum()
    }

    /// How many windows a split of `listing` may make now: the places of its share of the
    /// budget (half while the other listing has windows open, all of it after) that no open
    /// window fills. Sharing keeps one listing from taking every place when both split at
    /// once, and the other from trailing alone at the end.
    fn idle_places(&self, listing: Listing) -> usize {
        let mine = self.open[slot(listing)].load(Ordering::Relaxed);
        let other = self.open[1 - slot(listing)].load(Ordering::Relaxed);
        let share = if other == 0 {
            self.concurrency
        } else {
            self.concurrency.div_ceil(2)
        };
        share.saturating_sub(mine)
    }
}

pub(crate) enum Items {
    Recordings(Vec<RecordingWire>),
    Calls(Vec<CallWire>),
}

/// Where a window goes after a page.
pub(crate) enum Next {
    /// On from this page link (relative, as Twilio sent it).
    Link(String),
    /// That was its last page.
    Done,
    /// Its next link could not be followed (back to a page already read, out of its
    /// filter, to another host): the page is good, the listing stops here.
    Stop(TwilioError),
}

impl Page {
    pub fn listing(&self) -> Listing {
        match self.items {
            Items::Recordings(_) => Listing::Recordings,
            Items::Calls(_) => Listing::Calls,
        }
    }
}

/// A page of a window, for the committer.
pub(crate) struct Page {
    pub window: i64,
    pub items: Items,
    /// Entries beyond the page size: not read.
    pub beyond: u64,
    /// The window's first day after this page (later than before when it split).
    pub from: NaiveDate,
    pub next: Next,
    /// Windows split off by this page, to be saved with it and then listed.
    pub spawned: Vec<Window>,
}

trait Item: Sized + Send + 'static {
    /// The item's true time: what decides which window it belongs to.
    fn time_ms(&self) -> Option<i64>;
    fn fetch(
        client: &TwilioClient,
        url: Url,
    ) -> impl Future<Output = std::result::Result<ListPage<Self>, TwilioError>> + Send;
}

fn first_time(fields: [&Field<String>; 2]) -> Option<i64> {
    fields
        .into_iter()
        .find_map(|f| f.value().and_then(|d| parse_rfc2822(d)))
        .map(|d| d.timestamp_millis())
}

impl Item for RecordingWire {
    fn time_ms(&self) -> Option<i64> {
        first_time([&self.date_created, &self.start_time])
    }
    fn fetch(
        client: &TwilioClient,
        url: Url,
    ) -> impl Future<Output = std::result::Result<ListPage<Self>, TwilioError>> + Send {
        client.recordings_page(url)
    }
}

impl Item for CallWire {
    fn time_ms(&self) -> Option<i64> {
        first_time([&self.start_time, &self.date_created])
    }
    fn fetch(
        client: &TwilioClient,
        url: Url,
    ) -> impl Future<Output = std::result::Result<ListPage<Self>, TwilioError>> + Send {
        client.calls_page(url)
    }
}

fn day_ms(day: NaiveDate) -> i64 {
    day.and_hms_opt(0, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp_millis())
}

/// Whether `url` asks `X<=to` (the window's exclusive end): then a reading of the bound
/// as the whole day brings day `to` too, which is the next window's.
fn upper_is_superset(url: &Url, w: &Window) -> bool {
    let Some(to) = w.to else { return false };
    let key = match w.listing {
        Listing::Recordings => "DateCreated<",
        Listing::Calls => "StartTime<",
    };
    let to = to.format("%Y-%m-%d").to_string();
    url.query_pairs().any(|(k, v)| k == key && v == to.as_str())
}

/// Lists one window to its end (or until cancelled), sending each page.
pub(crate) async fn list_window(ctx: Arc<Ctx>, w: Window, pages: mpsc::Sender<Page>) -> Result<()> {
    match w.listing {
        Listing::Recordings => walk::<RecordingWire>(ctx, w, pages, Items::Recordings).await,
        Listing::Calls => walk::<CallWire>(ctx, w, pages, Items::Calls).await,
    }
}

async fn walk<T: Item>(
    ctx: Arc<Ctx>,
    mut w: Window,
    pages: mpsc::Sender<Page>,
    wrap: fn(Vec<T>) -> Items,
) -> Result<()> {
    let start = |w: &Window| {
        let whole_day = ctx.whole_day.load(Ordering::Relaxed);
        ctx.client
            .window_url(w.listing, w.from, w.to, whole_day, ctx.page_size)
    };
    // A saved link to another host or account is not followed: the window starts over.
    let (mut url, mut resumed) = match w.link.as_deref().map(|l| ctx.client.resolve_page_link(l)) {
        Some(Ok(url)) => (url, true),
        _ => (start(&w), false),
    };
    let mut walk = PageWalk::new(w.listing, &url);
    loop {
        let Some(fetched) = or_cancel(&ctx.cancel, T::fetch(&ctx.client, url.clone())).await else {
            return Ok(());
        };
        let page = match fetched {
            // A saved link Twilio no longer knows (its page gone, its token refused): the
            // window from its start rather than failing there for ever.
            Err(TwilioError::NotFound(_) | TwilioError::UnexpectedStatus { .. }) if resumed => {
                resumed = false;
                url = start(&w);
                walk = PageWalk::new(w.listing, &url);
                continue;
            }
            other => other?,
        };
        resumed = false;
        let superset = upper_is_superset(&url, &w);
        let (from_ms, to_ms) = (day_ms(w.from), w.to.map(day_ms));
        let mut kept = Vec::with_capacity(page.items.len());
        let (mut older, mut later_on_to) = (false, false);
        let (mut oldest, mut newest): (Option<i64>, Option<i64>) = (None, None);
        for item in page.items {
            match item.time_ms() {
                Some(t) if t < from_ms => older = true,
                Some(t) if to_ms.is_some_and(|end| t >= end) => {
                    later_on_to |= superset && to_ms.is_some_and(|end| t > end);
                }
                time => {
                    if let Some(t) = time {
                        oldest = Some(oldest.map_or(t, |o| o.min(t)));
                        newest = Some(newest.map_or(t, |n| n.max(t)));
                    }
                    kept.push(item);
                }
            }
        }
        if later_on_to {
            ctx.whole_day.store(true, Ordering::Relaxed);
        }
        // Newest first: once an item older than the window shows, the rest is older still.
        let next = if older {
            Ok(None)
        } else {
            walk.follow(&ctx.client, &page.next_page_uri)
        };
        if kept.is_empty() && later_on_to && matches!(next, Ok(Some(_))) {
            // The whole page was day `to`, the next window's: ask again for exactly this
            // window's days rather than page through that day here.
            url = ctx
                .client
                .window_url(w.listing, w.from, w.to, true, ctx.page_size);
            walk = PageWalk::new(w.listing, &url);
            continue;
        }
        let mut spawned = Vec::new();
        let idle = ctx.idle_places(w.listing);
        if let (Ok(Some(_)), Some(oldest), Some(newest), true) = (&next, oldest, newest, idle > 0) {
            let (d, top) = (day_of(oldest), day_of(newest));
            if let (Some(d), Some(top)) = (d, top) {
                if w.splittable() && d > w.from {
                    // The older days go to new windows; this one keeps its place.
                    for (from, to) in split(w.from, d, top, kept.len(), ctx.page_size, idle) {
                        spawned.push(Window {
                            id: ctx.next_id.fetch_add(1, Ordering::Relaxed),
                            listing: w.listing,
                            from,
                            to,
                            link: None,
                        });
                    }
                    w.from = d;
                    ctx.open[slot(w.listing)].fetch_add(spawned.len(), Ordering::Relaxed);
                }
            }
        }
        let (next, follow) = match next {
            Ok(Some(u)) => (
                Next::Link(page.next_page_uri.into_value().unwrap_or_default()),
                Some(u),
            ),
            Ok(None) => (Next::Done, None),
            Err(e) => (Next::Stop(e), None),
        };
        let page = Page {
            window: w.id,
            items: wrap(kept),
            beyond: page.beyond,
            from: w.from,
            next,
            spawned,
        };
        if pages.send(page).await.is_err() {
            return Ok(());
        }
        match follow {
            Some(u) => url = u,
            None => return Ok(()),
        }
    }
}
