//! Identifiers that arrive from outside (the UI, Twilio) are validated here, once, before
//! anything — a query, a file name — is built from them.

use crate::error::{Error, Result};

/// A Twilio recording SID: `RE` followed by 32 hex digits. Safe to use in a file name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordingSid(String);

impl RecordingSid {
    /// Anything that is not a well-formed SID cannot name one of the user's recordings,
    /// so it answers exactly like a missing recording.
    pub fn parse(raw: &str) -> Result<Self> {
        let well_formed = raw.len() == 34
            && raw.starts_with("RE")
            && raw.bytes().skip(2).all(|b| b.is_ascii_hexdigit());
        if well_formed {
            Ok(Self(raw.to_owned()))
        } else {
            Err(Error::NotFound)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for RecordingSid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_twilio_shaped_sids() {
        let sid = "RE0123456789abcdefABCDEF0123456789";
        assert_eq!(RecordingSid::parse(sid).expect("valid").as_str(), sid);
    }

    #[test]
    fn refuses_anything_that_could_escape_a_folder_as_not_found() {
        for hostile in [
            "",
            "../../etc/passwd",
            "/etc/passwd",
            "RE0123456789abcdef0123456789abcde\0",
            "RE0123456789abcdef0123456789abcdef/..",
            "RE0123456789abcdef0123456789abcdeg",
            "re0123456789abcdef0123456789abcdef",
            &"RE".repeat(5000),
            "RE０123456789abcdef0123456789abcd",
        ] {
            assert!(
                matches!(RecordingSid::parse(hostile), Err(Error::NotFound)),
                "{hostile:?} must be refused as not_found"
            );
        }
    }
}
