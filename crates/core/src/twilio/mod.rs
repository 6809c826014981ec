//! Twilio's 2010 REST API: the client, its wire types, and their mapping to the library's
//! domain types at the edge.

mod client;
mod credentials;
mod error;
pub mod model;
pub mod wire;

pub use crate::http::BudgetStats;
pub use client::{
    ClientConfig, MediaBody, PageWalk, TwilioClient, DEFAULT_BASE_URL, DEFAULT_CONCURRENCY,
    MAX_CONCURRENCY, MAX_PAGE_SIZE,
};
pub use credentials::{Secret, TwilioAccountSummary, TwilioAuth, TwilioCredentials};
pub(crate) use error::hint;
pub use error::{Listing, Request, TwilioError};
