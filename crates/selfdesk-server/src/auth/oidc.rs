//! Sign-in with the organisation's OpenID provider: the Authorization Code flow with
//! PKCE, done by the server as a confidential client, so no token ever reaches the
//! browser's JavaScript.
//!
//! The protocol work is the `openidconnect` crate's: discovery, the authorization
//! URL, the code exchange, and the ID token's validation (signature against the
//! provider's JWKS, `iss`, `aud`, `exp`, `nonce`). What is ours: the settings, when
//! discovery is (re)done, and which claims make an [`Identity`] (a verified email).
//! Where the state, nonce and PKCE verifier wait meanwhile is `store::oidc_sign_ins`;
//! the two routes are `routes::oidc`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreProviderMetadata,
    CoreResponseType, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, AuthenticationFlow, AuthorizationCode, ClientId, ClientSecret, CsrfToken,
    EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet, EndpointSet, IdTokenFields, IssuerUrl,
    Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, StandardErrorResponse,
    StandardTokenResponse,
};
use selfdesk_shared::email::EmailAddress;
use selfdesk_shared::error::ErrorCode;
use serde::{Deserialize, Serialize};
use tokio::sync::RwLock;

use crate::auth::staff_groups::StaffGroups;
use crate::config::OidcArgs;
use crate::error::ApiError;

/// Where the provider sends the browser back, under `SELFDESK_PUBLIC_URL`.
pub const CALLBACK_PATH: &str = "/api/v1/auth/oidc/callback";

/// Discovery (and so the provider's signing keys) is read again after this long,
/// so a provider that rotates its keys is followed without a restart.
const DISCOVERY_LIFETIME: Duration = Duration::from_secs(60 * 60);

/// Every claim of the ID token beyond the standard ones, by name: the role claim is
/// configurable (`groups`, `roles`, …), so it cannot be a field.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OtherClaims {
    #[serde(flatten)]
    pub claims: HashMap<String, serde_json::Value>,
}

impl AdditionalClaims for OtherClaims {}

/// An ID token as this portal reads it.
pub type IdToken = openidconnect::IdToken<
    OtherClaims,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

type TokenResponse = StandardTokenResponse<
    IdTokenFields<
        OtherClaims,
        EmptyExtraTokenFields,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    >,
    CoreTokenType,
>;

/// The client as discovery leaves it: authorization endpoint set, token and userinfo
/// endpoints as the provider announced them.
type ProviderClient = openidconnect::Client<
    OtherClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    TokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Who the provider says signed in, once the ID token has been validated.
#[derive(Debug, Clone)]
pub struct Identity {
    pub issuer: String,
    pub subject: String,
    /// Verified by the provider (`email_verified: true`); an identity is never made
    /// from an unverified address, because tickets are matched by it.
    pub email: EmailAddress,
    /// `name`, else the address.
    pub name: String,
    /// Every claim beyond the standard ones (the role claim among them).
    pub other: HashMap<String, serde_json::Value>,
}

/// Why a sign-in did not complete.
#[derive(Debug)]
pub enum OidcError {
    /// No provider is configured on this portal: 404, as for a page that is not
    /// there (it is not a fault to be retried, and `GET /api/v1/auth/sign-in-options`
    /// says beforehand what is offered).
    NotConfigured,
    /// The provider could not be reached or answered nonsense (discovery, the token
    /// endpoint): worth trying again later.
    Provider(String),
    /// The provider or the browser sent something that must not sign anyone in: a
    /// refused authorization, a token that does not validate.
    Refused(String),
    /// The provider did not vouch for the person's email address.
    EmailNotVerified,
}

