//! The person page's "Agreed outcomes": each cycle's agreed outcome in a sentence, and whether
//! the person acknowledged it.

use rungs_core::assess::CycleOutcome;
use rungs_core::org::Names;

/// One cycle's outcome as the page shows it.
pub struct OutcomeView {
    pub cycle: String,
    /// "12 ratings agreed by Dana Smith, last on 2026-11-30."
    pub agreed: String,
    /// "Acknowledged on 2026-12-01." and the like.
    pub acknowledged: String,
    pub comment: Option<String>,
    /// Whether the person acknowledged the outcome as it now stands.
    pub current: bool,
}

fn day(at: jiff::Timestamp) -> String {
    at.strftime("%Y-%m-%d").to_string()
}

pub fn outcome_views(outcomes: &[CycleOutcome], names: &Names, person: &str) -> Vec<OutcomeView> {
    outcomes
        .iter()
        .rev()
        .map(|outcome| OutcomeView {
            cycle: outcome.cycle.to_string(),
            agreed: format!(
                "{} {} agreed by {}, last on {}.",
                outcome.agreed,
                if outcome.agreed == 1 { "rating" } else { "ratings" },
                names.of(&outcome.agreed_by),
                day(outcome.last_agreed_at)
            ),
            acknowledged: match &outcome.acknowledgement {
                None => format!("{person} has not acknowledged it yet."),
                Some(ack) if outcome.changed_since_acknowledged => format!(
                    "{person} acknowledged it on {}, but the agreement changed after that.",
                    day(ack.acknowledged_at)
                ),
                Some(ack) => format!("{person} acknowledged it on {}.", day(ack.acknowledged_at)),
            },
            comment: outcome.acknowledgement.as_ref().and_then(|ack| ack.comment.clone()),
            current: outcome.acknowledged(),
        })
        .collect()
}
