//! What the explorer sends, as proptest generates it: sequences of abstract [`Action`]s over
//! the seven endpoints of the catalogue. An action names no id: it picks by position (the
//! coherent target of its [`Anchor`], the nth id of a kind, an id that exists nowhere, an odd
//! string, a wrong type, nothing), and [`resolve`](super::resolve) turns it into a request
//! against the model's ids at the moment it is sent. So the same seed makes the same
//! sequences against any target, and proptest shrinks them (fewer actions, simpler picks)
//! without knowing a single id.

use proptest::prelude::*;
use proptest::strategy::{SBoxedStrategy, Strategy};

use super::model::Owner;
use crate::contract::case::Auth;
use crate::contract::endpoint::Endpoint;

/// The most actions a sequence holds.
pub const MAX_SEQUENCE: usize = 6;
/// The longest `fileIds` list a long-list action sends.
pub const LONG_LIST: usize = 300;
/// The lengths of the long strings, around the 64 characters a vendor may cut ids at.
pub const LENGTHS: [usize; 4] = [64, 65, 256, 10_000];

/// A string no sane vendor hands out as an id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Odd {
    /// `""`.
    Empty,
    /// Spaces, a tab and a line break only.
    Whitespace,
    /// One character.
    OneChar,
    /// Exactly this many characters.
    Length(usize),
    /// Letters outside ASCII.
    NonAscii,
    /// Emoji, outside the Basic Multilingual Plane.
    Emoji,
    /// A NUL character alone.
    Nul,
    /// An ANSI escape sequence and a line break.
    Control,
    /// A path that climbs (`../`).
    DotDot,
    /// Percent-escapes.
    Percent,
    /// Text that looks like JSON (a query operator).
    JsonLooking,
}

impl Odd {
    /// Whether it may go into a request that deletes: only the odd strings that cannot act on
    /// a server's files or queries. A climbing path, percent-escapes or JSON-looking text could,
    /// on a vendor that builds paths or queries from ids, reach beyond what the request names.
    pub fn is_inert(self) -> bool {
        !matches!(self, Odd::DotDot | Odd::Percent | Odd::JsonLooking)
    }

    /// A short name for what it is, for a finding's description.
    pub fn label(self) -> String {
        match self {
            Odd::Empty => "an empty string".to_owned(),
            Odd::Whitespace => "whitespace".to_owned(),
            Odd::OneChar => "one character".to_owned(),
            Odd::Length(n) => format!("{n} characters"),
            Odd::NonAscii => "non-ASCII letters".to_owned(),
            Odd::Emoji => "emoji".to_owned(),
            Odd::Nul => "a NUL character".to_owned(),
            Odd::Control => "control characters".to_owned(),
            Odd::DotDot => "a climbing path".to_owned(),
            Odd::Percent => "percent-escapes".to_owned(),
            Odd::JsonLooking => "JSON-looking text".to_owned(),
        }
    }
}

/// A value of the wrong JSON type where a string (or list) belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WrongType {
    /// `null`.
    Null,
    /// `true`.
    Bool,
    /// A number.
    Number,
    /// `{}`.
    Object,
    /// A list.
    List,
}

/// What a field of a request holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// The coherent value: the anchor's classification, batch or file.
    Anchor,
    /// The nth id of this kind the account holds (any classification, any batch).
    Real(usize),
    /// An id that exists nowhere.
    Unknown,
    /// An odd string.
    Odd(Odd),
    /// A value of the wrong type.
    WrongType(WrongType),
    /// No such field.
    Missing,
}

/// The coherent target of an action, by position in the account's pools (taken modulo
/// their length when resolved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// Which classification.
    pub classification: usize,
    /// Which batch.
    pub batch: usize,
    /// Which files of that batch.
    pub files: Vec<usize>,
}

/// How a `fileIds` list is shaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// As its items say.
    AsIs,
    /// Its item at this position (modulo its length) once more.
    Duplicate(usize),
    /// Followed by this many more ids that exist nowhere.
    Long(usize),
    /// No `fileIds` field.
    Missing,
    /// A value of another type instead of a list.
    NotAList(WrongType),
}

