//! Errors as NextGenPSD2 writes them: `{"tppMessages": [{"category": "ERROR", "code": …,
//! "text": …}]}`, with the framework's codes and statuses, so that a TPP's existing client
//! understands them.

use axum::{
	http::StatusCode,
	response::{IntoResponse, Response},
	Json,
};
use serde::Serialize;

/// One message to the TPP.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TppMessage {
	/// Always `ERROR` here.
	pub category: &'static str,
	/// The framework's code: `FORMAT_ERROR`, `CONSENT_INVALID`, `ACCESS_EXCEEDED`, …
	pub code: &'static str,
	/// What went wrong, and what to change.
	pub text: String,
}

/// An error answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Psd2Error {
	#[serde(skip)]
	pub status: u16,
	pub tpp_messages: Vec<TppMessage>,
}

pub type Psd2Result<T> = Result<T, Psd2Error>;

impl Psd2Error {
	pub fn new(status: StatusCode, code: &'static str, text: impl Into<String>) -> Self {
		Self {
			status: status.as_u16(),
			tpp_messages: vec![TppMessage { category: "ERROR", code, text: text.into() }],
		}
	}

	/// `FORMAT_ERROR` (400): the request does not have the form the framework gives it.
	pub fn format(text: impl Into<String>) -> Self {
		Self::new(StatusCode::BAD_REQUEST, "FORMAT_ERROR", text)
	}

	/// 401 with `code`: the TPP's token, the consent or the PSU's authentication.
	pub fn unauthorized(code: &'static str, text: impl Into<String>) -> Self {
		Self::new(StatusCode::UNAUTHORIZED, code, text)
	}

	/// 403 with `code`: something named in the path the caller may not reach.
	pub fn forbidden(code: &'static str, text: impl Into<String>) -> Self {
		Self::new(StatusCode::FORBIDDEN, code, text)
	}

	/// 404 `RESOURCE_UNKNOWN`.
	pub fn unknown(text: impl Into<String>) -> Self {
		Self::new(StatusCode::NOT_FOUND, "RESOURCE_UNKNOWN", text)
	}

	/// 409 `STATUS_INVALID`: the resource is not in a state that allows this.
	pub fn status(text: impl Into<String>) -> Self {
		Self::new(StatusCode::CONFLICT, "STATUS_INVALID", text)
	}

	pub fn code(&self) -> &'static str {
		self.tpp_messages.first().map_or("", |m| m.code)
	}
}

impl IntoResponse for Psd2Error {
	fn into_response(self) -> Response {
		let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
		(status, Json(self)).into_response()
	}
}

impl From<anyhow::Error> for Psd2Error {
	fn from(error: anyhow::Error) -> Self {
		log::error!("open-banking API: {error:#}");
		Self::new(
			StatusCode::INTERNAL_SERVER_ERROR,
			"INTERNAL_SERVER_ERROR",
			"an internal error; it is logged, and the request can be retried",
		)
	}
}

impl From<crate::problem::Problem> for Psd2Error {
	fn from(problem: crate::problem::Problem) -> Self {
		let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::BAD_REQUEST);
		let code = match problem.status {
			404 => "SERVICE_INVALID",
			503 => "SERVICE_UNAVAILABLE",
			500 => "INTERNAL_SERVER_ERROR",
			_ => "FORMAT_ERROR",
		};
		Self::new(status, code, problem.detail)
	}
}
