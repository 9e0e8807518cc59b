//! Terminal view of a person's peer nominations in a cycle.

use std::fmt::Write as _;

use rungs_app::PeerNominations;

use super::org::table;

pub fn peers(name: &str, list: &PeerNominations) -> String {
    let mut out = String::new();
    if list.nominations.is_empty() {
        let _ = write!(
            out,
            "Nobody is nominated for feedback on {name} in {}; ask colleagues with `rungs peers nominate \"{name}\" PEER...`.\n{}",
            list.cycle, list.policy_text
        );
        return out;
    }
    let mut rows = table(vec!["Peer", "Id", "Where it stands", "Reason"]);
    for entry in &list.nominations {
        rows.add_row(vec![
            entry.peer_name.clone(),
            entry.nomination.peer.to_string(),
            entry.state_text.to_owned(),
            entry.nomination.reason.clone().unwrap_or_default(),
        ]);
    }
    let _ = write!(out, "Peer feedback on {name} in {}:\n{rows}\n{}", list.cycle, list.policy_text);
    out
}
