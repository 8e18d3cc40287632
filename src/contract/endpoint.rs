//! The one catalogue of the vendor's endpoints: path, method, schemas, media type, and whether
//! a call destroys data. The mock, the suite, the OpenAPI document and the tests read it here.

use std::fmt;

use http::Method;

/// Where the API lives below the host, e.g. `https://api.extracta.ai/api/v1`.
pub const API_ROOT: &str = "/api/v1";

/// The schema of every `{status, message}` reply, and of every refusal.
pub const STATUS_SCHEMA: &str = "status.response";

/// How a request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaType {
    /// `application/json`.
    Json,
    /// `multipart/form-data`.
    Multipart,
}

impl MediaType {
    /// The media type as written in a `Content-Type` header.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::Json => "application/json",
            MediaType::Multipart => "multipart/form-data",
        }
    }
}

/// An endpoint of the Document Classification API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Endpoint {
    /// `POST /documentClassification/createClassification`.
    CreateClassification,
    /// `POST /documentClassification/viewClassification`.
    ViewClassification,
    /// `POST /documentClassification/uploadFiles` (multipart).
    UploadFiles,
    /// `POST /documentClassification/getResults`.
    GetResults,
    /// `DELETE /documentClassification/deleteFiles`.
    DeleteFiles,
    /// `DELETE /documentClassification/deleteBatch`.
    DeleteBatch,
    /// `DELETE /documentClassification/deleteClassification`.
    DeleteClassification,
}

/// What the catalogue says of one endpoint.
struct Entry {
    name: &'static str,
    path: &'static str,
    destructive: bool,
    media_type: MediaType,
    request_schema: &'static str,
    response_schema: &'static str,
    summary: &'static str,
    documented: &'static [u16],
}

impl Endpoint {
    /// Every endpoint, in the order the docs list them.
    pub const ALL: [Endpoint; 7] = [
        Endpoint::CreateClassification,
        Endpoint::ViewClassification,
        Endpoint::UploadFiles,
        Endpoint::GetResults,
        Endpoint::DeleteFiles,
        Endpoint::DeleteBatch,
        Endpoint::DeleteClassification,
    ];

    fn entry(self) -> Entry {
        match self {
            Endpoint::CreateClassification => Entry {
                name: "createClassification",
                path: "/documentClassification/createClassification",
                destructive: false,
                media_type: MediaType::Json,
                request_schema: "create-classification.request",
                response_schema: "create-classification.response",
                summary: "Create a classification with its candidate document types",
                documented: &[],
            },
            Endpoint::ViewClassification => Entry {
                name: "viewClassification",
                path: "/documentClassification/viewClassification",
                destructive: false,
                media_type: MediaType::Json,
                request_schema: "view-classification.request",
                response_schema: "view-classification.response",
                summary: "Return a classification's stored definition",
                documented: &[],
            },
            Endpoint::UploadFiles => Entry {
                name: "uploadFiles",
                path: "/documentClassification/uploadFiles",
                destructive: false,
                media_type: MediaType::Multipart,
                request_schema: "upload-files.request",
                response_schema: "upload-files.response",
                summary: "Add files to a classification, in a new batch or an existing one",
                documented: &[],
            },
            Endpoint::GetResults => Entry {
                name: "getResults",
                path: "/documentClassification/getResults",
                destructive: false,
                media_type: MediaType::Json,
                request_schema: "get-results.request",
                response_schema: "get-results.response",
                summary: "The predicted document type of each file of a batch (keep 2 s between calls)",
                documented: &[],
            },
            Endpoint::DeleteFiles => Entry {
                name: "deleteFiles",
                path: "/documentClassification/deleteFiles",
                destructive: true,
                media_type: MediaType::Json,
                request_schema: "delete-files.request",
                response_schema: STATUS_SCHEMA,
                summary: "Permanently delete files of a batch; the rest of the batch stays",
                documented: &[200, 400, 500],
            },
            Endpoint::DeleteBatch => Entry {
                name: "deleteBatch",
                path: "/documentClassification/deleteBatch",
                destructive: true,
                media_type: MediaType::Json,
                request_schema: "delete-batch.request",
                response_schema: STATUS_SCHEMA,
                summary: "Permanently delete a batch with its files and results",
                documented: &[200],
            },
            Endpoint::DeleteClassification => Entry {
                name: "deleteClassification",
                path: "/documentClassification/deleteClassification",
                destructive: true,
                media_type: MediaType::Json,
                request_schema: "delete-classification.request",
                response_schema: STATUS_SCHEMA,
                summary: "Permanently delete a classification with all its batches",
                documented: &[200],
            },
        }
    }

