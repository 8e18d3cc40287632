//! A failing sequence made as small as it goes: proptest's value tree proposes simpler
//! sequences (fewer actions, then simpler picks in each), each is sent again, and the
//! simplest that still breaks the same invariant is kept. The loop is proptest's own
//! (`TestRunner::shrink`), run here because each try is a sequence of requests to a live target,
//! sent asynchronously and counted against the budget.

use proptest::strategy::ValueTree;

use super::generate::Action;

/// What replaying a candidate sequence gave.
#[derive(Debug)]
pub enum Replayed<F> {
    /// It broke the invariant again: what it found.
    Fails(F),
    /// It did not (or broke another).
    Passes,
    /// The budget, the cap on deletes or a stop ended the shrinking.
    Stopped,
}

/// Sends candidate sequences again.
pub trait Replay<F> {
    /// Sends `actions` (from a state the replayer restores), and says whether they break the
    /// invariant being shrunk.
    fn replay(&mut self, actions: &[Action]) -> impl Future<Output = Replayed<F>>;
}

/// What shrinking kept.
#[derive(Debug)]
pub struct Shrunk<F> {
    /// The simplest sequence that still fails.
    pub actions: Vec<Action>,
    /// What it found.
    pub found: F,
    /// How many candidates were sent.
    pub tries: usize,
}

/// Shrinks the failing sequence `tree` holds (its current value failed with `found`), trying
/// at most `max_tries` candidates.
pub async fn shrink<T, F>(
    tree: &mut T,
    found: F,
    replay: &mut impl Replay<F>,
    max_tries: usize,
) -> Shrunk<F>
where
    T: ValueTree<Value = Vec<Action>>,
{
    let mut best = Shrunk {
        actions: tree.current(),
        found,
        tries: 0,
    };
    if !tree.simplify() {
        return best;
    }
    while best.tries < max_tries {
        let candidate = tree.current();
        best.tries += 1;
        match replay.replay(&candidate).await {
            Replayed::Fails(found) => {
                best.actions = candidate;
                best.found = found;
                if !tree.simplify() {
                    break;
                }
            }
            Replayed::Passes => {
                if !tree.complicate() {
                    break;
                }
            }
            Replayed::Stopped => break,
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use proptest::strategy::Strategy;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

    use super::*;
    use crate::contract::case::Auth;
    use crate::contract::endpoint::Endpoint;
    use crate::suite::explore::generate::{Body, Content, Extra, Pick, Shape, sequence};

    /// A target whose only bug: deleteFiles with a duplicate in `fileIds` crashes.
    struct Duplicates;

    impl Replay<usize> for Duplicates {
        async fn replay(&mut self, actions: &[Action]) -> Replayed<usize> {
            let crashes = |a: &Action| {
                a.endpoint == Endpoint::DeleteFiles
                    && a.auth.is_key()
                    && matches!(&a.body, Body::DeleteFiles { files, .. }
                        if matches!(files.shape, Shape::Duplicate(_)) && !files.items.is_empty())
            };
            match actions.iter().position(crashes) {
                Some(at) => Replayed::Fails(at),
                None => Replayed::Passes,
            }
        }
    }

    #[tokio::test]
    async fn a_failing_sequence_shrinks_to_the_one_request_that_fails_with_the_simplest_body() {
        // Arrange: the first generated sequence that holds the bug.
        let mut runner = TestRunner::new_with_rng(
            Config::default(),
            TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
        );
        let strategy = sequence(true);
        let (mut tree, at) = loop {
            let tree = strategy
                .new_tree(&mut runner)
                .unwrap_or_else(|e| panic!("{e}"));
            if let Replayed::Fails(at) = Duplicates.replay(&tree.current()).await {
                if tree.current().len() > 1 {
                    break (tree, at);
                }
            }
        };

        // Act
        let shrunk = shrink(&mut tree, at, &mut Duplicates, 500).await;

        // Assert: one action, its bug kept, everything else as plain as it goes.
        let [action] = shrunk.actions.as_slice() else {
            panic!(
                "{} actions left: {:?}",
                shrunk.actions.len(),
                shrunk.actions
            );
        };
        assert_eq!(action.auth, Auth::Valid);
        assert_eq!(action.content, Content::Json);
        assert_eq!(action.extra, Extra::None);
        let Body::DeleteFiles {
            classification,
            batch,
            files,
        } = &action.body
        else {
            panic!("{action:?}");
        };
        assert_eq!((*classification, *batch), (Pick::Anchor, Pick::Anchor));
        assert_eq!(files.items, [Pick::Anchor]);
        assert!(matches!(files.shape, Shape::Duplicate(_)), "{files:?}");
        assert!(shrunk.tries > 0);
    }
}
