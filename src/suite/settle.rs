//! The pauses between two reads of batches that have not settled yet (a vendor's reads may
//! lag its writes): short at first, doubling, never longer than a bound. The run's read-back
//! and the explorer's wait the same way.

use std::time::Duration;

/// The first pause; it doubles.
const FIRST_PAUSE: Duration = Duration::from_millis(250);
/// The longest pause.
const MAX_PAUSE: Duration = Duration::from_secs(2);

/// The pauses between reads, one per read that has not settled: 250 ms, doubling, at most 2 s.
#[derive(Debug, Clone)]
pub(crate) struct Pauses {
    next: Duration,
}

impl Pauses {
    pub(crate) fn new() -> Self {
        Pauses { next: FIRST_PAUSE }
    }
}

impl Iterator for Pauses {
    type Item = Duration;

    fn next(&mut self) -> Option<Duration> {
        let pause = self.next;
        self.next = (pause * 2).min(MAX_PAUSE);
        Some(pause)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_start_at_a_quarter_second_and_double_up_to_two_seconds() {
        let pauses: Vec<u128> = Pauses::new().take(6).map(|p| p.as_millis()).collect();
        assert_eq!(pauses, [250, 500, 1000, 2000, 2000, 2000]);
    }
}
