//! What can go wrong asking a chat endpoint for an analysis. Like the Twilio errors, the
//! messages carry no API key, no URL and no response body beyond a short, bounded hint.
//! Cancellation is the crate-wide [`crate::Error::Cancelled`], not a variant here.

use crate::error::ErrorCode;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnalysisError {
    /// 401/403: the API key was refused.
    #[error("the analysis service refused the API key")]
    Unauthorized,
    /// 429 still answered after every attempt.
    #[error("the analysis service is rate limiting requests")]
    RateLimited,
    /// 5xx still answered after every attempt.
    #[error("the analysis service is unavailable (HTTP {status})")]
    Unavailable { status: u16 },
    /// Any other status, redirects included (they are never followed).
    #[error("unexpected HTTP status {status} from the analysis service")]
    UnexpectedStatus { status: u16 },
    #[error("the analysis service did not answer in time")]
    Timeout,
    #[error("network error: {0}")]
    Network(String),
    /// Not JSON, the wrong shape, a value outside the schema, or an empty answer.
    #[error("unusable answer from the analysis service: {0}")]
    BadOutput(String),
    /// The model declined (the `refusal` field of the message was set).
    #[error("the model declined to analyse the call")]
    Refused,
}

impl AnalysisError {
    pub fn code(&self) -> ErrorCode {
        match self {
            AnalysisError::Unauthorized => ErrorCode::AnalysisAuth,
            AnalysisError::BadOutput(_) | AnalysisError::Refused => ErrorCode::AnalysisBadOutput,
            AnalysisError::RateLimited
            | AnalysisError::Unavailable { .. }
            | AnalysisError::UnexpectedStatus { .. }
            | AnalysisError::Timeout
            | AnalysisError::Network(_) => ErrorCode::AnalysisUnavailable,
        }
    }

    /// The sentence a person reads.
    pub fn user_message(&self) -> String {
        match self {
            AnalysisError::Unauthorized => "The analysis service refused the API key. Check the key in the analysis settings.".into(),
            AnalysisError::RateLimited => "The analysis service is busy with too many requests right now. Please try again in a minute.".into(),
            AnalysisError::Unavailable { .. } => "The analysis service is not answering normally right now. Please try again later.".into(),
            AnalysisError::UnexpectedStatus { status } => format!(
                "The analysis service rejected the request (HTTP {status}). Check its address and model name, and that it supports structured JSON output."
            ),
            AnalysisError::Timeout => "The analysis service did not answer in time. Please try again later.".into(),
            AnalysisError::Network(_) => "The analysis service could not be reached. Check the network connection and its address.".into(),
            AnalysisError::BadOutput(_) => "The analysis service sent an answer CallDeck could not use. Try again, or choose a model that supports structured JSON output.".into(),
            AnalysisError::Refused => "The AI model declined to analyse this call.".into(),
        }
    }
}
