//! How an uploaded file gets its document type: the type whose `uniqueWords` occur most
//! often (as a share of its words) in the file's text, compared without case.
//!
//! The words of a classification become one Aho-Corasick automaton, and the file is fed
//! through it a chunk at a time as it arrives: the work is linear in the file's size
//! whatever the number of words, the memory is a chunk, and no lock is held meanwhile.

use std::sync::{Arc, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// One document type: its name, and for each of its words the index of the (lowercased,
/// deduplicated) pattern it stands for, or `None` for an empty word, which every text holds.
#[derive(Debug)]
struct DocumentType {
    name: Arc<str>,
    words: Vec<Option<usize>>,
}

/// The document types of a classification, ready to classify files.
#[derive(Debug, Default)]
pub struct Classifier {
    types: Vec<DocumentType>,
    patterns: Vec<String>,
    longest: usize,
}

/// The part of a classification's details that classifying reads.
#[derive(Debug, Default, serde::Deserialize)]
struct Details {
    #[serde(rename = "documentTypes", default)]
    document_types: Vec<TypeDefinition>,
}

#[derive(Debug, Default, serde::Deserialize)]
struct TypeDefinition {
    #[serde(default)]
    name: String,
    #[serde(rename = "uniqueWords", default)]
    unique_words: Vec<String>,
}

impl Classifier {
    /// The classifier of a classification's details, as the store keeps them (JSON text,
    /// already schema-checked); details of another shape classify nothing.
    pub fn from_details(details: &str) -> Classifier {
        let details: Details = serde_json::from_str(details).unwrap_or_default();
        let mut classifier = Classifier::default();
        let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for document_type in details.document_types {
            let words = document_type
                .unique_words
                .iter()
                .map(|word| {
                    let word = word.to_lowercase();
                    if word.is_empty() {
                        return None;
                    }
                    let next = classifier.patterns.len();
                    let at = *index.entry(word.clone()).or_insert(next);
                    if at == next {
                        classifier.longest = classifier.longest.max(word.len());
                        classifier.patterns.push(word);
                    }
                    Some(at)
                })
                .collect();
            classifier.types.push(DocumentType {
                name: Arc::from(document_type.name),
                words,
            });
        }
        classifier
    }

    /// The automaton of the words, built once for all the files of an upload.
    pub fn prepare(self: &Arc<Self>) -> Arc<Prepared> {
        // Building fails only past the automaton's size limits, far beyond the schemas' bounds;
        // the files are then classified as nothing rather than refused.
        let automaton = if self.patterns.is_empty() {
            None
        } else {
            // A contiguous NFA rather than the DFA the builder would choose for few words: it
            // finds the same matches, builds in about a quarter of the instructions (the DFA
            // was most of a classification's first upload), and the files are small.
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::ContiguousNFA))
                .build(&self.patterns)
                .ok()
        };
        Arc::new(Prepared {
            classifier: Arc::clone(self),
            automaton,
        })
    }
}

/// Where a classification keeps its classifier once an upload has built it: its words never
/// change, so the automaton (the most costly part of an upload) is built once per
/// classification rather than once per upload, and goes with the classification.
#[derive(Debug, Default, Clone)]
pub struct Kept(Arc<OnceLock<Arc<Prepared>>>);

impl Kept {
    /// The classifier, if an upload has built it.
    pub fn get(&self) -> Option<Arc<Prepared>> {
        self.0.get().cloned()
    }

    /// Keeps `prepared`, unless another upload kept one first; returns the one kept.
    pub fn keep(&self, prepared: Arc<Prepared>) -> Arc<Prepared> {
        Arc::clone(self.0.get_or_init(|| prepared))
    }
}

/// A classifier with its automaton built.
#[derive(Debug)]
pub struct Prepared {
    classifier: Arc<Classifier>,
    automaton: Option<AhoCorasick>,
}

impl Prepared {
    /// A matcher for one file.
    pub fn matcher(self: &Arc<Self>) -> Matcher {
        let patterns = self.classifier.patterns.len();
        Matcher {
            prepared: Arc::clone(self),
            found: vec![false; patterns],
            missing: patterns,
            carry: Vec::new(),
            tail: String::new(),
        }
    }
}

/// The mock's guess at a file's document type.
#[derive(Debug, Clone, PartialEq)]
pub struct Guess {
    /// The document type, if any word of any type occurs.
    pub document_type: Option<Arc<str>>,
    /// The share of that type's words that occur, 0 to 1.
    pub confidence: f64,
}

/// Classifies one file fed to it chunk by chunk.
#[derive(Debug)]
pub struct Matcher {
    prepared: Arc<Prepared>,
    found: Vec<bool>,
    missing: usize,
    /// The bytes of an incomplete UTF-8 sequence at the end of the last chunk.
    carry: Vec<u8>,
    /// The end of the last chunk's lowercased text, so that words across chunks are found.
    tail: String,
}

impl Matcher {
    /// Feeds the next bytes of the file.
    pub fn feed(&mut self, bytes: &[u8]) {
        if self.missing == 0 || self.prepared.automaton.is_none() {
            return;
        }
        let text = if self.carry.is_empty() {
            decode_lossy(bytes, &mut self.carry)
        } else {
            let mut joined = std::mem::take(&mut self.carry);
            joined.extend_from_slice(bytes);
            decode_lossy(&joined, &mut self.carry)
        };
        let mut haystack = std::mem::take(&mut self.tail);
        haystack.push_str(&text.to_lowercase());
        self.search(&haystack);
        // Keep the last (longest word - 1) bytes, on a character boundary.
        let keep = self.prepared.classifier.longest.saturating_sub(1);
        let mut start = haystack.len().saturating_sub(keep);
        while !haystack.is_char_boundary(start) {
            start -= 1;
        }
        haystack.drain(..start);
        self.tail = haystack;
    }

