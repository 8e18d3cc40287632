//! The built-in target: a mock started for a run that names no URL, so that the suite runs
//! with no network and no secret.

use crate::mock::limits::Limits;
use crate::mock::server::{DEFAULT_API_KEY, MockError, MockServer};
use crate::suite::options::RunOptions;

/// The key of the built-in mock's second account, for the cases that act as another tenant.
pub const DEFAULT_SECOND_API_KEY: &str = "mock-second-api-key";
/// The journal of a mock whose run names its cases: room for every request of a large run.
const TAGGED_JOURNAL: usize = 100_000;

/// `options` pointed at a freshly started built-in mock when they name no target, with the
/// mock (keep it alive for the run); unchanged, and `None`, when they do. The mock accepts two
/// keys, so the cases that act as a second account run too; it answers like
/// `options.mock_like` when that names a vendor profile, and keeps a journal when the run
/// names its cases (`options.tag_cases`).
///
/// # Errors
/// When the mock cannot start.
pub async fn with_built_in_mock(
    mut options: RunOptions,
) -> Result<(RunOptions, Option<MockServer>), MockError> {
    if options.base_url.is_some() {
        return Ok((options, None));
    }
    let key = options
        .api_key
        .clone()
        .unwrap_or_else(|| DEFAULT_API_KEY.to_owned());
    let second = options
        .second_api_key
        .clone()
        .unwrap_or_else(|| DEFAULT_SECOND_API_KEY.to_owned());
    let mut builder = MockServer::builder()
        .api_key(key.clone())
        .api_key(second.clone());
    if let Some(profile) = &options.mock_like {
        builder = builder.profile(profile.clone());
    }
    if options.tag_cases {
        builder = builder
            .record_requests(true)
            .limits(Limits::default().journal_entries(TAGGED_JOURNAL));
    }
    let mock = builder.start().await?;
    options.base_url = Some(mock.base_url());
    options.api_key = Some(key);
    options.second_api_key = Some(second);
    options.built_in_mock = true;
    Ok((options, Some(mock)))
}
