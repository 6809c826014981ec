//! The list requests of a window of days, and the day an account was created (where a
//! first sync starts). Twilio filters by whole UTC days and reads an upper bound
//! `X<=D` in one of two ways (through the end of D, or up to D's midnight only), so a
//! window's request is one both readings answer with at least the window: the caller keeps
//! what falls inside by its true time.

use chrono::{Days, NaiveDate};
use reqwest::Url;

use super::TwilioClient;
use crate::twilio::error::{Listing, Request, TwilioError};
use crate::twilio::model::parse_rfc2822;
use crate::twilio::wire::AccountWire;
use crate::twilio::MAX_PAGE_SIZE;

fn ymd(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

impl TwilioClient {
    /// The first page of `listing` for the days `[from, to)` (`to: None`: no end). One day
    /// asks `X=from`; longer asks `X>=from` and `X<=to` (a superset under both readings),
    /// or `X<=to-1` when `whole_day` says Twilio was seen reading an upper bound as the
    /// whole day (then that is exact, and day `to` is not listed twice).
    pub fn window_url(
        &self,
        listing: Listing,
        from: NaiveDate,
        to: Option<NaiveDate>,
        whole_day: bool,
        page_size: u32,
    ) -> Url {
        let (file, key) = match listing {
            Listing::Recordings => ("Recordings.json", "DateCreated"),
            Listing::Calls => ("Calls.json", "StartTime"),
        };
        let mut url = self.account_url(file);
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("PageSize", &page_size.clamp(1, MAX_PAGE_SIZE).to_string());
            let last = to.and_then(|t| t.checked_sub_days(Days::new(1)));
            if last == Some(from) {
                q.append_pair(key, &ymd(from));
            } else {
                q.append_pair(&format!("{key}>"), &ymd(from));
                let upper = if whole_day { last } else { to };
                if let Some(upper) = upper {
                    q.append_pair(&format!("{key}<"), &ymd(upper));
                }
            }
        }
        url
    }

    /// The UTC day the account was created (`GET Accounts/{sid}.json`), if Twilio says.
    pub async fn account_created(&self) -> Result<Option<NaiveDate>, TwilioError> {
        let mut url = self.inner.base.clone();
        url.set_path(&format!(
            "/2010-04-01/Accounts/{}.json",
            self.inner.creds.account_sid()
        ));
        let account: AccountWire = self.get_json(url, Request::Account).await?;
        Ok(account
            .date_created
            .as_deref()
            .and_then(parse_rfc2822)
            .map(|d| d.naive_utc().date()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::twilio::{ClientConfig, Secret, TwilioCredentials};

    fn client() -> TwilioClient {
        let creds =
            TwilioCredentials::auth_token("AC0123456789abcdef0123456789abcdef", Secret::new("t"))
                .expect("creds");
        let config = ClientConfig {
            base_url: "http://127.0.0.1:9".into(),
            ..ClientConfig::default()
        };
        TwilioClient::new(creds, config).expect("client")
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day")
    }

    #[test]
    fn a_window_asks_for_a_superset_of_its_days_under_both_readings() {
        let c = client();
        let q = |l, from, to: Option<&str>, whole| {
            c.window_url(l, day(from), to.map(day), whole, 50)
                .query()
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(
            q(Listing::Recordings, "2026-11-19", Some("2026-11-20"), false),
            "PageSize=50&DateCreated=2026-11-19",
            "one day: created on that day"
        );
        assert_eq!(
            q(Listing::Calls, "2026-11-01", Some("2026-11-20"), false),
            "PageSize=50&StartTime%3E=2026-11-01&StartTime%3C=2026-11-20",
            "the exclusive end day as the upper bound: a superset under both readings"
        );
        assert_eq!(
            q(Listing::Recordings, "2026-11-01", Some("2026-11-20"), true),
            "PageSize=50&DateCreated%3E=2026-11-01&DateCreated%3C=2026-11-19",
            "seen reading whole days: the last day of the window is exact"
        );
        assert_eq!(
            q(Listing::Recordings, "2026-11-01", None, false),
            "PageSize=50&DateCreated%3E=2026-11-01",
            "no end: from the first day on"
        );
    }
}