/// The `fileIds` of a deleteFiles request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileList {
    /// Its items.
    pub items: Vec<Pick>,
    /// Its shape.
    pub shape: Shape,
}

/// The `documentTypes` of a createClassification request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentTypes {
    /// A list of types, as the docs' example has it.
    Plain,
    /// One type as an object, not a list.
    AsObject,
    /// An empty list.
    Empty,
    /// No such field.
    Missing,
}

/// What an action's body names, endpoint by endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// createClassification: its name (the anchor: a name with the run's marker).
    Create {
        /// The name.
        name: Pick,
        /// The document types.
        document_types: DocumentTypes,
    },
    /// viewClassification.
    View {
        /// `classificationId`.
        classification: Pick,
    },
    /// uploadFiles.
    Upload {
        /// `classificationId`.
        classification: Pick,
        /// `batchId` (missing: a new batch).
        batch: Pick,
        /// How many sample documents.
        files: usize,
    },
    /// getResults.
    Results {
        /// `classificationId`.
        classification: Pick,
        /// `batchId`.
        batch: Pick,
        /// `fileId` (optional).
        file: Pick,
    },
    /// deleteFiles.
    DeleteFiles {
        /// `classificationId`.
        classification: Pick,
        /// `batchId`.
        batch: Pick,
        /// `fileIds`.
        files: FileList,
    },
    /// deleteBatch.
    DeleteBatch {
        /// `classificationId`.
        classification: Pick,
        /// `batchId`.
        batch: Pick,
    },
    /// deleteClassification.
    DeleteClassification {
        /// `classificationId`.
        classification: Pick,
    },
}

/// How the body travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// JSON, `Content-Type: application/json` (a form for uploadFiles).
    Json,
    /// JSON, `Content-Type: application/json; charset=utf-8`.
    JsonUtf8,
    /// JSON, `Content-Type: text/plain`.
    TextPlain,
    /// JSON without a `Content-Type`.
    NoContentType,
    /// `Content-Type: application/json` and no body.
    NoBody,
    /// JSON cut short.
    Malformed,
    /// A JSON list instead of an object.
    NotAnObject,
    /// uploadFiles: the fields as JSON, not a form.
    NotMultipart,
}

/// A field the body has besides its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extra {
    /// None.
    None,
    /// An unknown field holding an odd string.
    Unknown(Odd),
    /// deleteFiles: a singular `fileId` naming the anchor's file at this position, which the
    /// request does not list in `fileIds` (it must not be deleted).
    FileId(usize),
}

/// One request, abstractly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// Whose data it names.
    pub owner: Owner,
    /// The endpoint.
    pub endpoint: Endpoint,
    /// Its credential, relative to the owner: `Valid` is the owner's key, `Other` the other
    /// account's; the rest are refused credentials (for the first account only).
    pub auth: Auth,
    /// Its coherent target.
    pub anchor: Anchor,
    /// What its body names.
    pub body: Body,
    /// How the body travels.
    pub content: Content,
    /// A field besides its own.
    pub extra: Extra,
}