impl From<OidcError> for ApiError {
    fn from(err: OidcError) -> Self {
        match err {
            OidcError::NotConfigured => ApiError::new(
                ErrorCode::NotFound,
                "Signing in with the organisation is not set up on this portal",
            ),
            OidcError::Provider(cause) => {
                tracing::warn!(%cause, "OpenID provider unavailable");
                ApiError::new(
                    ErrorCode::Unavailable,
                    "The organisation's sign-in service cannot be reached; try again in a moment",
                )
                .with_retry_after(30)
            }
            OidcError::Refused(cause) => {
                tracing::info!(%cause, "OpenID sign-in refused");
                ApiError::new(
                    ErrorCode::Unauthenticated,
                    format!("The sign-in could not be completed: {cause}. Start again."),
                )
            }
            OidcError::EmailNotVerified => ApiError::new(
                ErrorCode::Forbidden,
                "The organisation's sign-in did not confirm your email address, so you cannot be signed in with it",
            ),
        }
    }
}

/// The settings, checked once at start.
#[derive(Clone)]
pub struct OidcSettings {
    pub issuer: IssuerUrl,
    pub client_id: ClientId,
    pub client_secret: ClientSecret,
    pub redirect: RedirectUrl,
    /// Asked for besides `openid` (which the crate always adds).
    pub scopes: Vec<String>,
    /// Staff single sign-on: which groups make whom staff. `None`: off.
    pub staff_groups: Option<StaffGroups>,
}

impl OidcSettings {
    /// `None` when no provider is set; an error when only some settings are.
    pub fn from_args(args: &OidcArgs, public_url: &str) -> anyhow::Result<Option<Self>> {
        fn given(v: &Option<String>) -> Option<&str> {
            v.as_deref().map(str::trim).filter(|v| !v.is_empty())
        }
        let (issuer, id, secret) = (
            given(&args.oidc_issuer),
            given(&args.oidc_client_id),
            given(&args.oidc_client_secret),
        );
        let (issuer, id, secret) = match (issuer, id, secret) {
            (None, None, None) => return Ok(None),
            (Some(issuer), Some(id), Some(secret)) => (issuer, id, secret),
            _ => anyhow::bail!(
                "SELFDESK_OIDC_ISSUER, SELFDESK_OIDC_CLIENT_ID and SELFDESK_OIDC_CLIENT_SECRET go together: set all three, or none"
            ),
        };
        let issuer = IssuerUrl::new(issuer.trim_end_matches('/').to_owned())
            .with_context(|| format!("SELFDESK_OIDC_ISSUER {issuer:?} is not a URL"))?;
        let redirect = RedirectUrl::new(format!("{public_url}{CALLBACK_PATH}"))
            .context("SELFDESK_PUBLIC_URL does not make a valid redirect URL")?;
        Ok(Some(Self {
            issuer,
            client_id: ClientId::new(id.to_owned()),
            client_secret: ClientSecret::new(secret.to_owned()),
            redirect,
            scopes: args
                .oidc_scopes
                .split([' ', ','])
                .filter(|s| !s.is_empty() && *s != "openid")
                .map(str::to_owned)
                .collect(),
            staff_groups: StaffGroups::from_args(args),
        }))
    }
}

/// What the browser is sent to the provider with, and what must be kept until it
/// comes back.
pub struct Begun {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// The provider, discovered on first use and kept for [`DISCOVERY_LIFETIME`].
pub struct Oidc {
    settings: OidcSettings,
    http: openidconnect::reqwest::Client,
    discovered: RwLock<Option<(Instant, Arc<ProviderClient>)>>,
}

impl Oidc {
    pub fn new(settings: OidcSettings) -> anyhow::Result<Self> {
        let http = openidconnect::reqwest::Client::builder()
            // Following redirects would let a provider's answer point the server at
            // another host (request forgery).
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .context("building the OpenID HTTP client")?;
        Ok(Self {
            settings,
            http,
            discovered: RwLock::new(None),
        })
    }

