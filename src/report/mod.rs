//! The renderers of a [`RunReport`](crate::result::RunReport): human text, JSON, JUnit XML,
//! Markdown for CI summaries, a self-contained HTML page, and the `curl` command of a request.
//! They read the result model and nothing else; text, Markdown, JUnit and HTML lay out one
//! view of it, prepared once (`view.rs`), and escape through the one escaper (`redact/`).

pub mod curl;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
mod shown;
pub mod text;
mod view;

pub use shown::{KEPT_TEXT, KEPT_VALUE, shown, shown_case};
