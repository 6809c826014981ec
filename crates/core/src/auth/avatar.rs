//! The user's picture from the ID token, fetched once at sign-in and kept as a small data
//! URL in the accounts list, so the window shows it offline and its CSP needs no remote
//! image hosts.

use std::time::Duration;

use base64::Engine;

const MAX_BYTES: usize = 96 * 1024;

/// `data:image/…;base64,…`, or `None` when the picture is missing, too big or not an image.
pub async fn fetch(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let loopback = matches!(parsed.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    if parsed.scheme() != "https" && !(parsed.scheme() == "http" && loopback) {
        return None;
    }
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::limited(3))
        .timeout(Duration::from_secs(5))
        .build()
        .ok()?;
    let response = client
        .get(parsed)
        .send()
        .await
        .ok()?
        .error_for_status()
        .ok()?;
    let kind = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)?
        .to_str()
        .ok()?
        .split(';')
        .next()?
        .trim()
        .to_ascii_lowercase();
    if !matches!(
        kind.as_str(),
        "image/png" | "image/jpeg" | "image/gif" | "image/webp"
    ) {
        return None;
    }
    if response
        .content_length()
        .is_some_and(|n| n > MAX_BYTES as u64)
    {
        return None;
    }
    let bytes = response.bytes().await.ok()?;
    if bytes.len() > MAX_BYTES {
        return None;
    }
    Some(format!(
        "data:{kind};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&bytes)
    ))
}
