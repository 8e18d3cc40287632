//! Placeholders: the `{{...}}` in a case's strings, filled from its fixture.

/// The placeholders a request may use, besides indexed ones.
pub(super) const PLAIN_PLACEHOLDERS: &[&str] =
    &["classificationId", "batchId", "unknownId", "runMarker"];

/// A placeholder in a case's request, filled from its fixture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholder {
    /// The fixture's classification N (0: the run's own).
    Classification(usize),
    /// The fixture's batch N.
    Batch(usize),
    /// The fixture's file N, counted across batches.
    File(usize),
    /// An id that exists nowhere.
    Unknown,
    /// The run's marker, which everything the run creates carries (in a name it gives).
    Marker,
}

impl Placeholder {
    /// Reads the inside of `{{...}}`.
    pub fn parse(inner: &str) -> Option<Placeholder> {
        let index = |s: &str| s.parse::<usize>().ok();
        match inner.split_once(':') {
            None => match inner {
                "classificationId" => Some(Placeholder::Classification(0)),
                "batchId" => Some(Placeholder::Batch(0)),
                "unknownId" => Some(Placeholder::Unknown),
                "runMarker" => Some(Placeholder::Marker),
                _ => None,
            },
            Some(("classificationId", n)) => index(n).map(Placeholder::Classification),
            Some(("batchId", n)) => index(n).map(Placeholder::Batch),
            Some(("fileId", n)) => index(n).map(Placeholder::File),
            Some(_) => None,
        }
    }
}

/// The insides of every `{{...}}` in `text`.
pub fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split("{{")
        .skip(1)
        .filter_map(|rest| rest.split_once("}}").map(|(inner, _)| inner))
}
