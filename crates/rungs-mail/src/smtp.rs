//! The SMTP edge: a transport from `--smtp`'s URL (`smtp://` plain or with
//! `?tls=required` for STARTTLS, `smtps://` for TLS from the start, credentials in the URL),
//! and a stored mail as a plain-text message.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MessageBuilder};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use rungs_app::Failure;
use rungs_store::StoredMail;

/// Why a mail (or the sender) could not be set up or sent.
#[derive(Debug, thiserror::Error)]
pub enum SmtpError {
    #[error(
        "--smtp: {0} (use smtp://HOST:PORT, smtp://USER:PASSWORD@HOST:587?tls=required for STARTTLS, or smtps://HOST:465)"
    )]
    Url(String),
    #[error("--mail-from: {0}")]
    From(String),
    #[error("the address `{address}` cannot receive mail: {error}")]
    Address { address: String, error: String },
    #[error("the mail could not be built: {0}")]
    Build(String),
    #[error("the SMTP server refused the mail: {0}")]
    Refused(lettre::transport::smtp::Error),
    #[error("the SMTP server could not be reached: {0}")]
    Transport(lettre::transport::smtp::Error),
    #[error("the SMTP server took longer than {0:?} over the mail")]
    TooSlow(Duration),
}

impl SmtpError {
    /// What the failure says of the next attempt. A refusal (even a permanent one, such as
    /// wrong credentials, which is the set-up's and not the mail's) is tried a few times; a
    /// server that cannot be reached is tried until it can.
    pub fn failure(&self) -> Failure {
        match self {
            SmtpError::Address { .. } | SmtpError::Build(_) => Failure::Permanent,
            SmtpError::Refused(_) => Failure::Refused,
            SmtpError::Url(_)
            | SmtpError::From(_)
            | SmtpError::Transport(_)
            | SmtpError::TooSlow(_) => Failure::Unreachable,
        }
    }
}

/// Sends stored mails to one SMTP server, from one mailbox.
#[derive(Clone)]
pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// For Message-IDs: the part after the `@` of the sender's address.
    domain: String,
    timeout: Duration,
}

impl std::fmt::Debug for SmtpSender {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the URL: it may hold a password.
        formatter.debug_struct("SmtpSender").field("from", &self.from).finish_non_exhaustive()
    }
}

impl SmtpSender {
    /// A sender to the server at `url`, from `from`, giving up on a mail after `timeout`.
    pub fn new(url: &str, from: Mailbox, timeout: Duration) -> Result<SmtpSender, SmtpError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|error| SmtpError::Url(error.to_string()))?
            .timeout(Some(timeout))
            .build();
        let domain = from.email.domain().to_owned();
        Ok(SmtpSender { transport, from, domain, timeout })
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// `mail` as a message: plain text, with a Message-ID of its own so that a mail sent again
    /// after a crash is recognisably the same one.
    pub(crate) fn message(&self, mail: &StoredMail) -> Result<Message, SmtpError> {
        let to: Mailbox =
            mail.address.parse().map_err(|error: lettre::address::AddressError| {
                SmtpError::Address { address: mail.address.clone(), error: error.to_string() }
            })?;
        MessageBuilder::new()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .message_id(Some(format!(
                "<rungs-mail-{}-{}@{}>",
                mail.key,
                mail.created_at.as_millisecond(),
                self.domain
            )))
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|error| SmtpError::Build(error.to_string()))
    }

    /// Sends `mail`, giving up after `within` (so that a sender never outlives its lease);
    /// Ok once the SMTP server accepted it.
    pub async fn send(&self, mail: &StoredMail, within: Duration) -> Result<(), SmtpError> {
        let message = self.message(mail)?;
        match tokio::time::timeout(within, self.transport.send(message)).await {
            Err(_) => Err(SmtpError::TooSlow(within)),
            Ok(Ok(_)) => Ok(()),
            Ok(Err(error)) if error.is_permanent() || error.is_transient() => {
                Err(SmtpError::Refused(error))
            }
            Ok(Err(error)) => Err(SmtpError::Transport(error)),
        }
    }
}
