//! What can go wrong turning speech into text, with the local engine or a remote service.

use crate::error::ErrorCode;

/// How a transcription failed. The strings are detail for the log; what a person sees comes
/// from [`TranscriptionError::user_message`].
#[derive(Debug, thiserror::Error)]
pub enum TranscriptionError {
    /// 401 or 403 from the transcription service.
    #[error("the service refused the API key")]
    KeyRefused,
    #[error("no answer in time")]
    TimedOut,
    /// Unreachable, or still failing (429, 5xx) after the retries.
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// Any other 4xx. `message` is the service's own words, kept only when short, plain and
    /// free of the key.
    #[error("request rejected with status {status}")]
    Rejected {
        status: u16,
        message: Option<String>,
    },
    /// A 2xx whose body is not the expected JSON.
    #[error("unusable answer: {0}")]
    BadResponse(String),
    /// The offline engine could not be run or failed.
    #[error("local engine failed: {0}")]
    EngineFailed(String),
}

impl TranscriptionError {
    pub fn code(&self) -> ErrorCode {
        match self {
            TranscriptionError::KeyRefused => ErrorCode::TranscriptionAuth,
            TranscriptionError::TimedOut | TranscriptionError::Unavailable(_) => {
                ErrorCode::TranscriptionUnavailable
            }
            TranscriptionError::Rejected { .. }
            | TranscriptionError::BadResponse(_)
            | TranscriptionError::EngineFailed(_) => ErrorCode::TranscriptionFailed,
        }
    }

    pub fn user_message(&self) -> String {
        match self {
            TranscriptionError::KeyRefused => {
                "The transcription service refused the API key. Check the key in Settings → Transcripts.".into()
            }
            TranscriptionError::TimedOut => {
                "The transcription service did not answer in time. Please try again later.".into()
            }
            TranscriptionError::Unavailable(_) => {
                "The transcription service could not be reached or is busy. Please try again later.".into()
            }
            TranscriptionError::Rejected { status, message: Some(m) } => {
                format!("The transcription service turned the request down (HTTP {status}): {m}")
            }
            TranscriptionError::Rejected { status, message: None } => {
                format!("The transcription service turned the request down (HTTP {status}).")
            }
            TranscriptionError::BadResponse(_) => {
                "The transcription service sent an answer CallDeck could not understand.".into()
            }
            TranscriptionError::EngineFailed(_) => {
                "The offline transcriber (pocketsphinx) failed on this recording.".into()
            }
        }
    }
}
