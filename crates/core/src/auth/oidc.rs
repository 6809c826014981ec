//! The OpenID Connect side of sign-in, on `openidconnect`: discovery (on every sign-in and
//! refresh, so a provider's key rotation is picked up), the authorization URL with PKCE
//! S256, `state` and `nonce`, the code exchange, refresh, and the ID token checks
//! (RS256 against the JWKS, `iss`, `aud`, `exp`/`iat` with a small skew, `nonce`).

use std::time::Duration;

use chrono::{DateTime, Utc};
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreErrorResponseType, CoreIdToken, CoreIdTokenClaims,
    CoreIdTokenVerifier, CoreJwsSigningAlgorithm, CoreProviderMetadata,
};
use openidconnect::{
    AuthorizationCode, ClientId, CsrfToken, EndpointMaybeSet, EndpointNotSet, EndpointSet,
    IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl,
    RefreshToken, RequestTokenError, Scope, TokenResponse,
};
use url::Url;

use super::{AuthConfig, AuthError};
use crate::twilio::Secret;

/// Tolerated difference between this machine's clock and the provider's.
pub const CLOCK_SKEW: Duration = Duration::from_secs(60);

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// An HTTP client for the identity provider: no redirects followed (OIDC endpoints do not
/// redirect; following one could send a code or token elsewhere), bounded time.
pub fn http_client() -> Result<reqwest::Client, AuthError> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(20))
        .build()
        .map_err(|e| AuthError::Unreachable(e.to_string()))
}

/// Who the ID token says signed in.
#[derive(Debug, Clone)]
pub struct Claims {
    pub subject: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub picture: Option<String>,
}

/// What a code exchange or a refresh gives.
pub struct Grant {
    /// From a verified ID token; a refresh may come without one.
    pub claims: Option<Claims>,
    pub access_token: Secret,
    pub expires_at_ms: i64,
    /// A rotated (or first) refresh token, when the provider sent one.
    pub refresh_token: Option<Secret>,
}

async fn discover(config: &AuthConfig, http: &reqwest::Client) -> Result<Client, AuthError> {
    let issuer = IssuerUrl::new(config.issuer.to_string())
        .map_err(|e| AuthError::InvalidToken(format!("issuer: {e}")))?;
    let metadata = CoreProviderMetadata::discover_async(issuer, http)
        .await
        .map_err(|e| match e {
            openidconnect::DiscoveryError::Request(inner) => {
                AuthError::Unreachable(format!("discovery: {inner}"))
            }
            other => AuthError::Refused(format!("discovery: {other}")),
        })?;
    Ok(CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(config.client_id.clone()),
        None,
    ))
}

/// A sign-in under way: what the browser is sent to and what checks its answer.
pub struct PendingLogin {
    pub url: Url,
    pub state: String,
    nonce: Nonce,
    verifier: PkceCodeVerifier,
    client: Client,
}

pub async fn begin(
    config: &AuthConfig,
    http: &reqwest::Client,
    redirect_uri: &str,
    login_hint: Option<&str>,
) -> Result<PendingLogin, AuthError> {
    let redirect =
        RedirectUrl::new(redirect_uri.to_owned()).map_err(|e| AuthError::Refused(e.to_string()))?;
    let client = discover(config, http).await?.set_redirect_uri(redirect);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("profile".into()))
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("offline_access".into()))
        .set_pkce_challenge(challenge);
    if let Some(audience) = &config.audience {
        request = request.add_extra_param("audience", audience.clone());
    }
    if let Some(hint) = login_hint {
        request = request.add_extra_param("login_hint", hint.to_owned());
    }
    let (url, state, nonce) = request.url();
    Ok(PendingLogin {
        url,
        state: state.secret().clone(),
        nonce,
        verifier,
        client,
    })
}

fn token_error<RE: std::error::Error + 'static>(
    e: RequestTokenError<RE, openidconnect::StandardErrorResponse<CoreErrorResponseType>>,
) -> AuthError {
    match e {
        RequestTokenError::ServerResponse(r)
            if matches!(r.error(), CoreErrorResponseType::InvalidGrant) =>
        {
            AuthError::SessionExpired
        }
        RequestTokenError::ServerResponse(r) => AuthError::Refused(r.error().to_string()),
        RequestTokenError::Request(inner) => AuthError::Unreachable(inner.to_string()),
        RequestTokenError::Parse(..) => AuthError::Refused("unreadable token response".into()),
        RequestTokenError::Other(o) => AuthError::Refused(o),
    }
}

