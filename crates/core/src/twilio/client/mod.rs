//! The Twilio REST client: one shared `reqwest` client (rustls, no automatic redirects),
//! a configurable base URL, timeouts, retries with backoff, a concurrency budget shared by
//! every client of the account, and a hard rule that the credentials go to the configured
//! API host and nowhere else.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use chrono::NaiveDate;
use reqwest::{Method, Url};
use serde::de::DeserializeOwned;

use serde::de::DeserializeSeed;

use super::credentials::TwilioCredentials;
use super::error::{hint, Listing, Request, TwilioError};
use super::wire::{AccountWire, CallWire, ListPage, Listed, PageSeed, RecordingWire};
use crate::http::{self, Budget, BudgetStats};
use crate::ids::RecordingSid;

mod config;
mod media;
mod paging;
mod transport;
mod windows;

pub use config::{ClientConfig, DEFAULT_CONCURRENCY, MAX_CONCURRENCY};
pub use media::MediaBody;
pub use paging::PageWalk;
use transport::{check_status, read_limited, Budgeted};

pub const DEFAULT_BASE_URL: &str = "https://api.twilio.com";
/// Twilio's maximum page size.
pub const MAX_PAGE_SIZE: u32 = 1000;
/// Twilio's page size when a request names none.
const DEFAULT_PAGE_SIZE: usize = 50;
/// The process-wide HTTP client for Twilio: connection pool and TLS set up once.
/// Redirects are never followed automatically, so an `Authorization` header cannot be
/// carried to another host by the HTTP layer.
fn shared_http() -> Result<reqwest::Client, TwilioError> {
    static HTTP: OnceLock<reqwest::Client> = OnceLock::new();
    if let Some(client) = HTTP.get() {
        return Ok(client.clone());
    }
    let client =
        http::client(Duration::from_secs(10)).map_err(|e| TwilioError::Network(hint(e)))?;
    Ok(HTTP.get_or_init(|| client).clone())
}

#[derive(Clone)]
pub struct TwilioClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base: Url,
    creds: TwilioCredentials,
    config: ClientConfig,
    /// The account's budget, shared with every other client of it in this process.
    budget: Arc<Budget>,
}

impl std::fmt::Debug for TwilioClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TwilioClient")
            .field("base", &self.inner.base.as_str())
            .field("account_sid", &self.inner.creds.account_sid())
            .finish_non_exhaustive()
    }
}

impl TwilioClient {
    pub fn new(creds: TwilioCredentials, config: ClientConfig) -> Result<Self, TwilioError> {
        let base = Url::parse(&config.base_url)
            .map_err(|_| TwilioError::BadResponse("the Twilio base URL is not a URL".into()))?;
        if !matches!(base.scheme(), "http" | "https") || base.host_str().is_none() {
            return Err(TwilioError::BadResponse(
                "the Twilio base URL must be http(s) with a host".into(),
            ));
        }
        let concurrency = config.concurrency.clamp(1, MAX_CONCURRENCY);
        let budget = http::budget_for_account(&base, creds.account_sid(), concurrency);
        Ok(Self {
            inner: Arc::new(Inner {
                http: shared_http()?,
                base,
                creds,
                config: ClientConfig {
                    concurrency,
                    ..config
                },
                budget,
            }),
        })
    }

    /// How many requests this account may have in flight at once at most (the setting,
    /// clamped): what callers that fan out size their task pools with. The budget queues
    /// anything beyond its current limit, so more tasks only wait.
    pub fn concurrency(&self) -> usize {
        self.inner.config.concurrency
    }

    /// What the account's budget has seen in this process: 429s, peak in flight, its limit.
    pub fn budget_stats(&self) -> BudgetStats {
        self.inner.budget.stats()
    }

    pub fn account_sid(&self) -> &str {
        self.inner.creds.account_sid()
    }

    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    fn account_url(&self, tail: &str) -> Url {
        let mut url = self.inner.base.clone();
        url.set_path(&format!(
            "/2010-04-01/Accounts/{}/{tail}",
            self.inner.creds.account_sid()
        ));
        url.set_query(None);
        url
    }

    /// Checks the credentials with a real call (`GET Accounts/{sid}.json`).
    pub async fn verify_credentials(&self) -> Result<(), TwilioError> {
        let mut url = self.inner.base.clone();
        url.set_path(&format!(
            "/2010-04-01/Accounts/{}.json",
            self.inner.creds.account_sid()
        ));
        let account: AccountWire = self.get_json(url, Request::Account).await?;
        match account.sid.as_deref() {
            Some(sid) if sid == self.inner.creds.account_sid() => Ok(()),
            _ => Err(TwilioError::BadResponse(
                "the account in the answer is not the one asked for".into(),
            )),
        }
    }

