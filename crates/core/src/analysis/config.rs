//! Where the AI analysis is asked for, checked before anything is sent.

use std::time::Duration;

use reqwest::Url;

use crate::error::{Error, Result};
use crate::http::RetryPolicy;
use crate::twilio::Secret;

/// Where and how to ask. `Debug` is safe: the key is a [`Secret`].
#[derive(Debug, Clone)]
pub struct ChatConfig {
    /// The service's base URL, with or without the trailing `/v1`.
    pub base_url: Url,
    pub model: String,
    /// Sent as `Authorization: Bearer`; left out when empty (local servers need none).
    pub api_key: Secret,
    pub connect_timeout: Duration,
    /// The whole of one attempt, from connecting to the last byte of the answer.
    pub request_timeout: Duration,
    /// Attempts in all for 429, 5xx and failed connections (the first included).
    pub max_attempts: u32,
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// The longest `Retry-After` honoured; longer ones are cut to this.
    pub retry_after_max: Duration,
}

impl ChatConfig {
    /// Checks the address, model and key, with the default timeouts and retries.
    pub fn new(base_url: &str, model: &str, api_key: Secret) -> Result<Self> {
        let base_url = Url::parse(base_url.trim())
            .map_err(|_| Error::invalid("The analysis service address is not a valid URL."))?;
        let config = Self {
            base_url,
            model: model.trim().to_owned(),
            api_key,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(120),
            max_attempts: 3,
            backoff_base: Duration::from_secs(1),
            backoff_max: Duration::from_secs(8),
            retry_after_max: Duration::from_secs(30),
        };
        config.endpoint()?;
        Ok(config)
    }

    /// The shared transport's retry policy, from these settings.
    pub(crate) fn retry_policy(&self) -> RetryPolicy {
        RetryPolicy {
            attempts: self.max_attempts.max(1),
            backoff_base: self.backoff_base,
            backoff_max: self.backoff_max,
            retry_after_max: self.retry_after_max,
        }
    }

    /// `{base}/v1/chat/completions`, without doubling a `/v1` the base already ends with
    /// (and as is when the full endpoint was pasted). Also checks the rest of the config.
    pub fn endpoint(&self) -> Result<Url> {
        let url = &self.base_url;
        let loopback = match url.host() {
            Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        };
        // A bearer key in clear text is readable by anyone on the path; plain http is only
        // for a server on this computer.
        if !(url.scheme() == "https" || (url.scheme() == "http" && loopback))
            || url.host().is_none()
        {
            return Err(Error::invalid("The analysis service address must start with https:// (plain http:// only for a server on this computer)."));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::invalid("The analysis service address must not contain a user name or password; put the key in the API key field."));
        }
        let model = self.model.trim();
        if model.is_empty() || model.len() > 200 || model.chars().any(char::is_control) {
            return Err(Error::invalid(
                "Enter the name of the model to use for analysis.",
            ));
        }
        let key = self.api_key.expose();
        if key.len() > 4096 || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::invalid(
                "The API key contains characters that cannot be sent.",
            ));
        }
        let path = url.path().trim_end_matches('/');
        let path = if path.ends_with("/chat/completions") {
            path.to_owned()
        } else if path.ends_with("/v1") {
            format!("{path}/chat/completions")
        } else {
            format!("{path}/v1/chat/completions")
        };
        let mut endpoint = url.clone();
        endpoint.set_path(&path);
        endpoint.set_query(None);
        endpoint.set_fragment(None);
        Ok(endpoint)
    }
}
