//! The built-in mock in another crate's tests, as the README shows it: a tenant, a seed, a
//! fault, a processing delay, a request journal and an expectation. `cargo run --example
//! from_rust` runs it; CI does.
//!
//! Its `Cargo.toml` needs `extracta-contract` (for a crate that needs only the mock:
//! `default-features = false, features = ["mock"]`), `tokio` (`macros`, `rt`) and an HTTP
//! client; this one uses reqwest.

use extracta_contract::Endpoint;
use extracta_contract::mock::{Fault, MockServer, Seed};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockServer::builder()
        .tenant("billing-tests", "test-key") // the journal names the holder, never the key
        .seed(Seed::new().classification("cls-1", |c| {
            c.document_type("Invoice", ["invoice number"])
                .batch("batch-1", |b| {
                    b.file("file-1", "a.pdf").file("file-2", "b.pdf")
                })
        })) // or .seed(json) in the format of schemas/seed.json
        .fault(Fault::status(429).on(Endpoint::GetResults).times(1)) // Retry-After: 1
        .processing(std::time::Duration::from_secs(2))
        .record_requests(true)
        .expect(Endpoint::DeleteFiles, 1) // checked by mock.verify() and when dropped
        .start()
        .await?;

    // The code under test talks to mock.base_url(); here, one delete.
    // (This crate's reqwest has no TLS provider of its own; yours may not need this line.)
    let _ = rustls::crypto::ring::default_provider().install_default();
    let answer = reqwest::Client::new()
        .delete(format!(
            "{}/documentClassification/deleteFiles",
            mock.base_url()
        ))
        .bearer_auth("test-key")
        .json(&serde_json::json!({
            "classificationId": "cls-1", "batchId": "batch-1", "fileIds": ["file-1"]
        }))
        .send()
        .await?;
    assert_eq!(answer.status(), 200);

    assert_eq!(
        mock.received_requests()[0].holder.as_deref(),
        Some("billing-tests")
    );
    mock.verify()?;
    Ok(())
}