/// Exchanges the code from the callback and checks the ID token it brings.
pub async fn finish(
    pending: &PendingLogin,
    http: &reqwest::Client,
    code: String,
    now: DateTime<Utc>,
) -> Result<Grant, AuthError> {
    let response = pending
        .client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| AuthError::Refused(e.to_string()))?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier.secret().clone()))
        .request_async(http)
        .await
        .map_err(|e| match token_error(e) {
            // A code that was already used (or is not ours) is a refusal, not an expiry.
            AuthError::SessionExpired => AuthError::Refused("invalid_grant".into()),
            other => other,
        })?;
    let id_token = response
        .id_token()
        .ok_or_else(|| AuthError::InvalidToken("no ID token".into()))?;
    let claims = verify(&pending.client, id_token, Some(&pending.nonce), now)?;
    Ok(grant(&response, Some(claims), now))
}

/// Uses the refresh token. With rotation the answer carries a new refresh token, which the
/// caller must save before using. `expected_subject` guards against a token for someone else.
pub async fn refresh(
    config: &AuthConfig,
    http: &reqwest::Client,
    refresh_token: &Secret,
    expected_subject: &str,
    now: DateTime<Utc>,
) -> Result<Grant, AuthError> {
    let client = discover(config, http).await?;
    let token = RefreshToken::new(refresh_token.expose().to_owned());
    let response = client
        .exchange_refresh_token(&token)
        .map_err(|e| AuthError::Refused(e.to_string()))?
        .request_async(http)
        .await
        .map_err(token_error)?;
    let claims = match response.id_token() {
        Some(id_token) => {
            let claims = verify(&client, id_token, None, now)?;
            if claims.subject != expected_subject {
                return Err(AuthError::InvalidToken(
                    "refresh answered for another subject".into(),
                ));
            }
            Some(claims)
        }
        None => None,
    };
    Ok(grant(&response, claims, now))
}

fn grant(
    response: &openidconnect::core::CoreTokenResponse,
    claims: Option<Claims>,
    now: DateTime<Utc>,
) -> Grant {
    let lifetime = response
        .expires_in()
        .unwrap_or(Duration::from_secs(300))
        .min(Duration::from_secs(86_400));
    Grant {
        claims,
        access_token: Secret::new(response.access_token().secret().clone()),
        expires_at_ms: now.timestamp_millis() + i64::try_from(lifetime.as_millis()).unwrap_or(0),
        refresh_token: response
            .refresh_token()
            .map(|t| Secret::new(t.secret().clone())),
    }
}

/// The ID token checks, with the provider's keys from discovery.
fn verify(
    client: &Client,
    id_token: &CoreIdToken,
    nonce: Option<&Nonce>,
    now: DateTime<Utc>,
) -> Result<Claims, AuthError> {
    verify_with(client.id_token_verifier(), id_token, nonce, now)
}

/// The ID token checks: RS256 signature by a key in the verifier's JWKS, `iss`, `aud`,
/// `exp` and `iat` against `now` with [`CLOCK_SKEW`], and `nonce` — the one sent with the
/// sign-in, or `None` for a refresh, whose ID token need not carry one.
pub fn verify_with(
    verifier: CoreIdTokenVerifier<'_>,
    id_token: &CoreIdToken,
    nonce: Option<&Nonce>,
    now: DateTime<Utc>,
) -> Result<Claims, AuthError> {
    let skew = chrono::Duration::from_std(CLOCK_SKEW).unwrap_or_default();
    let verifier = verifier
        .set_allowed_algs([CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256])
        .set_time_fn(move || now - skew)
        .set_issue_time_verifier_fn(move |iat| {
            if iat > now + skew {
                Err("issued in the future".into())
            } else {
                Ok(())
            }
        });
    let claims: &CoreIdTokenClaims = match nonce {
        Some(nonce) => id_token.claims(&verifier, nonce),
        None => id_token.claims(&verifier, |_: Option<&Nonce>| Ok(())),
    }
    .map_err(|e| AuthError::InvalidToken(e.to_string()))?;
    Ok(Claims {
        subject: claims.subject().as_str().to_owned(),
        name: claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_owned()),
        email: claims.email().map(|e| e.as_str().to_owned()),
        picture: claims
            .picture()
            .and_then(|p| p.get(None))
            .map(|p| p.as_str().to_owned()),
    })
}

/// Auth0's logout: `/v2/logout?client_id=…&returnTo=…`.
pub fn logout_url(config: &AuthConfig, return_to: &str) -> Option<Url> {
    let mut url = config.issuer.join("v2/logout").ok()?;
    url.query_pairs_mut()
        .append_pair("client_id", &config.client_id)
        .append_pair("returnTo", return_to);
    Some(url)
}
