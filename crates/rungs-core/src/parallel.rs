//! Whole-org work split in two halves run side by side: a million-person chart is built and
//! checked on both cores. When no second thread can be had, the halves run one after the
//! other, so results never depend on the environment.

use std::sync::{Mutex, PoisonError};

/// Orgs smaller than this are not worth a thread.
const WORTH_A_THREAD: usize = 50_000;

/// Runs `first` and `second` (side by side when `size` is large enough and a thread can be
/// started) and returns both results.
pub(crate) fn both<A: Send, B>(
    size: usize,
    first: impl FnOnce() -> A + Send,
    second: impl FnOnce() -> B,
) -> (A, B) {
    if size < WORTH_A_THREAD {
        return (first(), second());
    }
    // The other thread takes `first` from here; if no thread starts, it is still here.
    let waiting = Mutex::new(Some(first));
    let take = || waiting.lock().unwrap_or_else(PoisonError::into_inner).take();
    std::thread::scope(|scope| {
        let other = std::thread::Builder::new().spawn_scoped(scope, || take().map(|first| first()));
        let second = second();
        let first = match other {
            // A panic in the other half is a bug in this crate: pass it on unchanged.
            Ok(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => None,
        };
        let first = match first {
            Some(first) => first,
            None => match take() {
                Some(first) => first(),
                None => unreachable!("the first half ran on neither thread"),
            },
        };
        (first, second)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_halves_run_whatever_the_size() {
        assert_eq!(both(10, || 1, || "two"), (1, "two"));
        let numbers: Vec<u64> = (0..200_000).collect();
        let (low, high) = numbers.split_at(100_000);
        let (low_sum, high_sum) =
            both(numbers.len(), || low.iter().sum::<u64>(), || high.iter().sum::<u64>());
        assert_eq!(low_sum + high_sum, numbers.iter().sum::<u64>());
    }
}
