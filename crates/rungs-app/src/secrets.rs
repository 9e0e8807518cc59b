//! Secrets: random tokens (session cookies, CSRF tokens, API tokens), their stored hashes, and
//! Argon2id password hashes. No secret is ever stored or logged as it is.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};

use crate::AppError;

/// Passwords shorter than this are refused.
pub const MIN_PASSWORD_LENGTH: usize = 10;
/// Longer ones are refused too: hashing megabytes would be an easy denial of service.
pub const MAX_PASSWORD_LENGTH: usize = 1024;

/// 32 random bytes, hex-encoded, behind `prefix`.
pub fn random_token(prefix: &str) -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|error| AppError::Secret(format!("no randomness from the system: {error}")))?;
    Ok(format!("{prefix}{}", hex::encode(bytes)))
}

/// How a session cookie or an API token is stored: its SHA-256. The tokens carry 256 random
/// bits, so a fast hash is enough; a stolen database does not give working tokens.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Checks a new password's length; the message names the field.
pub fn check_new_password(field: &str, password: &str) -> Result<(), AppError> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_LENGTH {
        return Err(AppError::invalid(
            field,
            format!("a password needs at least {MIN_PASSWORD_LENGTH} characters"),
        ));
    }
    if password.len() > MAX_PASSWORD_LENGTH {
        return Err(AppError::invalid(
            field,
            format!("a password may have at most {MAX_PASSWORD_LENGTH} bytes"),
        ));
    }
    Ok(())
}

/// Argon2id computations running at once. Each takes 19 MiB and a core for tens of
/// milliseconds: without a bound, a flood of sign-ins would exhaust memory.
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

/// Runs an Argon2id computation off the async threads, at most [`HASHING`] at once.
async fn hashing<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let _permit = HASHING
        .acquire()
        .await
        .map_err(|error| AppError::Secret(format!("password hashing stopped: {error}")))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| AppError::Secret(format!("password hashing failed: {error}")))
}

/// An Argon2id hash (PHC string, with its own random salt).
pub async fn hash_password(password: &str) -> Result<String, AppError> {
    let password = password.to_owned();
    hashing(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|error| AppError::Secret(format!("the password could not be hashed: {error}")))
    })
    .await?
}

/// Whether `password` matches `hash`; a malformed hash matches nothing.
pub async fn verify_password(password: &str, hash: &str) -> Result<bool, AppError> {
    if password.len() > MAX_PASSWORD_LENGTH {
        return Ok(false);
    }
    let (password, hash) = (password.to_owned(), hash.to_owned());
    hashing(move || Argon2::default().verify_password(password.as_bytes(), hash.as_str()).is_ok())
        .await
}

/// A password people can type: 16 characters from an alphabet without look-alikes, each
/// drawn uniformly (bytes that would bias the choice are drawn again).
pub fn random_password() -> Result<String, AppError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    const LENGTH: usize = 16;
    let unbiased = 256 - 256 % ALPHABET.len();
    let mut password = String::with_capacity(LENGTH);
    while password.len() < LENGTH {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|error| AppError::Secret(format!("no randomness from the system: {error}")))?;
        for byte in bytes.iter().map(|byte| usize::from(*byte)).filter(|byte| *byte < unbiased) {
            if password.len() < LENGTH {
                password.push(char::from(ALPHABET[byte % ALPHABET.len()]));
            }
        }
    }
    Ok(password)
}
