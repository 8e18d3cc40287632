//! Pacing: the least pause between two calls to the same endpoint (the docs ask for 2 s
//! between getResults calls).

use std::collections::HashMap;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// The pause the docs ask for between two getResults calls.
pub const GET_RESULTS_PACE: Duration = Duration::from_secs(2);

/// Minimum pauses between consecutive requests to the same endpoint.
#[derive(Debug, Default)]
pub struct Pacer {
    intervals: HashMap<String, Duration>,
    last: Mutex<HashMap<String, Instant>>,
}

impl Pacer {
    /// A pacer with these intervals per endpoint name (a zero interval turns pacing off).
    pub fn new(intervals: HashMap<String, Duration>) -> Self {
        Pacer {
            intervals,
            last: Mutex::default(),
        }
    }

    /// The interval of `endpoint`, if it is paced.
    pub fn interval(&self, endpoint: &str) -> Option<Duration> {
        self.intervals
            .get(endpoint)
            .copied()
            .filter(|i| !i.is_zero())
    }

    /// Waits until `endpoint` may be called again, then marks it called.
    pub async fn wait(&self, endpoint: &str) {
        let Some(interval) = self.interval(endpoint) else {
            return;
        };
        // Holding the lock while sleeping queues the callers of this endpoint in turn.
        let mut last = self.last.lock().await;
        if let Some(previous) = last.get(endpoint) {
            tokio::time::sleep_until(*previous + interval).await;
        }
        last.insert(endpoint.to_owned(), Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn paced_calls_are_spread_by_the_interval() {
        let pacer = Pacer::new(HashMap::from([(
            "getResults".to_owned(),
            Duration::from_secs(2),
        )]));
        let start = Instant::now();
        for _ in 0..3 {
            pacer.wait("getResults").await;
        }
        pacer.wait("deleteFiles").await;
        assert_eq!(start.elapsed().as_secs(), 4);
    }
}
