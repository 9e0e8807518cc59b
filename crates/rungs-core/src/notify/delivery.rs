//! How often a mail is tried: again after a failure, a little later each time, until its
//! attempts are spent.

use jiff::SignedDuration;

/// Attempts at a mail before it is given up (about an hour of retries in all).
pub const MAX_MAIL_ATTEMPTS: u32 = 6;

/// How long to wait after failed attempt number `attempts` (1 for the first) before the next;
/// none once the attempts are spent. One minute, then doubling: 1, 2, 4, 8, 16.
pub fn retry_after(attempts: u32) -> Option<SignedDuration> {
    if attempts >= MAX_MAIL_ATTEMPTS {
        return None;
    }
    let minutes = 1_i64 << attempts.saturating_sub(1).min(16);
    Some(SignedDuration::from_mins(minutes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_then_stop() {
        let waits: Vec<_> = (1..=MAX_MAIL_ATTEMPTS).map(retry_after).collect();
        assert_eq!(
            waits,
            [1, 2, 4, 8, 16]
                .map(|minutes| Some(SignedDuration::from_mins(minutes)))
                .into_iter()
                .chain([None])
                .collect::<Vec<_>>()
        );
    }
}
