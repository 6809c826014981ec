//! What can go wrong talking to Twilio. Messages carry no credentials, no URLs with
//! tokens and no response bodies beyond a short, bounded hint.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TwilioError {
    /// 401/403: the credentials were refused.
    #[error("Twilio refused the credentials")]
    Unauthorized,
    #[error("not found at Twilio")]
    NotFound,
    /// 429 (code 20429) still answered after every retry.
    #[error("Twilio is rate limiting requests")]
    RateLimited,
    /// 5xx still answered after every retry.
    #[error("Twilio is unavailable (HTTP {status})")]
    Unavailable { status: u16 },
    #[error("unexpected HTTP status {status} from Twilio")]
    UnexpectedStatus { status: u16 },
    /// Could not connect, or timed out.
    #[error("network error: {0}")]
    Network(String),
    /// Malformed, truncated, oversized or otherwise unusable response.
    #[error("unreadable response from Twilio: {0}")]
    BadResponse(String),
    /// A page link or redirect pointed somewhere credentials must not go.
    #[error("refused to follow a link to another host")]
    ForeignLink,
    #[error("local file error: {0}")]
    Io(String),
}

impl TwilioError {
    /// The sentence a person reads.
    pub fn user_message(&self) -> String {
        match self {
            TwilioError::Unauthorized => "Twilio did not accept these credentials. Check the Account SID and the Auth Token (or the API Key SID and Secret).".into(),
            TwilioError::NotFound => "Twilio has no such recording (it may have been deleted there).".into(),
            TwilioError::RateLimited => "Twilio is busy with too many requests right now. Please try again in a minute.".into(),
            TwilioError::Unavailable { .. } | TwilioError::UnexpectedStatus { .. } => {
                "Twilio is not answering normally right now. Please try again later.".into()
            }
            TwilioError::Network(_) => "Twilio could not be reached. Check the network connection and try again.".into(),
            TwilioError::BadResponse(_) | TwilioError::ForeignLink => {
                "Twilio sent a response CallDeck could not use. Please try again later.".into()
            }
            TwilioError::Io(_) => "A downloaded recording could not be saved. Please check the free disk space and try again.".into(),
        }
    }

    /// Worth retrying later (as opposed to a permanent refusal).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            TwilioError::RateLimited
                | TwilioError::Unavailable { .. }
                | TwilioError::Network(_)
                | TwilioError::BadResponse(_)
                | TwilioError::Io(_)
        )
    }
}

/// A bounded, single-line hint from a lower layer's message.
pub(crate) fn hint(raw: impl std::fmt::Display) -> String {
    let text = raw.to_string();
    let mut out: String = text.chars().filter(|c| !c.is_control()).take(160).collect();
    if text.chars().count() > 160 {
        out.push('…');
    }
    out
}
