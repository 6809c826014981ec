//! What can go wrong talking to Twilio. Messages carry no credentials, no URLs with
//! tokens and no response bodies beyond a short, bounded hint. A refusal or a 404 says
//! which request got it, so the sentence a person reads fits what they were doing.

/// One of Twilio's lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    Recordings,
    Calls,
}

impl Listing {
    fn noun(self) -> &'static str {
        match self {
            Listing::Recordings => "recordings",
            Listing::Calls => "calls",
        }
    }
}

/// Which request Twilio answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// The credentials check, `GET Accounts/{sid}.json`.
    Account,
    /// A page of a list.
    List(Listing),
    /// One recording's details, or its deletion.
    Recording,
    /// One recording's audio.
    Audio,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TwilioError {
    /// 401/403: the credentials were refused.
    #[error("Twilio refused the credentials ({0:?})")]
    Unauthorized(Request),
    /// 404: what the request asked for does not exist there.
    #[error("not found at Twilio ({0:?})")]
    NotFound(Request),
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
    /// A list's next page is one already read: followed, it would never end.
    #[error("the {} list links back to a page already read", .0.noun())]
    ListingLoop(Listing),
    /// A list's next page drops or changes the filter it was asked with.
    #[error("the {} list links to a page outside its filter", .0.noun())]
    ListingLeftWindow(Listing),
    #[error("local file error: {0}")]
    Io(String),
}

pub(crate) use crate::http::hint;

const TRY_LATER: &str = "Everything read before that is saved; please try again later.";

impl TwilioError {
    /// The sentence a person reads.
    pub fn user_message(&self) -> String {
        match self {
            TwilioError::Unauthorized(Request::Account) => "Twilio did not accept these credentials. Check the Account SID and the Auth Token (or the API Key SID and Secret).".into(),
            TwilioError::Unauthorized(_) => "Twilio no longer accepts the saved credentials (they may have been changed or revoked there). Connect again in Settings → Twilio.".into(),
            TwilioError::NotFound(Request::Account) => "Twilio has no account with this Account SID for these credentials. Check the Account SID (it starts with AC), and that the API key belongs to that account.".into(),
            TwilioError::NotFound(Request::List(_)) => "Twilio does not know the account of the saved Account SID (it may have been closed). Check the Account SID in Settings → Twilio.".into(),
            TwilioError::NotFound(Request::Recording | Request::Audio) => "Twilio has no such recording (it may have been deleted there).".into(),
            TwilioError::RateLimited => "Twilio is busy with too many requests right now. Please try again in a minute.".into(),
            TwilioError::Unavailable { .. } | TwilioError::UnexpectedStatus { .. } => {
                "Twilio is not answering normally right now. Please try again later.".into()
            }
            TwilioError::Network(_) => "Twilio could not be reached. Check the network connection and try again.".into(),
            TwilioError::BadResponse(_) | TwilioError::ForeignLink => {
                "Twilio sent a response CallDeck could not use. Please try again later.".into()
            }
            TwilioError::ListingLoop(l) => format!(
                "Twilio's list of {} came back to a page it had already sent, so the sync stopped there. {TRY_LATER}",
                l.noun()
            ),
            TwilioError::ListingLeftWindow(l) => format!(
                "Twilio's list of {} went on to a page outside the dates the sync asked for, so the sync stopped there. {TRY_LATER}",
                l.noun()
            ),
            TwilioError::Io(_) => "A downloaded recording could not be saved. Please check the free disk space and try again.".into(),
        }
    }

    /// The credentials (or the account they name) are what needs fixing.
    pub fn is_credentials_problem(&self) -> bool {
        matches!(
            self,
            TwilioError::Unauthorized(_)
                | TwilioError::NotFound(Request::Account | Request::List(_))
        )
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
