//! The built-in mock beside the suite: the one part that imports both. `start` starts the
//! mock a run names as its target; `parity` runs the cases against it beside a baseline
//! recorded against a vendor, and learns the vendor's choices from that baseline.

pub(crate) mod parity;
pub(crate) mod start;

pub use parity::{Learned, ParityError, baseline_name, learn_vendor, parity};
pub use start::{DEFAULT_SECOND_API_KEY, with_built_in_mock};