#[cfg(test)]
impl Action {
    /// The plainest action of `endpoint`, for tests: every field its anchor's (the second
    /// classification's first batch and file), sent as JSON by the first account with its key.
    pub(super) fn plain(endpoint: Endpoint) -> Action {
        let body = match endpoint {
            Endpoint::CreateClassification => Body::Create {
                name: Pick::Anchor,
                document_types: DocumentTypes::Plain,
            },
            Endpoint::ViewClassification => Body::View {
                classification: Pick::Anchor,
            },
            Endpoint::UploadFiles => Body::Upload {
                classification: Pick::Anchor,
                batch: Pick::Anchor,
                files: 1,
            },
            Endpoint::GetResults => Body::Results {
                classification: Pick::Anchor,
                batch: Pick::Anchor,
                file: Pick::Anchor,
            },
            Endpoint::DeleteBatch => Body::DeleteBatch {
                classification: Pick::Anchor,
                batch: Pick::Anchor,
            },
            Endpoint::DeleteClassification => Body::DeleteClassification {
                classification: Pick::Anchor,
            },
            Endpoint::DeleteFiles => Body::DeleteFiles {
                classification: Pick::Anchor,
                batch: Pick::Anchor,
                files: FileList {
                    items: vec![Pick::Anchor],
                    shape: Shape::AsIs,
                },
            },
        };
        Action {
            owner: Owner::First,
            endpoint,
            auth: Auth::Valid,
            anchor: Anchor {
                classification: 1,
                batch: 0,
                files: vec![0],
            },
            body,
            content: Content::Json,
            extra: Extra::None,
        }
    }
}

/// Every odd string, the simplest first (shrinking goes towards the start); characters
/// outside ASCII, where ids are most often mishandled, twice as often as the rest.
fn odd() -> impl Strategy<Value = Odd> {
    let mut all = vec![(1, Odd::Empty), (1, Odd::Whitespace), (1, Odd::OneChar)];
    all.extend(LENGTHS.iter().map(|n| (1, Odd::Length(*n))));
    all.extend([
        (2, Odd::NonAscii),
        (2, Odd::Emoji),
        (1, Odd::Nul),
        (1, Odd::Control),
        (1, Odd::DotDot),
        (1, Odd::Percent),
        (1, Odd::JsonLooking),
    ]);
    proptest::strategy::Union::new_weighted(
        all.into_iter()
            .map(|(weight, odd)| (weight, Just(odd)))
            .collect(),
    )
}

fn wrong_type() -> impl Strategy<Value = WrongType> {
    prop_oneof![
        Just(WrongType::Null),
        Just(WrongType::Bool),
        Just(WrongType::Number),
        Just(WrongType::Object),
        Just(WrongType::List),
    ]
}

/// An id field: mostly the coherent value; shrinks towards it.
fn pick() -> impl Strategy<Value = Pick> {
    prop_oneof![
        12 => Just(Pick::Anchor),
        2 => (0..16_usize).prop_map(Pick::Real),
        2 => Just(Pick::Unknown),
        3 => odd().prop_map(Pick::Odd),
        1 => wrong_type().prop_map(Pick::WrongType),
        1 => Just(Pick::Missing),
    ]
}

/// An item of `fileIds`: odd strings more often than elsewhere, deleteFiles being the centre.
fn file_item() -> impl Strategy<Value = Pick> {
    prop_oneof![
        10 => Just(Pick::Anchor),
        1 => (0..16_usize).prop_map(Pick::Real),
        2 => Just(Pick::Unknown),
        8 => odd().prop_map(Pick::Odd),
        1 => wrong_type().prop_map(Pick::WrongType),
    ]
}

/// An optional field (getResults' `fileId`, uploadFiles' `batchId`): absent by default.
fn optional_pick() -> impl Strategy<Value = Pick> {
    prop_oneof![
        6 => Just(Pick::Missing),
        3 => Just(Pick::Anchor),
        1 => (0..16_usize).prop_map(Pick::Real),
        1 => Just(Pick::Unknown),
        1 => odd().prop_map(Pick::Odd),
    ]
}

fn file_list() -> impl Strategy<Value = FileList> {
    let shape = prop_oneof![
        12 => Just(Shape::AsIs),
        3 => (0..4_usize).prop_map(Shape::Duplicate),
        1 => (20..=LONG_LIST).prop_map(Shape::Long),
        1 => Just(Shape::Missing),
        1 => wrong_type().prop_map(Shape::NotAList),
    ];
    (prop::collection::vec(file_item(), 0..=3), shape)
        .prop_map(|(items, shape)| FileList { items, shape })
}

