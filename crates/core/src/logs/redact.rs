//! What a log line must never hold, masked by pattern as the line is written: a phone
//! number in full, a token, a password or a secret. The sources already avoid logging
//! these; this is the net under them, for text that reaches the log inside an error
//! (a URL, a provider's answer) that no one chose to log.

use std::borrow::Cow;
use std::sync::OnceLock;

use regex::{Captures, Regex};

/// What stands where a secret was.
pub const REDACTED: &str = "[redacted]";

/// A phone number as it may be shown in a log: its last four digits only (`…4567`).
/// Anything shorter than five digits is shown as `…`.
pub fn mask_phone(number: &str) -> String {
    let digits: Vec<char> = number.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 5 {
        return "…".into();
    }
    let last: String = digits[digits.len() - 4..].iter().collect();
    format!("…{last}")
}

/// Masks everything a log must not hold. Returns the line unchanged (borrowed) when there
/// is nothing to mask, which is almost always.
pub fn redact(line: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(line);
    for (pattern, replace) in patterns() {
        if let Cow::Owned(changed) = pattern.replace_all(&out, |c: &Captures<'_>| replace(c)) {
            out = Cow::Owned(changed);
        }
    }
    out
}

/// A writer that masks what passes through it (the log's copy on stdout, for developers).
pub struct Redacting<W>(pub W);

impl<W: std::io::Write> std::io::Write for Redacting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.0.write_all(redact(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

type Replace = fn(&Captures<'_>) -> String;

fn patterns() -> &'static [(Regex, Replace)] {
    static PATTERNS: OnceLock<Vec<(Regex, Replace)>> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let rules: [(&str, Replace); 5] = [
            // `token=…`, `"refresh_token":"…"`, `password: …`, `Authorization: Basic …`: the
            // name stays (it says what was there), the value goes.
            (
                r#"(?i)((?:access|refresh|id|auth)?_?token|secret|password|api_?key|authorization|client_secret|code_verifier)(["']?\s*[:=]\s*["']?)(?:(?:basic|bearer)\s+)?[^\s"'&,;}]+"#,
                |c| format!("{}{}{REDACTED}", &c[1], &c[2]),
            ),
            // A bearer token wherever it stands.
            (r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+", |_| {
                format!("Bearer {REDACTED}")
            }),
            // A JSON Web Token (ID and access tokens): three base64url parts, the first `eyJ`.
            (
                r"\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*",
                |_| REDACTED.into(),
            ),
            // A Twilio auth token or API key secret: 32 letters and digits standing alone (a
            // SID is two letters and 32 hex digits in one word, so it is not matched).
            (r"\b[0-9A-Za-z]{32}\b", |c| {
                let word = &c[0];
                let mixed = word.chars().any(|ch| ch.is_ascii_digit())
                    && word.chars().any(|ch| ch.is_ascii_alphabetic());
                if mixed {
                    REDACTED.into()
                } else {
                    word.into()
                }
            }),
            // A phone number in E.164 form (Twilio's): `+` and 7 to 15 digits, separators
            // allowed. Only the last four digits stay.
            (r"\+\d(?:[ ().-]{0,2}\d){6,14}", |c| mask_phone(&c[0])),
        ];
        rules
            .into_iter()
            .filter_map(|(pattern, replace)| match Regex::new(pattern) {
                Ok(regex) => Some((regex, replace)),
                // A pattern is a constant: the unit tests below compile every one.
                Err(_) => None,
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_compiles() {
        assert_eq!(patterns().len(), 5);
    }

    #[test]
    fn phone_numbers_keep_their_last_four_digits() {
        assert_eq!(
            redact("call from +14155550123 to +1 (212) 555-0101 done"),
            "call from …0123 to …0101 done"
        );
        assert_eq!(mask_phone("+14155550123"), "…0123");
        assert_eq!(mask_phone("123"), "…");
    }

    #[test]
    fn tokens_and_secrets_are_masked_and_their_names_kept() {
        let line = r#"refused: {"refresh_token":"v1.Mabc-DEF_123","error":"x"} token=abc&next=1 password: hunter2"#;
        let out = redact(line);
        assert!(!out.contains("v1.Mabc-DEF_123"), "{out}");
        assert!(!out.contains("abc&"), "{out}");
        assert!(!out.contains("hunter2"), "{out}");
        assert!(
            out.contains("refresh_token") && out.contains("next=1"),
            "{out}"
        );
        let bearer = redact("Authorization: Bearer abc.def-ghi");
        assert!(!bearer.contains("abc.def-ghi"), "{bearer}");
        let jwt = redact("id eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl end");
        assert_eq!(jwt, format!("id {REDACTED} end"));
    }

    #[test]
    fn a_twilio_secret_goes_and_a_sid_stays() {
        let secret = "0123456789abcdef0123456789abcdef";
        let sid = format!("RE{secret}");
        let line = format!("sid {sid} secret {secret}");
        let out = redact(&line);
        assert_eq!(out, format!("sid {sid} secret {REDACTED}"));
    }

    #[test]
    fn ordinary_lines_are_left_alone() {
        let line = "2026-12-07T17:45:20.123Z  INFO calldeck_core::sync: synced user_id=\"auth0|abc\" new=14 since_start=Some(1234) at_ms=1765129520123";
        assert!(matches!(redact(line), Cow::Borrowed(_)));
    }
}
