//! API errors as RFC 9457 problem details (`application/problem+json`): a stable `type` per
//! kind of problem, the HTTP status, and a `detail` that says what to change.

use axum::{
	extract::rejection::{JsonRejection, PathRejection, QueryRejection},
	http::{header, StatusCode},
	response::{IntoResponse, Response},
};
use serde::Serialize;
use utoipa::ToSchema;

/// An RFC 9457 problem.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
	/// `urn:tpwallet:problem:{slug}`: what kind of problem, stable for programs to match on.
	#[serde(rename = "type")]
	#[schema(example = "urn:tpwallet:problem:unknown-account")]
	pub kind: String,
	/// A short summary of the kind of problem.
	pub title: String,
	pub status: u16,
	/// What went wrong with this request, and what to change.
	pub detail: String,
}

impl Problem {
	pub fn new(status: StatusCode, slug: &str, title: &str, detail: impl Into<String>) -> Self {
		Self {
			kind: format!("urn:tpwallet:problem:{slug}"),
			title: title.into(),
			status: status.as_u16(),
			detail: detail.into(),
		}
	}

	pub fn bad_request(detail: impl Into<String>) -> Self {
		Self::new(StatusCode::BAD_REQUEST, "bad-request", "The request is not valid", detail)
	}

	pub fn unauthorized(detail: impl Into<String>) -> Self {
		Self::new(StatusCode::UNAUTHORIZED, "unauthorized", "No valid API key", detail)
	}

	pub fn forbidden(detail: impl Into<String>) -> Self {
		Self::new(StatusCode::FORBIDDEN, "forbidden", "Outside this API key's scope", detail)
	}

	/// The node could not be asked (a 503: the ledger itself is fine; try again).
	pub fn node_unreachable(error: impl std::fmt::Display) -> Self {
		Self::new(
			StatusCode::SERVICE_UNAVAILABLE,
			"node-unreachable",
			"The node is unreachable",
			format!("the node's transaction pool could not be read: {error}"),
		)
	}

	pub fn not_found(slug: &str, detail: impl Into<String>) -> Self {
		Self::new(StatusCode::NOT_FOUND, slug, "Not found", detail)
	}
}

impl IntoResponse for Problem {
	fn into_response(self) -> Response {
		let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
		let body = serde_json::to_vec(&self).unwrap_or_default();
		(status, [(header::CONTENT_TYPE, "application/problem+json")], body).into_response()
	}
}

/// A failure of the service itself (the database): logged in full, reported without details.
impl From<anyhow::Error> for Problem {
	fn from(error: anyhow::Error) -> Self {
		log::error!("API: {error:#}");
		Self::new(
			StatusCode::INTERNAL_SERVER_ERROR,
			"internal",
			"The ledger could not answer",
			"an internal error; it is logged, and the request can be retried",
		)
	}
}

impl From<QueryRejection> for Problem {
	fn from(rejection: QueryRejection) -> Self {
		Self::bad_request(format!("query string: {}", rejection.body_text()))
	}
}

impl From<PathRejection> for Problem {
	fn from(rejection: PathRejection) -> Self {
		Self::bad_request(format!("path: {}", rejection.body_text()))
	}
}

impl From<JsonRejection> for Problem {
	fn from(rejection: JsonRejection) -> Self {
		let status = rejection.status();
		if status == StatusCode::PAYLOAD_TOO_LARGE {
			return Self::new(status, "too-large", "The body is too large", rejection.body_text());
		}
		if status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
			return Self::new(
				status,
				"unsupported-media-type",
				"The body must be JSON",
				"send `Content-Type: application/json`",
			);
		}
		Self::bad_request(format!("body: {}", rejection.body_text()))
	}
}