fn anchor() -> impl Strategy<Value = Anchor> {
    (
        0..8_usize,
        0..8_usize,
        prop::collection::vec(0..8_usize, 1..=2),
    )
        .prop_map(|(classification, batch, files)| Anchor {
            classification,
            batch,
            files,
        })
}

fn document_types() -> impl Strategy<Value = DocumentTypes> {
    prop_oneof![
        6 => Just(DocumentTypes::Plain),
        1 => Just(DocumentTypes::AsObject),
        1 => Just(DocumentTypes::Empty),
        1 => Just(DocumentTypes::Missing),
    ]
}

/// The body of `endpoint`: every field coherent when `plain`, else mutated field by field.
fn body(endpoint: Endpoint, plain: bool) -> SBoxedStrategy<Body> {
    let id = move || -> SBoxedStrategy<Pick> {
        if plain {
            Just(Pick::Anchor).sboxed()
        } else {
            pick().sboxed()
        }
    };
    let optional = move || -> SBoxedStrategy<Pick> {
        if plain {
            Just(Pick::Missing).sboxed()
        } else {
            optional_pick().sboxed()
        }
    };
    match endpoint {
        Endpoint::CreateClassification => {
            let name = if plain {
                Just(Pick::Anchor).sboxed()
            } else {
                prop_oneof![
                    6 => Just(Pick::Anchor),
                    2 => odd().prop_map(Pick::Odd),
                    1 => wrong_type().prop_map(Pick::WrongType),
                    1 => Just(Pick::Missing),
                ]
                .sboxed()
            };
            let types = if plain {
                Just(DocumentTypes::Plain).sboxed()
            } else {
                document_types().sboxed()
            };
            (name, types)
                .prop_map(|(name, document_types)| Body::Create {
                    name,
                    document_types,
                })
                .sboxed()
        }
        Endpoint::ViewClassification => id()
            .prop_map(|classification| Body::View { classification })
            .sboxed(),
        Endpoint::UploadFiles => {
            let files = if plain {
                Just(1_usize).sboxed()
            } else {
                prop_oneof![6 => 1..=2_usize, 1 => Just(0_usize)].sboxed()
            };
            (id(), optional(), files)
                .prop_map(|(classification, batch, files)| Body::Upload {
                    classification,
                    batch,
                    files,
                })
                .sboxed()
        }
        Endpoint::GetResults => (id(), id(), optional())
            .prop_map(|(classification, batch, file)| Body::Results {
                classification,
                batch,
                file,
            })
            .sboxed(),
        Endpoint::DeleteBatch => (id(), id())
            .prop_map(|(classification, batch)| Body::DeleteBatch {
                classification,
                batch,
            })
            .sboxed(),
        Endpoint::DeleteClassification => id()
            .prop_map(|classification| Body::DeleteClassification { classification })
            .sboxed(),
        // deleteFiles, and any endpoint the catalogue adds later.
        _ => {
            let files = if plain {
                Just(FileList {
                    items: vec![Pick::Anchor],
                    shape: Shape::AsIs,
                })
                .sboxed()
            } else {
                file_list().sboxed()
            };
            (id(), id(), files)
                .prop_map(|(classification, batch, files)| Body::DeleteFiles {
                    classification,
                    batch,
                    files,
                })
                .sboxed()
        }
    }
}

/// How the body of `endpoint` travels, mutated: only where the contract can say what must
/// follow (a delete of a whole batch or classification sent as text has no such rule).
fn content(endpoint: Endpoint) -> SBoxedStrategy<Content> {
    match endpoint {
        Endpoint::UploadFiles => prop_oneof![
            8 => Just(Content::Json),
            1 => Just(Content::NotMultipart),
        ]
        .sboxed(),
        Endpoint::DeleteBatch | Endpoint::DeleteClassification => prop_oneof![
            16 => Just(Content::Json),
            1 => Just(Content::JsonUtf8),
            1 => Just(Content::NoBody),
            1 => Just(Content::Malformed),
            1 => Just(Content::NotAnObject),
        ]
        .sboxed(),
        _ => prop_oneof![
            16 => Just(Content::Json),
            1 => Just(Content::JsonUtf8),
            1 => Just(Content::TextPlain),
            1 => Just(Content::NoContentType),
            1 => Just(Content::NoBody),
            1 => Just(Content::Malformed),
            1 => Just(Content::NotAnObject),
        ]
        .sboxed(),
    }
}

