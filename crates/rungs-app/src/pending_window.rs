//! How long a previewed org import waits for its confirmation: a leaf that the import (which
//! sweeps expired uploads as it claims one) and the preview (which keeps them) both read.

use jiff::{SignedDuration, Timestamp};

/// How long a previewed import waits for its confirmation.
pub const PENDING_FOR: SignedDuration = SignedDuration::from_hours(1);

/// Pending uploads created before this are dropped.
pub(crate) fn expired_before(now: Timestamp) -> Timestamp {
    now.checked_sub(PENDING_FOR).unwrap_or(now)
}
