use crate::error::ErrorCode;

/// Why a sign-in or a token refresh did not work. The detail strings are for the log only
/// (they never hold a token); the UI gets `user_message`.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("sign-in is not set up")]
    NotConfigured,
    #[error("identity provider unreachable: {0}")]
    Unreachable(String),
    #[error("identity provider refused: {0}")]
    Refused(String),
    #[error("ID token rejected: {0}")]
    InvalidToken(String),
    #[error("no answer from the browser in time")]
    TimedOut,
    #[error("cancelled")]
    Cancelled,
    #[error("the grant is no longer valid")]
    SessionExpired,
    #[error("offline for longer than allowed")]
    OfflineTooLong { days: u32 },
    #[error("no free callback port: {0}")]
    NoFreePort(String),
    #[error("the account belongs to another issuer or client than the settings name")]
    OtherProvider,
    #[error("switching accounts needs the identity provider: {0}")]
    SwitchNeedsProvider(String),
    #[error("the session ended while a token was being renewed")]
    Ended,
}

impl AuthError {
    pub fn code(&self) -> ErrorCode {
        match self {
            AuthError::NotConfigured => ErrorCode::AuthNotConfigured,
            AuthError::Unreachable(_) | AuthError::SwitchNeedsProvider(_) => ErrorCode::Offline,
            AuthError::Cancelled => ErrorCode::AuthCancelled,
            AuthError::SessionExpired
            | AuthError::OfflineTooLong { .. }
            | AuthError::OtherProvider
            | AuthError::Ended => ErrorCode::SessionExpired,
            AuthError::Refused(_)
            | AuthError::InvalidToken(_)
            | AuthError::TimedOut
            | AuthError::NoFreePort(_) => ErrorCode::AuthFailed,
        }
    }

    pub fn user_message(&self) -> String {
        match self {
            AuthError::NotConfigured => {
                "Sign-in is not set up yet: enter your Auth0 domain and client id first.".into()
            }
            AuthError::Unreachable(_) => {
                "CallDeck cannot reach the sign-in service. Check your connection and try again."
                    .into()
            }
            AuthError::Refused(_) => "The sign-in service refused the sign-in. Please try again.".into(),
            AuthError::InvalidToken(_) => {
                "The sign-in answer could not be verified, so CallDeck did not accept it.".into()
            }
            AuthError::TimedOut => {
                "The sign-in was not completed in the browser in time. Please try again.".into()
            }
            AuthError::Cancelled => "Sign-in cancelled.".into(),
            AuthError::SessionExpired => {
                "Your session has ended. Please sign in again; your local library is still here."
                    .into()
            }
            AuthError::OfflineTooLong { days } => format!(
                "You have been offline for more than {days} days. Connect to the network and sign in again; your local library is still here."
            ),
            AuthError::NoFreePort(_) => {
                "CallDeck could not open its sign-in callback port. Close other copies of CallDeck and try again.".into()
            }
            AuthError::OtherProvider => {
                "This account signed in with another sign-in service than the one set up now. It opens again when the sign-in settings name that service; your local library is still here.".into()
            }
            AuthError::SwitchNeedsProvider(_) => {
                "Switching accounts needs the sign-in service, which CallDeck cannot reach. Try again when you are online.".into()
            }
            AuthError::Ended => "You are signed out.".into(),
        }
    }
}
