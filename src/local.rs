//! The built-in target: a mock started for a run that names no URL, so that the suite runs
//! with no network and no secret.

use crate::mock::server::{DEFAULT_API_KEY, MockError, MockServer};
use crate::suite::options::RunOptions;

/// `options` pointed at a freshly started built-in mock when they name no target, with the
/// mock (keep it alive for the run); unchanged, and `None`, when they do.
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
    let mock = MockServer::builder().api_key(key.clone()).start().await?;
    options.base_url = Some(mock.base_url());
    options.api_key = Some(key);
    options.built_in_mock = true;
    Ok((options, Some(mock)))
}