fn extra(endpoint: Endpoint) -> SBoxedStrategy<Extra> {
    match endpoint {
        Endpoint::DeleteFiles => prop_oneof![
            10 => Just(Extra::None),
            1 => odd().prop_map(Extra::Unknown),
            1 => (0..8_usize).prop_map(Extra::FileId),
        ]
        .sboxed(),
        Endpoint::UploadFiles => Just(Extra::None).sboxed(),
        _ => prop_oneof![
            10 => Just(Extra::None),
            1 => odd().prop_map(Extra::Unknown),
        ]
        .sboxed(),
    }
}

/// The endpoints with their weights: deleteFiles, the suite's centre, most.
const ENDPOINTS: [(u32, Endpoint); 7] = [
    (5, Endpoint::DeleteFiles),
    (2, Endpoint::GetResults),
    (1, Endpoint::ViewClassification),
    (1, Endpoint::UploadFiles),
    (1, Endpoint::CreateClassification),
    (1, Endpoint::DeleteBatch),
    (1, Endpoint::DeleteClassification),
];

/// One strategy per endpoint, weighted: a union shrinks towards deleteFiles, and each
/// endpoint's strategy is a flat tuple, which shrinks its parts in order (owner, credential,
/// target, body), never regenerating one when another shrinks.
fn per_endpoint(make: impl Fn(Endpoint) -> SBoxedStrategy<Action>) -> SBoxedStrategy<Action> {
    let options: Vec<_> = ENDPOINTS
        .iter()
        .map(|(weight, endpoint)| (*weight, make(*endpoint)))
        .collect();
    proptest::strategy::Union::new_weighted(options).sboxed()
}

/// A credential to probe: no key, a key of no account, or a near miss of the key; now and
/// then the key itself, first, so that a finding that needs no odd credential shrinks to one
/// without it.
fn probed_credential() -> impl Strategy<Value = Auth> {
    let probes: Vec<_> = std::iter::once((1, Just(Auth::Valid).sboxed()))
        .chain(
            Auth::NEAR_MISSES
                .iter()
                .map(|auth| (2, Just(*auth).sboxed())),
        )
        .chain([
            (1, Just(Auth::Missing).sboxed()),
            (1, Just(Auth::Invalid).sboxed()),
        ])
        .collect();
    proptest::strategy::Union::new_weighted(probes)
}

/// An action that probes the credential: the first account's data, a coherent body.
fn key_probe() -> SBoxedStrategy<Action> {
    per_endpoint(|endpoint| {
        (probed_credential(), anchor(), body(endpoint, true))
            .prop_map(move |(auth, anchor, body)| Action {
                owner: Owner::First,
                endpoint,
                auth,
                anchor,
                body,
                content: Content::Json,
                extra: Extra::None,
            })
            .sboxed()
    })
}

/// An action with an account's exact key and a body mutated field by field; with a second
/// account, on either account's data, with either account's key.
fn body_probe(second_account: bool) -> SBoxedStrategy<Action> {
    per_endpoint(move |endpoint| {
        let owner = if second_account {
            prop_oneof![4 => Just(Owner::First), 1 => Just(Owner::Second)].sboxed()
        } else {
            Just(Owner::First).sboxed()
        };
        // Another account's key never creates: what it made would be that account's, out
        // of reach of this run's cleanup.
        let auth = if second_account && endpoint != Endpoint::CreateClassification {
            prop_oneof![4 => Just(Auth::Valid), 1 => Just(Auth::Other)].sboxed()
        } else {
            Just(Auth::Valid).sboxed()
        };
        (
            owner,
            auth,
            anchor(),
            body(endpoint, false),
            content(endpoint),
            extra(endpoint),
        )
            .prop_map(move |(owner, auth, anchor, body, content, extra)| Action {
                owner,
                endpoint,
                auth,
                anchor,
                body,
                content,
                extra,
            })
            .sboxed()
    })
}

