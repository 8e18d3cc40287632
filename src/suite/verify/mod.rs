//! Judging an observation: the contract's checks ([`check`]), the normal form two healthy runs
//! share ([`normalise`]), the changes from a recorded baseline ([`drift`]) and the store of
//! baselines ([`baseline`]).

pub mod baseline;
pub mod check;
pub mod drift;
pub mod media;
pub mod normalise;
pub mod volatile;
