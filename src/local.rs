//! The built-in target: a mock started for a run that names no URL, so that the suite runs
//! with no network and no secret.

use crate::mock::server::{DEFAULT_API_KEY, MockError, MockServer};

/// The key of the built-in mock's second account, for the cases that act as another tenant.
pub const DEFAULT_SECOND_API_KEY: &str = "mock-second-api-key";
use crate::suite::options::RunOptions;

/// `options` pointed at a freshly started built-in mock when they name no target, with the
/// mock (keep it alive for the run); unchanged, and `None`, when they do. The mock accepts two
/// keys, so the cases that act as a second account run too.
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
    let mock = MockServer::builder()
        .api_key(key.clone())
        .api_key(second.clone())
        .start()
        .await?;
    options.base_url = Some(mock.base_url());
    options.api_key = Some(key);
    options.second_api_key = Some(second);
    options.built_in_mock = true;
    Ok((options, Some(mock)))
}