    /// The provider's metadata and keys, read now if never read or too long ago. Not
    /// at start: a portal whose provider is briefly down still starts and serves
    /// everything else, and the next sign-in tries again.
    async fn client(&self) -> Result<Arc<ProviderClient>, OidcError> {
        if let Some((at, client)) = &*self.discovered.read().await
            && at.elapsed() < DISCOVERY_LIFETIME
        {
            return Ok(client.clone());
        }
        let mut slot = self.discovered.write().await;
        if let Some((at, client)) = &*slot
            && at.elapsed() < DISCOVERY_LIFETIME
        {
            return Ok(client.clone());
        }
        let metadata =
            CoreProviderMetadata::discover_async(self.settings.issuer.clone(), &self.http)
                .await
                .map_err(|e| OidcError::Provider(format!("discovery: {}", error_chain(&e))))?;
        let client = ProviderClient::from_provider_metadata(
            metadata,
            self.settings.client_id.clone(),
            Some(self.settings.client_secret.clone()),
        )
        .set_redirect_uri(self.settings.redirect.clone());
        let client = Arc::new(client);
        *slot = Some((Instant::now(), client.clone()));
        Ok(client)
    }

    /// The issuer URL as configured (and as the provider must name itself).
    pub fn issuer(&self) -> &str {
        self.settings.issuer.as_str()
    }

    /// The groups that make staff, when staff may sign in with the provider.
    pub fn staff_groups(&self) -> Option<&StaffGroups> {
        self.settings.staff_groups.as_ref()
    }

    /// A fresh `state`, `nonce` and PKCE pair, and the provider's authorization URL.
    pub async fn begin(&self) -> Result<Begun, OidcError> {
        let client = self.client().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scopes(self.settings.scopes.iter().cloned().map(Scope::new))
            .set_pkce_challenge(challenge)
            .url();
        Ok(Begun {
            url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// Exchanges the code (with the PKCE verifier and the client secret) and validates
    /// the ID token that comes back.
    pub async fn finish(
        &self,
        code: String,
        pkce_verifier: String,
        nonce: &str,
    ) -> Result<Identity, OidcError> {
        let client = self.client().await?;
        let response = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| OidcError::Provider(format!("no token endpoint: {e}")))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier))
            .request_async(&self.http)
            .await
            .map_err(|e| match e {
                // The provider refused the code (used, expired, wrong verifier).
                openidconnect::RequestTokenError::ServerResponse(answer) => OidcError::Refused(
                    format!("the provider refused the code ({})", answer.error()),
                ),
                other => OidcError::Provider(format!("token endpoint: {}", error_chain(&other))),
            })?;
        let id_token = openidconnect::TokenResponse::id_token(&response)
            .ok_or_else(|| OidcError::Refused("the provider sent no ID token".into()))?;
        identity(&client, id_token, nonce)
    }

    /// Validates an ID token as [`Oidc::finish`] does (for tests of the validation
    /// itself, with tokens the provider never issued).
    pub async fn verify_id_token(&self, raw: &str, nonce: &str) -> Result<Identity, OidcError> {
        let client = self.client().await?;
        let id_token: IdToken = raw
            .parse()
            .map_err(|e| OidcError::Refused(format!("the ID token is malformed ({e})")))?;
        identity(&client, &id_token, nonce)
    }
}

/// The checks on an ID token: the crate's (signature against the provider's keys,
/// issuer, audience, expiry, the nonce we sent), then ours: a verified email.
fn identity(
    client: &ProviderClient,
    id_token: &IdToken,
    nonce: &str,
) -> Result<Identity, OidcError> {
    let claims = id_token
        .claims(&client.id_token_verifier(), &Nonce::new(nonce.to_owned()))
        .map_err(|e| OidcError::Refused(format!("the ID token is not valid ({e})")))?;
    let email = claims
        .email()
        .ok_or_else(|| OidcError::Refused("the ID token carries no email address".into()))?;
    if claims.email_verified() != Some(true) {
        return Err(OidcError::EmailNotVerified);
    }
    let email = EmailAddress::parse(email.as_str())
        .map_err(|_| OidcError::Refused("the ID token's email address is malformed".into()))?;
    let name = claims
        .name()
        .and_then(|n| n.get(None))
        .map(|n| n.as_str().trim().to_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| email.as_str().to_owned());
    Ok(Identity {
        issuer: claims.issuer().as_str().to_owned(),
        subject: claims.subject().as_str().to_owned(),
        email,
        name,
        other: claims.additional_claims().claims.clone(),
    })
}

/// An error and its causes on one line, for the log.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut cause = err.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}
