//! The ID token checks against tampered tokens: each is signed with a real RSA key (test-only
//! keys in tests/fixtures/oidc) and must be refused for exactly one reason.

use calldeck_core::auth::oidc::verify_with;
use calldeck_core::auth::AuthError;
use chrono::{DateTime, Duration, TimeZone, Utc};
use openidconnect::core::{
    CoreIdToken, CoreIdTokenClaims, CoreIdTokenVerifier, CoreJsonWebKeySet,
    CoreJwsSigningAlgorithm, CoreRsaPrivateSigningKey,
};
use openidconnect::{
    Audience, ClientId, EmptyAdditionalClaims, EndUserEmail, IssuerUrl, JsonWebKeyId, Nonce,
    PrivateSigningKey, StandardClaims, SubjectIdentifier,
};

const ISSUER: &str = "https://tenant.example.auth0.com/";
const CLIENT: &str = "calldeck-desktop";

fn key(name: &str, kid: &str) -> CoreRsaPrivateSigningKey {
    let pem = std::fs::read_to_string(format!(
        "{}/tests/fixtures/oidc/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("test key");
    CoreRsaPrivateSigningKey::from_pem(&pem, Some(JsonWebKeyId::new(kid.into()))).expect("pem")
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0)
        .single()
        .expect("time")
}

struct Token {
    issuer: String,
    audience: String,
    issued: DateTime<Utc>,
    expires: DateTime<Utc>,
    nonce: Option<String>,
}

impl Default for Token {
    fn default() -> Self {
        Self {
            issuer: ISSUER.into(),
            audience: CLIENT.into(),
            issued: now() - Duration::seconds(5),
            expires: now() + Duration::minutes(10),
            nonce: Some("the-nonce".into()),
        }
    }
}

fn sign(t: Token, with: &CoreRsaPrivateSigningKey) -> CoreIdToken {
    let claims = CoreIdTokenClaims::new(
        IssuerUrl::new(t.issuer).expect("issuer"),
        vec![Audience::new(t.audience)],
        t.expires,
        t.issued,
        StandardClaims::new(SubjectIdentifier::new("auth0|alice".into()))
            .set_email(Some(EndUserEmail::new("alice@example.test".into()))),
        EmptyAdditionalClaims {},
    )
    .set_nonce(t.nonce.map(Nonce::new));
    CoreIdToken::new(
        claims,
        with,
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        None,
        None,
    )
    .expect("sign")
}

fn verifier(keys: &[&CoreRsaPrivateSigningKey]) -> CoreIdTokenVerifier<'static> {
    CoreIdTokenVerifier::new_public_client(
        ClientId::new(CLIENT.into()),
        IssuerUrl::new(ISSUER.into()).expect("issuer"),
        CoreJsonWebKeySet::new(keys.iter().map(|k| k.as_verification_key()).collect()),
    )
}

fn check(
    token: &CoreIdToken,
    keys: &[&CoreRsaPrivateSigningKey],
    nonce: Option<&str>,
) -> Result<String, AuthError> {
    let nonce = nonce.map(|n| Nonce::new(n.into()));
    verify_with(verifier(keys), token, nonce.as_ref(), now()).map(|c| c.subject)
}

fn refused(r: Result<String, AuthError>, why: &str) {
    assert!(
        matches!(r, Err(AuthError::InvalidToken(_))),
        "{why} must be refused as an invalid token, got {r:?}"
    );
}

#[test]
fn a_good_token_gives_the_subject_and_email() {
    let a = key("test-key-a.pem", "a");
    let token = sign(Token::default(), &a);
    let claims = verify_with(
        verifier(&[&a]),
        &token,
        Some(&Nonce::new("the-nonce".into())),
        now(),
    )
    .expect("a good token passes");
    assert_eq!(claims.subject, "auth0|alice");
    assert_eq!(claims.email.as_deref(), Some("alice@example.test"));
}

#[test]
fn a_wrong_nonce_is_refused() {
    let a = key("test-key-a.pem", "a");
    refused(
        check(&sign(Token::default(), &a), &[&a], Some("another-nonce")),
        "a wrong nonce",
    );
    let no_nonce = Token {
        nonce: None,
        ..Token::default()
    };
    refused(
        check(&sign(no_nonce, &a), &[&a], Some("the-nonce")),
        "a missing nonce",
    );
}

#[test]
fn a_wrong_issuer_or_audience_is_refused() {
    let a = key("test-key-a.pem", "a");
    let iss = Token {
        issuer: "https://evil.example.com/".into(),
        ..Token::default()
    };
    refused(
        check(&sign(iss, &a), &[&a], Some("the-nonce")),
        "a foreign issuer",
    );
    let slashless = Token {
        issuer: ISSUER.trim_end_matches('/').into(),
        ..Token::default()
    };
    refused(
        check(&sign(slashless, &a), &[&a], Some("the-nonce")),
        "an issuer without Auth0's trailing slash",
    );
    let aud = Token {
        audience: "someone-elses-app".into(),
        ..Token::default()
    };
    refused(
        check(&sign(aud, &a), &[&a], Some("the-nonce")),
        "another client's token",
    );
}

#[test]
fn expiry_and_issue_time_allow_only_a_small_clock_skew() {
    let a = key("test-key-a.pem", "a");
    let expired = Token {
        expires: now() - Duration::minutes(5),
        issued: now() - Duration::minutes(15),
        ..Token::default()
    };
    refused(
        check(&sign(expired, &a), &[&a], Some("the-nonce")),
        "an expired token",
    );
    let just = Token {
        expires: now() - Duration::seconds(30),
        issued: now() - Duration::minutes(10),
        ..Token::default()
    };
    assert!(
        check(&sign(just, &a), &[&a], Some("the-nonce")).is_ok(),
        "30 s of skew is tolerated"
    );
    let future = Token {
        issued: now() + Duration::minutes(10),
        expires: now() + Duration::minutes(20),
        ..Token::default()
    };
    refused(
        check(&sign(future, &a), &[&a], Some("the-nonce")),
        "a token issued in the future",
    );
}

#[test]
fn a_token_signed_by_an_unknown_key_is_refused() {
    let a = key("test-key-a.pem", "a");
    let b = key("test-key-b.pem", "b");
    refused(
        check(&sign(Token::default(), &b), &[&a], Some("the-nonce")),
        "a token signed by a key not in the JWKS",
    );
    // The same kid with another key's signature: the signature check, not the kid, decides.
    let impostor = key("test-key-b.pem", "a");
    refused(
        check(&sign(Token::default(), &impostor), &[&a], Some("the-nonce")),
        "a forged signature under a known kid",
    );
    assert!(
        check(&sign(Token::default(), &b), &[&a, &b], Some("the-nonce")).is_ok(),
        "after rotation both keys verify"
    );
}
