//! Judging an observation: the contract's checks ([`check`]), the normal form two healthy runs
//! share ([`normalise`]), the changes from a recorded baseline ([`drift`]), the store of
//! baselines ([`baseline`]), each baseline's text ([`snap`]) and an observation held against
//! its baseline ([`comparison`]).

pub mod baseline;
pub mod check;
pub mod comparison;
pub mod drift;
pub mod media;
pub mod normalise;
pub mod snap;
pub mod volatile;