    /// The name the docs use, e.g. `deleteFiles`.
    pub fn name(self) -> &'static str {
        self.entry().name
    }

    /// The path below [`API_ROOT`], e.g. `/documentClassification/deleteFiles`.
    pub fn path(self) -> &'static str {
        self.entry().path
    }

    /// The HTTP method.
    pub fn method(self) -> Method {
        if self.entry().destructive {
            Method::DELETE
        } else {
            Method::POST
        }
    }

    /// Whether a call removes data.
    pub fn is_destructive(self) -> bool {
        self.entry().destructive
    }

    /// How the request body is encoded.
    pub fn media_type(self) -> MediaType {
        self.entry().media_type
    }

    /// The schema (in `schemas/`) of the request body.
    pub fn request_schema(self) -> &'static str {
        self.entry().request_schema
    }

    /// The schema of a 2xx answer's body.
    pub fn response_schema(self) -> &'static str {
        self.entry().response_schema
    }

    /// One line on what it does.
    pub fn summary(self) -> &'static str {
        self.entry().summary
    }

    /// The statuses the vendor's page shows a response for; empty where the page could not be
    /// read. A documented status is asserted exactly, the rest by class.
    pub fn documented_statuses(self) -> &'static [u16] {
        self.entry().documented
    }

    /// The endpoint at `path` (below [`API_ROOT`]), if any.
    pub fn from_path(path: &str) -> Option<Endpoint> {
        Endpoint::ALL.into_iter().find(|e| e.path() == path)
    }

    /// Whether a request of `method` to `path` may remove data: one to a destructive endpoint's
    /// path, whatever its method (a server may route by path alone), or any `DELETE` to a path
    /// the catalogue does not know. The one rule the plan, the cap on deletes and the ledger
    /// share.
    pub fn destroys(path: &str, method: &http::Method) -> bool {
        match Endpoint::from_path(path) {
            Some(endpoint) => endpoint.is_destructive(),
            None => method == http::Method::DELETE,
        }
    }

    /// The endpoint called `name` (e.g. `deleteFiles`), if any.
    pub fn from_name(name: &str) -> Option<Endpoint> {
        Endpoint::ALL.into_iter().find(|e| e.name() == name)
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_endpoint_is_found_by_its_path_and_its_name() {
        for endpoint in Endpoint::ALL {
            assert_eq!(Endpoint::from_path(endpoint.path()), Some(endpoint));
            assert_eq!(Endpoint::from_name(endpoint.name()), Some(endpoint));
            assert!(endpoint.path().ends_with(endpoint.name()));
        }
        assert_eq!(Endpoint::from_name("uploadFile"), None);
    }

    #[test]
    fn exactly_the_three_deletes_destroy_data_and_use_delete() {
        let destructive: Vec<&str> = Endpoint::ALL
            .into_iter()
            .filter(|e| e.is_destructive())
            .map(Endpoint::name)
            .collect();
        assert_eq!(
            destructive,
            ["deleteFiles", "deleteBatch", "deleteClassification"]
        );
        for endpoint in Endpoint::ALL {
            assert_eq!(
                endpoint.method() == Method::DELETE,
                endpoint.is_destructive()
            );
        }
    }

    #[test]
    fn the_delete_files_page_documents_200_and_400() {
        assert!(Endpoint::DeleteFiles.documented_statuses().contains(&400));
        assert!(Endpoint::GetResults.documented_statuses().is_empty());
    }
}
