//! The exit codes: 0 the target conforms, 1 a contract violation or drift, 2 the suite could
//! not run or finish.

use extracta_contract::Verdict;

/// Every case passed (and the run left nothing behind).
pub const CONFORMS: u8 = 0;
/// A contract violation or drift.
pub const VIOLATION: u8 = 1;
/// The suite could not run or finish: bad arguments or case files, target unreachable,
/// Ctrl-C, or cleanup failed.
pub const COULD_NOT_RUN: u8 = 2;

/// The exit code of a run's verdict.
pub fn code(verdict: Verdict) -> u8 {
    match verdict {
        Verdict::Pass => CONFORMS,
        Verdict::Contract | Verdict::Drift => VIOLATION,
        Verdict::CouldNotFinish => COULD_NOT_RUN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_verdict_has_its_documented_code() {
        assert_eq!(code(Verdict::Pass), 0);
        assert_eq!(code(Verdict::Contract), 1);
        assert_eq!(code(Verdict::Drift), 1);
        assert_eq!(code(Verdict::CouldNotFinish), 2);
    }
}