    fn search(&mut self, haystack: &str) {
        let Some(automaton) = &self.prepared.automaton else {
            return;
        };
        for found in automaton.find_overlapping_iter(haystack) {
            let seen = &mut self.found[found.pattern().as_usize()];
            if !*seen {
                *seen = true;
                self.missing -= 1;
                if self.missing == 0 {
                    return;
                }
            }
        }
    }

    /// The guess, once the whole file was fed.
    pub fn finish(mut self) -> Guess {
        if !self.carry.is_empty() {
            // An incomplete sequence at the very end reads as one replacement character.
            let mut haystack = std::mem::take(&mut self.tail);
            haystack.push('\u{fffd}');
            self.search(&haystack);
        }
        let mut best: Option<(&Arc<str>, f64)> = None;
        for document_type in &self.prepared.classifier.types {
            if document_type.words.is_empty() {
                continue;
            }
            let hits = document_type
                .words
                .iter()
                .filter(|w| w.is_none_or(|at| self.found[at]))
                .count();
            #[expect(clippy::cast_precision_loss, reason = "word counts are small")]
            let score = hits as f64 / document_type.words.len() as f64;
            if score > 0.0 && best.is_none_or(|(_, s)| score > s) {
                best = Some((&document_type.name, score));
            }
        }
        match best {
            Some((name, confidence)) => Guess {
                document_type: Some(Arc::clone(name)),
                confidence,
            },
            None => Guess {
                document_type: None,
                confidence: 0.0,
            },
        }
    }
}

/// `bytes` as text, each invalid sequence replaced by U+FFFD as `String::from_utf8_lossy`
/// does, except that an incomplete sequence at the end is left in `carry` for the next chunk.
fn decode_lossy(mut bytes: &[u8], carry: &mut Vec<u8>) -> String {
    let mut text = String::with_capacity(bytes.len());
    loop {
        match std::str::from_utf8(bytes) {
            Ok(valid) => {
                text.push_str(valid);
                return text;
            }
            Err(error) => {
                let (valid, rest) = bytes.split_at(error.valid_up_to());
                // `valid` is valid UTF-8 up to there, as the error says.
                text.push_str(std::str::from_utf8(valid).unwrap_or_default());
                match error.error_len() {
                    Some(len) => {
                        text.push('\u{fffd}');
                        bytes = &rest[len..];
                    }
                    None => {
                        carry.extend_from_slice(rest);
                        return text;
                    }
                }
            }
        }
    }
}

/// Classifies `contents` in one go.
#[cfg(test)]
fn classify(contents: &[u8], document_types: &serde_json::Value) -> Guess {
    let details = serde_json::json!({ "documentTypes": document_types }).to_string();
    let mut matcher = Arc::new(Classifier::from_details(&details))
        .prepare()
        .matcher();
    matcher.feed(contents);
    matcher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn types() -> Value {
        json!([
            {"name": "Invoice", "description": "", "uniqueWords": ["invoice number", "bill to"]},
            {"name": "Receipt", "description": "", "uniqueWords": ["receipt", "paid"]}])
    }

    fn named(guess: &Guess) -> (Option<&str>, f64) {
        (guess.document_type.as_deref(), guess.confidence)
    }

    #[test]
    fn files_are_classified_by_their_unique_words_without_case() {
        assert_eq!(
            named(&classify(b"RECEIPT ... amount paid", &types())),
            (Some("Receipt"), 1.0)
        );
        assert_eq!(
            named(&classify(b"Invoice Number 7", &types())),
            (Some("Invoice"), 0.5)
        );
        assert_eq!(named(&classify(b"nothing", &types())), (None, 0.0));
    }

    #[test]
    fn words_overlapping_each_other_are_all_found() {
        let types =
            json!([{"name": "T", "description": "", "uniqueWords": ["receipt", "eipt", "ceipts"]}]);
        assert_eq!(named(&classify(b"receipts", &types)), (Some("T"), 1.0));
    }

    #[test]
    fn a_word_split_across_chunks_is_found() {
        let details = json!({ "documentTypes": types() }).to_string();
        let mut matcher = Arc::new(Classifier::from_details(&details))
            .prepare()
            .matcher();
        for chunk in [&b"xx invoice nu"[..], b"mber and bi", b"ll to"] {
            matcher.feed(chunk);
        }
        assert_eq!(named(&matcher.finish()), (Some("Invoice"), 1.0));
    }

    #[test]
    fn a_character_split_across_chunks_is_decoded_once() {
        let types = json!([{"name": "CV", "description": "", "uniqueWords": ["RÉSUMÉ"]}]);
        let text = "mon résumé".as_bytes();
        let split = text.len() - 1; // inside the last "é"
        let details = json!({ "documentTypes": types }).to_string();
        let mut matcher = Arc::new(Classifier::from_details(&details))
            .prepare()
            .matcher();
        matcher.feed(&text[..split]);
        matcher.feed(&text[split..]);
        assert_eq!(named(&matcher.finish()), (Some("CV"), 1.0));
    }

    #[test]
    fn invalid_bytes_read_as_replacement_characters() {
        let mut carry = Vec::new();
        assert_eq!(decode_lossy(b"a\xffb\xc3", &mut carry), "a\u{fffd}b");
        assert_eq!(carry, b"\xc3");
    }

    #[test]
    fn an_empty_word_is_in_every_text() {
        let types = json!([{"name": "T", "description": "", "uniqueWords": ["", "zzz"]}]);
        assert_eq!(named(&classify(b"abc", &types)), (Some("T"), 0.5));
    }
}
