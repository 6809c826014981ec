//! Credentials go to the configured API host and nowhere else. Redirects are never
//! followed by the HTTP layer (it would carry the `Authorization` header along); a client
//! that follows one does it by hand with [`redirect_target`] and [`authorise`].

use reqwest::header::{HeaderMap, LOCATION};
use reqwest::{RequestBuilder, Url};

/// What a request may carry to the API host.
#[derive(Clone, Copy)]
pub(crate) enum Credentials<'a> {
    Basic {
        user: &'a str,
        password: &'a str,
    },
    /// Left out when empty (local servers need none).
    Bearer(&'a str),
}

/// Same scheme, host and port.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// `request` (to `url`) with `credentials` when `url` is on `api`'s origin; as it is
/// otherwise.
pub(crate) fn authorise(
    request: RequestBuilder,
    url: &Url,
    api: &Url,
    credentials: Credentials<'_>,
) -> RequestBuilder {
    if !same_origin(url, api) {
        return request;
    }
    match credentials {
        Credentials::Basic { user, password } => request.basic_auth(user, Some(password)),
        Credentials::Bearer("") => request,
        Credentials::Bearer(token) => request.bearer_auth(token),
    }
}

/// Why a redirect is not followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BadRedirect {
    /// No `Location`, or one that is not a URL.
    Unreadable,
    /// Somewhere other than http(s).
    NotHttp,
}

/// Where a redirect from `current` leads.
pub(crate) fn redirect_target(current: &Url, headers: &HeaderMap) -> Result<Url, BadRedirect> {
    let raw = headers
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .ok_or(BadRedirect::Unreadable)?;
    let next = current.join(raw).map_err(|_| BadRedirect::Unreadable)?;
    if !matches!(next.scheme(), "http" | "https") {
        return Err(BadRedirect::NotHttp);
    }
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("url")
    }

    fn auth_header(to: &str) -> Option<String> {
        let api = url("https://api.twilio.com");
        let to = url(to);
        let request = reqwest::Client::new().get(to.clone());
        let creds = Credentials::Basic {
            user: "AC1",
            password: "secret",
        };
        let built = authorise(request, &to, &api, creds)
            .build()
            .expect("request");
        built
            .headers()
            .get("authorization")
            .map(|v| v.to_str().expect("ascii").to_owned())
    }

    #[test]
    fn credentials_only_on_the_api_origin() {
        assert!(auth_header("https://api.twilio.com/2010-04-01/x.json").is_some());
        assert!(
            auth_header("https://api.twilio.com:443/x").is_some(),
            "default port"
        );
        for elsewhere in [
            "https://media.twiliocdn.com/x.mp3",
            "http://api.twilio.com/x",
            "https://api.twilio.com:8443/x",
            "https://api.twilio.com.evil.example/x",
        ] {
            assert!(auth_header(elsewhere).is_none(), "{elsewhere}");
        }
    }

    #[test]
    fn an_empty_bearer_key_sends_no_header() {
        let api = url("http://127.0.0.1:8080/v1");
        let to = url("http://127.0.0.1:8080/v1/chat/completions");
        let built = authorise(
            reqwest::Client::new().post(to.clone()),
            &to,
            &api,
            Credentials::Bearer(""),
        )
        .build()
        .expect("request");
        assert!(built.headers().get("authorization").is_none());
    }

    #[test]
    fn redirects_resolve_relative_and_stay_on_http() {
        let here = url("https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1.mp3");
        let at = |loc: &str| {
            let mut h = HeaderMap::new();
            h.insert(LOCATION, loc.parse().expect("value"));
            redirect_target(&here, &h)
        };
        assert_eq!(
            at("/media/RE1.mp3").expect("relative").as_str(),
            "https://api.twilio.com/media/RE1.mp3"
        );
        assert_eq!(at("file:///etc/passwd"), Err(BadRedirect::NotHttp));
        assert_eq!(
            redirect_target(&here, &HeaderMap::new()),
            Err(BadRedirect::Unreadable)
        );
    }
}
