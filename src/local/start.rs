//! The built-in target: a mock started for a run that names no URL, so that the suite runs
//! with no network and no secret.

use crate::mock::limits::Limits;
use crate::mock::server::{DEFAULT_API_KEY, MockError, MockServer};
use crate::redact::ApiKey;
use crate::suite::options::{Remote, RunOptions, Target};

/// The key of the built-in mock's second account, for the cases that act as another tenant.
pub const DEFAULT_SECOND_API_KEY: &str = "mock-second-api-key";
/// The journal of a mock whose run names its cases: room for every request of a large run.
const TAGGED_JOURNAL: usize = 100_000;

/// `options` with their built-in mock started, and the mock (keep it alive for the run);
/// unchanged, and `None`, when they name a live target or the mock runs already. The mock
/// accepts two keys (the options' or its own), so the cases that act as a second account run
/// too; it answers like the vendor profile the options name, and keeps a journal when they
/// ask it to record.
///
/// # Errors
/// When the mock cannot start.
pub async fn with_built_in_mock(
    mut options: RunOptions,
) -> Result<(RunOptions, Option<MockServer>), MockError> {
    let Target::BuiltInMock(choice) = &mut options.target else {
        return Ok((options, None));
    };
    if choice.running.is_some() {
        return Ok((options, None));
    }
    let key = choice
        .api_key
        .clone()
        .unwrap_or_else(|| ApiKey::new(DEFAULT_API_KEY));
    let second = choice
        .second_api_key
        .clone()
        .unwrap_or_else(|| ApiKey::new(DEFAULT_SECOND_API_KEY));
    let mut builder = MockServer::builder()
        .api_key(key.expose())
        .api_key(second.expose());
    if let Some(profile) = &choice.like {
        builder = builder.profile((**profile).clone());
    }
    if choice.record {
        builder = builder
            .record_requests(true)
            .limits(Limits::default().journal_entries(TAGGED_JOURNAL));
    }
    let mock = builder.start().await?;
    choice.running = Some(Remote {
        base_url: mock.base_url(),
        api_key: key,
        second_api_key: Some(second),
    });
    Ok((options, Some(mock)))
}
