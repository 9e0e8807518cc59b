//! The grammar of `rungs peers`: the colleagues asked for feedback on a person in a cycle.

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum PeersCommand {
    /// The person's nominated peers and where each stands: proposed, approved, not approved,
    /// declined (with the reason).
    List {
        /// The person the feedback is about: a name, an email or an id.
        person: String,
        /// The cycle; the open one by default.
        #[arg(long, value_name = "CYCLE")]
        cycle: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Ask colleagues for feedback on the person: each is approved at once and gets a peer
    /// draft to write (the command line acts as an admin). A proposal of the same peer is
    /// approved.
    Nominate {
        /// The person the feedback is about: a name, an email or an id.
        person: String,
        /// The colleagues: names, emails or ids.
        #[arg(required = true, value_name = "PEER")]
        peers: Vec<String>,
        #[arg(long, value_name = "CYCLE")]
        cycle: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Approve a peer the person proposed: they get a peer draft to write.
    Approve {
        person: String,
        peer: String,
        #[arg(long, value_name = "CYCLE")]
        cycle: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Turn down a peer the person proposed; they may propose them again.
    Reject {
        person: String,
        peer: String,
        #[arg(long, value_name = "CYCLE")]
        cycle: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Withdraw a nomination not yet submitted: the colleague is no longer asked, and their
    /// draft (with anything in it) is removed. They may be nominated again.
    Withdraw {
        person: String,
        peer: String,
        #[arg(long, value_name = "CYCLE")]
        cycle: Option<String>,
        /// Withdraw without asking first.
        #[arg(long)]
        yes: bool,
        #[arg(long)]
        json: bool,
    },
    /// Record that a peer declines the feedback asked of them, with their reason: their draft
    /// and anything in it is removed. Cannot be undone.
    Decline {
        person: String,
        peer: String,
        /// Why, in a sentence (at most 500 characters); the manager reads it.
        #[arg(long, value_name = "TEXT")]
        reason: String,
        #[arg(long, value_name = "CYCLE")]
        cycle: Option<String>,
        /// Decline without asking first.
        #[arg(long)]
        yes: bool,
        #[arg(long)]
        json: bool,
    },
}
