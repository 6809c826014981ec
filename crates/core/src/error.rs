//! One error type for all of CallDeck's behaviour. Each variant has a stable code; what
//! crosses to the UI is `{code, message}`, where the message is written for a person and
//! carries no SQL, no file paths and no secrets. The internal detail goes to the log only.

use serde::Serialize;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Missing, or belonging to another user: the two must be indistinguishable.
    #[error("not found")]
    NotFound,
    #[error("invalid input: {0}")]
    InvalidInput(String),
    #[error("not signed in")]
    NotSignedIn,
    /// Some of the recordings in a bulk request are missing or another user's.
    #[error("{missing} of {asked} recordings not found")]
    SomeNotFound { missing: usize, asked: usize },
    /// Held recordings cannot be deleted or cleaned up: `count` of the `asked` are held.
    #[error("{count} of {asked} recordings on legal hold")]
    OnLegalHold { count: usize, asked: usize },
    /// The recording's audio is not on this computer.
    #[error("no local audio")]
    NoLocalAudio,
    /// No audio output device could be opened on this computer.
    #[error("no audio output device")]
    NoAudioDevice,
    /// Not downloaded, and there is no way to stream it right now.
    #[error("not available offline")]
    NotAvailableOffline,
    /// The audio file is there but could not be decoded.
    #[error("audio unreadable: {0}")]
    AudioUnreadable(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("storage error: {0}")]
    Io(#[from] std::io::Error),
    #[error("internal error: {0}")]
    Internal(String),
    /// Talking to Twilio failed; the variant says how (never with a secret in it).
    #[error("twilio: {0}")]
    Twilio(#[from] crate::twilio::TwilioError),
    /// A sync for this user is already running.
    #[error("sync already running")]
    SyncInProgress,
    /// No Twilio credentials are saved for this user.
    #[error("twilio not connected")]
    TwilioNotConnected,
    #[error("sign-in: {0}")]
    Auth(#[from] crate::auth::AuthError),
    /// Asking the AI analysis service failed; the variant says how (never with the key).
    #[error("analysis: {0}")]
    Analysis(#[from] crate::analysis::AnalysisError),
    /// Speech to text failed; the variant says how (never with a key in it).
    #[error("transcription: {0}")]
    Transcription(#[from] crate::transcripts::TranscriptionError),
    /// Stopped on request (the person cancelled, or the app is closing).
    #[error("cancelled")]
    Cancelled,
}

/// Stable, machine-readable error codes. The UI matches on these, never on messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NotFound,
    InvalidInput,
    NotSignedIn,
    LegalHold,
    NoLocalAudio,
    NoAudioDevice,
    NotAvailableOffline,
    AudioUnreadable,
    /// Twilio refused the saved or entered credentials.
    TwilioAuth,
    /// Twilio could not be reached or answered with something unusable.
    TwilioUnavailable,
    /// A sync from Twilio is already running for this user.
    SyncRunning,
    TwilioNotConnected,
    AuthNotConfigured,
    AuthFailed,
    AuthCancelled,
    Offline,
    SessionExpired,
    /// The AI analysis service refused the API key.
    AnalysisAuth,
    /// The AI analysis service could not be reached, timed out or kept failing.
    AnalysisUnavailable,
    /// The AI analysis service answered with something unusable, or the model declined.
    AnalysisBadOutput,
    /// The transcription service refused the API key.
    TranscriptionAuth,
    /// The transcription service could not be reached, was busy, or too slow.
    TranscriptionUnavailable,
    /// The transcription was refused or the engine failed on this audio.
    TranscriptionFailed,
    Cancelled,
    Storage,
    Internal,
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::NotFound | Error::SomeNotFound { .. } => ErrorCode::NotFound,
            Error::OnLegalHold { .. } => ErrorCode::LegalHold,
            Error::NoLocalAudio => ErrorCode::NoLocalAudio,
            Error::NoAudioDevice => ErrorCode::NoAudioDevice,
            Error::NotAvailableOffline => ErrorCode::NotAvailableOffline,
            Error::AudioUnreadable(_) => ErrorCode::AudioUnreadable,
            Error::InvalidInput(_) => ErrorCode::InvalidInput,
            Error::NotSignedIn => ErrorCode::NotSignedIn,
            Error::Database(_) | Error::Migration(_) | Error::Io(_) => ErrorCode::Storage,
            Error::Internal(_) => ErrorCode::Internal,
            Error::Twilio(e) if e.is_credentials_problem() => ErrorCode::TwilioAuth,
            Error::Twilio(_) => ErrorCode::TwilioUnavailable,
            Error::SyncInProgress => ErrorCode::SyncRunning,
            Error::TwilioNotConnected => ErrorCode::TwilioNotConnected,
            Error::Auth(e) => e.code(),
            Error::Analysis(e) => e.code(),
            Error::Transcription(e) => e.code(),
            Error::Cancelled => ErrorCode::Cancelled,
        }
    }

    /// The sentence a person sees. Input errors explain themselves (their text is ours, never
    /// echoed from a lower layer); everything internal gets a fixed sentence.
    pub fn user_message(&self) -> String {
        match self {
            Error::NotFound => "That recording could not be found.".into(),
            Error::InvalidInput(why) => why.clone(),
            Error::NotSignedIn => "Your session has ended. Please sign in again.".into(),
            Error::SomeNotFound { missing, asked } => {
                format!("{missing} of the {asked} recordings could not be found, so nothing was changed.")
            }
            // One asked for is "this recording"; of several, the sentence says how many.
            Error::OnLegalHold { asked: 1, .. } => {
                "This recording is on legal hold, so it cannot be deleted. Lift the hold first."
                    .into()
            }
            Error::OnLegalHold { count: 1, asked } => {
                format!("1 of these {asked} recordings is on legal hold, so nothing was deleted. Lift its hold first.")
            }
            Error::OnLegalHold { count, asked } => {
                format!("{count} of these {asked} recordings are on legal hold, so nothing was deleted. Lift their holds first.")
            }
            Error::NoLocalAudio => {
                "This recording's audio is not on this computer yet. Download it first.".into()
            }
            Error::NoAudioDevice => {
                "No audio output device was found, so nothing can be heard. Playback runs silently."
                    .into()
            }
            Error::NotAvailableOffline => {
                "This recording is not available offline: it has not been downloaded and CallDeck cannot reach Twilio right now.".into()
            }
            Error::AudioUnreadable(_) => "This recording's audio file could not be read.".into(),
            Error::Database(_) | Error::Migration(_) | Error::Io(_) => {
                "The local library could not be read or written. Check the disk and try again."
                    .into()
            }
            Error::Internal(_) => "Something went wrong inside CallDeck. Please try again.".into(),
            Error::Twilio(e) => e.user_message(),
            Error::TwilioNotConnected => {
                "Connect your Twilio account first (Settings → Twilio).".into()
            }
            Error::SyncInProgress => {
                "A sync from Twilio is already running. Wait for it to finish.".into()
            }
            Error::Auth(e) => e.user_message(),
            Error::Analysis(e) => e.user_message(),
            Error::Transcription(e) => e.user_message(),
            Error::Cancelled => "Cancelled.".into(),
        }
    }

    pub fn invalid(why: impl Into<String>) -> Self {
        Error::InvalidInput(why.into())
    }
}

/// The error as the UI receives it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

impl From<Error> for ApiError {
    fn from(err: Error) -> Self {
        if matches!(err.code(), ErrorCode::Storage | ErrorCode::Internal) {
            tracing::error!(error = %err, "operation failed");
        }
        ApiError {
            code: err.code(),
            message: err.user_message(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {}",
            serde_json::to_string(&self.code).unwrap_or_default(),
            self.message
        )
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_reach_the_ui_without_their_detail() {
        let err = Error::Internal("SELECT * FROM recordings at /home/ana/.local".into());
        let api = ApiError::from(err);
        let json = serde_json::to_string(&api).expect("serialises");
        assert!(
            !json.contains("SELECT"),
            "SQL must never reach the UI: {json}"
        );
        assert!(
            !json.contains("/home"),
            "paths must never reach the UI: {json}"
        );
        assert_eq!(api.code, ErrorCode::Internal);
    }

    #[test]
    fn errors_serialise_as_code_and_message() {
        let json = serde_json::to_value(ApiError::from(Error::NotFound)).expect("serialises");
        assert_eq!(
            json["code"], "not_found",
            "the UI matches on the snake_case code"
        );
        assert!(
            json["message"].as_str().is_some_and(|m| !m.is_empty()),
            "a person reads the message"
        );
    }
}