/// One action: two in five probe the credential, three the body.
pub fn action(second_account: bool) -> SBoxedStrategy<Action> {
    prop_oneof![
        3 => body_probe(second_account),
        2 => key_probe(),
    ]
    .sboxed()
}

/// A sequence of 1 to [`MAX_SEQUENCE`] actions.
pub fn sequence(second_account: bool) -> SBoxedStrategy<Vec<Action>> {
    prop::collection::vec(action(second_account), 1..=MAX_SEQUENCE).sboxed()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::strategy::ValueTree;

    use super::*;
    use crate::suite::explore::explorer::runner;

    /// The variants `strategy` draws, by name, over enough draws to see each.
    fn variants<T: std::fmt::Debug>(strategy: &SBoxedStrategy<T>) -> BTreeSet<String> {
        let mut runner = runner(7);
        (0..2000)
            .filter_map(|_| strategy.new_tree(&mut runner).ok())
            .map(|tree| {
                let drawn = format!("{:?}", tree.current());
                drawn.split('(').next().unwrap_or_default().to_owned()
            })
            .collect()
    }

    /// The contents `endpoint`'s actions travel as.
    fn contents(endpoint: Endpoint) -> BTreeSet<String> {
        variants(&content(endpoint))
    }

    fn names(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn each_endpoint_travels_only_as_the_contract_can_judge() {
        assert_eq!(
            contents(Endpoint::UploadFiles),
            names(&["Json", "NotMultipart"])
        );
        for endpoint in [Endpoint::DeleteBatch, Endpoint::DeleteClassification] {
            assert_eq!(
                contents(endpoint),
                names(&["Json", "JsonUtf8", "Malformed", "NoBody", "NotAnObject"]),
                "{endpoint}"
            );
        }
        let every = names(&[
            "Json",
            "JsonUtf8",
            "Malformed",
            "NoBody",
            "NoContentType",
            "NotAnObject",
            "TextPlain",
        ]);
        for endpoint in [Endpoint::DeleteFiles, Endpoint::GetResults] {
            assert_eq!(contents(endpoint), every, "{endpoint}");
        }
    }

    #[test]
    fn only_delete_files_carries_a_stray_file_id_and_an_upload_no_extra_field() {
        assert_eq!(
            variants(&extra(Endpoint::DeleteFiles)),
            names(&["FileId", "None", "Unknown"])
        );
        assert_eq!(variants(&extra(Endpoint::UploadFiles)), names(&["None"]));
        for endpoint in [
            Endpoint::GetResults,
            Endpoint::ViewClassification,
            Endpoint::CreateClassification,
            Endpoint::DeleteBatch,
            Endpoint::DeleteClassification,
        ] {
            assert_eq!(
                variants(&extra(endpoint)),
                names(&["None", "Unknown"]),
                "{endpoint}"
            );
        }
    }

    #[test]
    fn each_odd_string_has_a_label_of_its_own() {
        let labels: Vec<String> = [
            Odd::Empty,
            Odd::Whitespace,
            Odd::OneChar,
            Odd::Length(65),
            Odd::NonAscii,
            Odd::Emoji,
            Odd::Nul,
            Odd::Control,
            Odd::DotDot,
            Odd::Percent,
            Odd::JsonLooking,
        ]
        .into_iter()
        .map(Odd::label)
        .collect();
        assert_eq!(labels[3], "65 characters");
        assert_eq!(labels[8], "a climbing path");
        let distinct: BTreeSet<&String> = labels.iter().collect();
        assert_eq!(distinct.len(), labels.len(), "{labels:?}");
        assert!(labels.iter().all(|l| !l.is_empty()), "{labels:?}");
    }
}
