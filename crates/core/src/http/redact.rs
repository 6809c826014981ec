//! What may be logged or returned of a lower layer's words: bounded single-line hints, no
//! URL (a query can hold a signature or token), and no key, whole or quoted in part.

use reqwest::Url;

/// How long a hint may be.
const HINT_CHARS: usize = 160;
/// A run this long of a secret, anywhere in a text, counts as showing it: services quote
/// keys in part ("Incorrect API key provided: sk-abc…").
const SECRET_RUN: usize = 8;

/// A bounded, single-line hint from a lower layer's message.
pub(crate) fn hint(raw: impl std::fmt::Display) -> String {
    let text = raw.to_string();
    let mut out: String = text
        .chars()
        .filter(|c| !c.is_control())
        .take(HINT_CHARS)
        .collect();
    if text.chars().count() > HINT_CHARS {
        out.push('…');
    }
    out
}

/// A hint from an HTTP error with its URL taken out first.
pub(crate) fn error_hint(e: reqwest::Error) -> String {
    hint(e.without_url())
}

/// Whether `text` holds `secret`, or any [`SECRET_RUN`] characters of it in a row.
pub(crate) fn shows_secret(text: &str, secret: &str) -> bool {
    let (text, secret) = (text.as_bytes(), secret.as_bytes());
    if secret.is_empty() {
        return false;
    }
    let run = secret.len().min(SECRET_RUN);
    secret
        .windows(run)
        .any(|s| text.windows(run).any(|w| w == s))
}

/// `text` with every occurrence of `secret` replaced; wholly replaced when a part of the
/// secret still shows after that.
pub(crate) fn redact(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        return text.to_owned();
    }
    let replaced = text.replace(secret, "[redacted]");
    if shows_secret(&replaced, secret) {
        "[redacted]".to_owned()
    } else {
        replaced
    }
}

/// A URL as it may be logged: scheme, host, port and path; no user, password, query or
/// fragment.
pub(crate) fn loggable(url: &Url) -> String {
    format!("{}{}", url.origin().ascii_serialization(), url.path())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk-live-0123456789abcdef";

    #[test]
    fn a_secret_whole_or_in_part_never_survives_redaction() {
        assert_eq!(
            redact(&format!("bad key {KEY}."), KEY),
            "bad key [redacted]."
        );
        let partly = "Incorrect API key provided: sk-live-0123****cdef";
        assert!(
            shows_secret(partly, KEY),
            "eight characters in a row show it"
        );
        assert_eq!(redact(partly, KEY), "[redacted]");
        assert_eq!(redact("model not found", KEY), "model not found");
        assert_eq!(
            redact("anything", ""),
            "anything",
            "no key, nothing to hide"
        );
        assert!(
            !shows_secret("sk-live", KEY),
            "fewer than eight is no quote"
        );
    }

    #[test]
    fn a_logged_url_keeps_no_query_nor_credentials() {
        let url = Url::parse("https://user:pw@media.example:8443/a/b.mp3?Signature=s3cr3t#x")
            .expect("url");
        assert_eq!(loggable(&url), "https://media.example:8443/a/b.mp3");
    }

    #[test]
    fn hints_are_one_bounded_line() {
        let long = format!("a\nb{}", "x".repeat(500));
        let h = hint(&long);
        assert!(!h.contains('\n'));
        assert_eq!(h.chars().count(), HINT_CHARS + 1, "cut, with an ellipsis");
    }
}