    /// The first page of `Recordings.json`, created on or after `created_from` (a day).
    pub fn recordings_url(&self, created_from: Option<NaiveDate>, page_size: u32) -> Url {
        let mut url = self.account_url("Recordings.json");
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("PageSize", &page_size.clamp(1, MAX_PAGE_SIZE).to_string());
            if let Some(day) = created_from {
                q.append_pair("DateCreated>", &day.format("%Y-%m-%d").to_string());
            }
        }
        url
    }

    /// The first page of `Calls.json`, started on or after `started_from` (a day).
    pub fn calls_url(&self, started_from: Option<NaiveDate>, page_size: u32) -> Url {
        let mut url = self.account_url("Calls.json");
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("PageSize", &page_size.clamp(1, MAX_PAGE_SIZE).to_string());
            if let Some(day) = started_from {
                q.append_pair("StartTime>", &day.format("%Y-%m-%d").to_string());
            }
        }
        url
    }

    /// Resolves a `next_page_uri` (relative, as Twilio sends it) against the base URL.
    /// A link to another host, or outside this account, is refused: the credentials
    /// would follow it.
    pub fn resolve_page_link(&self, link: &str) -> Result<Url, TwilioError> {
        let url = self
            .inner
            .base
            .join(link)
            .map_err(|_| TwilioError::BadResponse("a page link is not a URL".into()))?;
        let account_prefix = format!("/2010-04-01/Accounts/{}/", self.inner.creds.account_sid());
        if !http::same_origin(&url, &self.inner.base) || !url.path().starts_with(&account_prefix) {
            return Err(TwilioError::ForeignLink);
        }
        Ok(url)
    }

    /// One page of recordings: at most the `PageSize` it asked for is read (see
    /// [`ListPage`]).
    pub async fn recordings_page(&self, url: Url) -> Result<ListPage<RecordingWire>, TwilioError> {
        self.get_page(url, Listing::Recordings).await
    }

    pub async fn calls_page(&self, url: Url) -> Result<ListPage<CallWire>, TwilioError> {
        self.get_page(url, Listing::Calls).await
    }

    pub async fn fetch_recording(&self, sid: &RecordingSid) -> Result<RecordingWire, TwilioError> {
        self.get_json(
            self.account_url(&format!("Recordings/{sid}.json")),
            Request::Recording,
        )
        .await
    }

    /// Deletes the recording at Twilio. Already gone counts as done.
    pub async fn delete_recording(&self, sid: &RecordingSid) -> Result<(), TwilioError> {
        let url = self.account_url(&format!("Recordings/{sid}.json"));
        let sent = self.send(Method::DELETE, url, true, Budgeted::Yes).await?;
        match check_status(sent.response, Request::Recording).await {
            Ok(_) | Err(TwilioError::NotFound(_)) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// A JSON object's bytes, within the size limit.
    async fn get_body(&self, url: Url, request: Request) -> Result<Vec<u8>, TwilioError> {
        // The permit is held until the body has been read.
        let sent = self.send(Method::GET, url, true, Budgeted::Yes).await?;
        if sent.response.status().is_redirection() {
            return Err(TwilioError::BadResponse("unexpected redirect".into()));
        }
        let response = check_status(sent.response, request).await?;
        let body = read_limited(response, self.inner.config.max_json_bytes).await?;
        drop(sent.permit);
        // Every answer is an object; serde would also read a struct from an array.
        if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(TwilioError::BadResponse(
                "the answer is not a JSON object".into(),
            ));
        }
        Ok(body)
    }

    async fn get_json<T: DeserializeOwned>(
        &self,
        url: Url,
        request: Request,
    ) -> Result<T, TwilioError> {
        let body = self.get_body(url, request).await?;
        serde_json::from_slice(&body).map_err(|e| TwilioError::BadResponse(hint(e)))
    }

    /// A page of `listing`, keeping at most the `PageSize` its URL asked for.
    async fn get_page<T>(&self, url: Url, listing: Listing) -> Result<ListPage<T>, TwilioError>
    where
        T: DeserializeOwned + Listed,
    {
        let limit = page_limit(&url);
        let body = self.get_body(url, Request::List(listing)).await?;
        let mut reader = serde_json::Deserializer::from_slice(&body);
        PageSeed::new(limit)
            .deserialize(&mut reader)
            .and_then(|page| reader.end().map(|()| page))
            .map_err(|e| TwilioError::BadResponse(hint(e)))
    }
}

/// The page size a list URL asks for.
fn page_limit(url: &Url) -> usize {
    url.query_pairs()
        .find(|(k, _)| k == "PageSize")
        .and_then(|(_, v)| v.parse::<u32>().ok())
        .map_or(DEFAULT_PAGE_SIZE, |n| n.clamp(1, MAX_PAGE_SIZE) as usize)
}
