//! The open-banking API's routes under `/psd2/v1` (the framework's paths below a provider's
//! root), the operator's TPP registry under `/v1/open-banking/tpps`, the TPP's identity (a
//! `tpwt_` token), the request id every request carries, consents, and the authorisation
//! resources that consents and payments share.

use super::{
	accounts,
	books::{AuthorisationRow, ConsentRow, TppRow},
	consent::{self, ConsentRequest, Grant},
	error::{Psd2Error, Psd2Result},
	payments, sca,
};
use crate::{
	api::{ApiResult, AppState},
	keys,
	problem::Problem,
	queries::Caller,
};
use axum::{
	extract::{rejection::JsonRejection, FromRequestParts, Path, Request, State},
	http::{request::Parts, HeaderMap, HeaderValue, StatusCode},
	middleware::{self, Next},
	response::{IntoResponse, Response},
	routing::{get, post},
	Json, Router,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tpwallet_gateway::Timestamp;

/// The open-banking routes, each request checked for its `X-Request-ID` first.
pub fn routes(router: Router<AppState>) -> Router<AppState> {
	let psd2 = Router::new()
		.route("/psd2/v1/consents", post(create_consent))
		.route("/psd2/v1/consents/{id}", get(get_consent).delete(delete_consent))
		.route("/psd2/v1/consents/{id}/status", get(consent_status))
		.route("/psd2/v1/consents/{id}/authorisations", get(consent_authorisations))
		.route(
			"/psd2/v1/consents/{id}/authorisations/{authorisation}",
			get(consent_sca_status).put(authorise_consent),
		)
		.route("/psd2/v1/accounts", get(accounts::list))
		.route("/psd2/v1/accounts/{account}", get(accounts::details))
		.route("/psd2/v1/accounts/{account}/balances", get(accounts::balances))
		.route("/psd2/v1/accounts/{account}/transactions", get(accounts::transactions))
		.route("/psd2/v1/payments/{product}", post(payments::initiate))
		.route("/psd2/v1/payments/{product}/{id}", get(payments::get).delete(payments::cancel))
		.route("/psd2/v1/payments/{product}/{id}/status", get(payments::status))
		.route("/psd2/v1/payments/{product}/{id}/authorisations", get(payments::authorisations))
		.route(
			"/psd2/v1/payments/{product}/{id}/authorisations/{authorisation}",
			get(payments::sca_status).put(payments::authorise),
		)
		.route_layer(middleware::from_fn(request_id));
	router
		.merge(psd2)
		.route("/v1/open-banking/tpps", post(register_tpp).get(list_tpps))
		.route("/v1/open-banking/tpps/{id}", axum::routing::delete(revoke_tpp))
}

/// Every request names itself with a UUID in `X-Request-ID`, echoed in the answer.
async fn request_id(request: Request, next: Next) -> Response {
	let id = request.headers().get("x-request-id").cloned();
	let Some(id) = id.filter(|v| v.to_str().is_ok_and(keys::is_uuid)) else {
		return Psd2Error::format("send X-Request-ID: a UUID naming this request").into_response();
	};
	let mut response = next.run(request).await;
	response.headers_mut().insert("x-request-id", id);
	response
}

/// The TPP calling: `Authorization: Bearer tpwt_…`.
pub struct Tpp(pub TppRow);

impl FromRequestParts<AppState> for Tpp {
	type Rejection = Psd2Error;

	async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Psd2Result<Self> {
		let token = parts
			.headers
			.get(axum::http::header::AUTHORIZATION)
			.and_then(|v| v.to_str().ok())
			.and_then(|v| v.strip_prefix("Bearer "))
			.map(str::trim)
			.ok_or_else(|| {
				Psd2Error::unauthorized(
					"TOKEN_INVALID",
					"send the TPP's token as `Authorization: Bearer tpwt_…` (the operator \
					 registers TPPs at /v1/open-banking/tpps)",
				)
			})?;
		if !keys::well_formed_token(keys::TPP_PREFIX, token) {
			return Err(Psd2Error::unauthorized(
				"TOKEN_INVALID",
				"that is not a TPP token (`tpwt_` and 64 hex digits)",
			));
		}
		let tpp = state.store.tpp_by_token(&keys::key_hash(token)).await?;
		tpp.map(Tpp)
			.ok_or_else(|| Psd2Error::unauthorized("TOKEN_INVALID", "unknown or revoked TPP token"))
	}
}

impl Tpp {
	/// The TPP holds `role` (`AIS`, `PIS`).
	pub fn must_be(&self, role: &str) -> Psd2Result<()> {
		if self.0.roles.iter().any(|r| r == role) {
			return Ok(());
		}
		Err(Psd2Error::unauthorized(
			"ROLE_INVALID",
			format!("this TPP is not registered for {role}"),
		))
	}
}

/// Whether the holder takes part in the request (`PSU-IP-Address` sent): such a request does
/// not count against the consent's accesses a day.
pub fn psu_present(headers: &HeaderMap) -> bool {
	headers.get("psu-ip-address").is_some()
}

/// A JSON body, its rejection in the framework's words.
pub fn body<T>(body: Result<Json<T>, JsonRejection>) -> Psd2Result<T> {
	body.map(|Json(b)| b).map_err(|e| Psd2Error::format(format!("body: {}", e.body_text())))
}

/// Links as the framework writes them: `{"name": {"href": "…"}}`.
pub fn links(pairs: &[(&str, String)]) -> Value {
	let map: serde_json::Map<String, Value> =
		pairs.iter().map(|(name, href)| (name.to_string(), json!({ "href": href }))).collect();
	Value::Object(map)
}

/// The SCA method offered: the holder's chain key.
pub fn sca_method() -> Value {
	json!({
		"authenticationType": "PUSH_OTP",
		"authenticationMethodId": "sr25519-chain-key",
		"name": "Signature by the account's chain key",
		"explanation": "sign challengeData.data[0] (UTF-8) with the sr25519 key of the chain \
			account the IBAN belongs to, and send the signature (hex) as scaAuthenticationData"
	})
}

/// The challenge of an authorisation, as the framework carries it.
pub fn challenge(authorisation: &AuthorisationRow) -> Value {
	json!({
		"data": [authorisation.challenge],
		"additionalInformation": "a polkadot.js signRaw of the text is accepted too"
	})
}

// ---- The operator's TPP registry ----------------------------------------------------------

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewTpp {
	/// The provider's name, shown to holders in every challenge (1 to 140 characters).
	name: String,
	/// `AIS`, `PIS` or both.
	roles: Vec<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RegisteredTpp {
	#[serde(flatten)]
	tpp: TppRow,
	/// The TPP's token, shown once (only its hash is kept).
	token: String,
}

/// Registers a third-party provider and answers its token, shown this once. An operator's key.
#[utoipa::path(post, path = "/v1/open-banking/tpps", request_body = NewTpp, responses(
	(status = 201, body = RegisteredTpp),
	(status = 400, body = Problem, content_type = "application/problem+json")))]
async fn register_tpp(
	State(state): State<AppState>,
	caller: Caller,
	body: Result<Json<NewTpp>, JsonRejection>,
) -> ApiResult<Response> {
	caller.operator()?;
	let Json(new) = body?;
	let name = new.name.trim();
	if name.is_empty() || name.chars().count() > 140 || name.chars().any(char::is_control) {
		return Err(Problem::bad_request("name: 1 to 140 characters, no control characters"));
	}
	let mut roles: Vec<String> = Vec::new();
	for role in &new.roles {
		if !["AIS", "PIS"].contains(&role.as_str()) {
			return Err(Problem::bad_request(format!("role `{role}`: AIS or PIS")));
		}
		if !roles.contains(role) {
			roles.push(role.clone());
		}
	}
	if roles.is_empty() {
		return Err(Problem::bad_request("roles: AIS, PIS or both"));
	}
	let token = keys::new_token(keys::TPP_PREFIX);
	let id = state.store.create_tpp(name, &roles, &keys::key_hash(&token)).await?;
	let tpp = TppRow { id, name: name.into(), roles, revoked: false };
	Ok((StatusCode::CREATED, Json(RegisteredTpp { tpp, token })).into_response())
}

/// The registered TPPs. An operator's key.
#[utoipa::path(get, path = "/v1/open-banking/tpps", responses((status = 200, body = Vec<TppRow>)))]
async fn list_tpps(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<TppRow>>> {
	caller.operator()?;
	Ok(Json(state.store.tpps().await?))
}

/// Revokes a TPP: its token stops working at once, and with it its consents and payments.
#[utoipa::path(delete, path = "/v1/open-banking/tpps/{id}", responses(
	(status = 204), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn revoke_tpp(
	State(state): State<AppState>,
	caller: Caller,
	Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
	caller.operator()?;
	if !state.store.revoke_tpp(id).await? {
		return Err(Problem::not_found("unknown-tpp", format!("no TPP {id} to revoke")));
	}
	Ok(StatusCode::NO_CONTENT)
}

// ---- Consents -------------------------------------------------------------------------------

/// The holder (chain account) of every IBAN of `grants`: one holder for them all.
async fn holder_of(state: &AppState, grants: &[Grant]) -> Psd2Result<String> {
	let keys: Vec<String> = grants.iter().map(|g| format!("iban:{}", g.iban)).collect();
	let names = state.store.directory(&keys).await?;
	let mut holder: Option<String> = None;
	for (grant, key) in grants.iter().zip(&keys) {
		let entry = names.get(key).ok_or_else(|| {
			Psd2Error::new(
				StatusCode::BAD_REQUEST,
				"RESOURCE_UNKNOWN",
				format!("{} is not an account here", grant.iban),
			)
		})?;
		match &holder {
			Some(h) if h != &entry.account => {
				return Err(Psd2Error::format(
					"the accounts belong to different holders: one consent per holder",
				))
			}
			_ => holder = Some(entry.account.clone()),
		}
	}
	holder.ok_or_else(|| Psd2Error::format("the access names no account"))
}

/// Asks for a consent to read accounts. Answers it `received`, with the challenge the holder
/// signs (`PUT` to `_links.authoriseTransaction`) to make it `valid`.
#[utoipa::path(post, path = "/psd2/v1/consents", request_body = ConsentRequest, responses(
	(status = 201, description = "consentStatus received, consentId, challengeData, _links"),
	(status = 400, body = Psd2Error), (status = 401, body = Psd2Error)),
	params(("X-Request-ID" = String, Header, description = "A UUID")))]
async fn create_consent(
	State(state): State<AppState>,
	tpp: Tpp,
	request: Result<Json<ConsentRequest>, JsonRejection>,
) -> Psd2Result<Response> {
	tpp.must_be("AIS")?;
	let request = body(request)?;
	let checked = consent::check(&request, Timestamp::now())
		.map_err(|r| Psd2Error::new(StatusCode::BAD_REQUEST, r.code, r.text))?;
	let holder = holder_of(&state, &checked.grants).await?;
	let row = ConsentRow {
		id: keys::new_uuid(),
		tpp: tpp.0.id,
		access: serde_json::to_string(&request.access).map_err(anyhow::Error::from)?,
		grants: serde_json::to_string(&checked.grants).map_err(anyhow::Error::from)?,
		holder,
		recurring: request.recurring_indicator,
		valid_until: checked.valid_until.0,
		frequency_per_day: request.frequency_per_day as i32,
		status: "received".into(),
		status_at: 0,
	};
	let text = sca::consent_challenge(
		&row.id,
		&tpp.0.name,
		&checked.grants,
		&request.valid_until,
		request.frequency_per_day,
	);
	let authorisation = keys::new_uuid();
	state.store.insert_consent(&row, &authorisation, &text).await?;
	let base = format!("/psd2/v1/consents/{}", row.id);
	let answer = json!({
		"consentStatus": "received",
		"consentId": row.id,
		"authorisationId": authorisation,
		"scaStatus": "scaMethodSelected",
		"chosenScaMethod": sca_method(),
		"challengeData": { "data": [text] },
		"_links": links(&[
			("self", base.clone()),
			("status", format!("{base}/status")),
			("scaStatus", format!("{base}/authorisations/{authorisation}")),
			("authoriseTransaction", format!("{base}/authorisations/{authorisation}")),
		]),
	});
	Ok((StatusCode::CREATED, Json(answer)).into_response())
}

/// The TPP's own consent `id`, its status brought up to date (a consent past its last day is
/// `expired`).
pub async fn own_consent(state: &AppState, tpp: &Tpp, id: &str) -> Psd2Result<ConsentRow> {
	let mut row = match state.store.consent(id).await? {
		Some(row) if row.tpp == tpp.0.id => row,
		_ => return Err(Psd2Error::forbidden("CONSENT_UNKNOWN", format!("no consent {id}"))),
	};
	let today = Timestamp::now().start_of_day();
	if row.valid_until < today.0
		&& state.store.move_consent(&row.id, &["received", "valid"], "expired").await?
	{
		row.status = "expired".into();
	}
	Ok(row)
}

/// The consent as asked, and its status.
#[utoipa::path(get, path = "/psd2/v1/consents/{id}", responses(
	(status = 200, description = "access, recurringIndicator, validUntil, frequencyPerDay, consentStatus"),
	(status = 403, body = Psd2Error)))]
async fn get_consent(
	State(state): State<AppState>,
	tpp: Tpp,
	Path(id): Path<String>,
) -> Psd2Result<Json<Value>> {
	let row = own_consent(&state, &tpp, &id).await?;
	let access: Value = serde_json::from_str(&row.access).map_err(anyhow::Error::from)?;
	Ok(Json(json!({
		"access": access,
		"recurringIndicator": row.recurring,
		"validUntil": Timestamp(row.valid_until).date(),
		"frequencyPerDay": row.frequency_per_day,
		"lastActionDate": Timestamp(u64::try_from(row.status_at).unwrap_or(0)).date(),
		"consentStatus": row.status,
		"_links": links(&[("status", format!("/psd2/v1/consents/{id}/status"))]),
	})))
}

/// The consent's status: `received`, `valid`, `rejected`, `expired`, `terminatedByTpp`.
#[utoipa::path(get, path = "/psd2/v1/consents/{id}/status", responses(
	(status = 200, description = "consentStatus"), (status = 403, body = Psd2Error)))]
async fn consent_status(
	State(state): State<AppState>,
	tpp: Tpp,
	Path(id): Path<String>,
) -> Psd2Result<Json<Value>> {
	let row = own_consent(&state, &tpp, &id).await?;
	Ok(Json(json!({ "consentStatus": row.status })))
}

/// Ends the consent (`terminatedByTpp`): no account can be read under it any more.
#[utoipa::path(delete, path = "/psd2/v1/consents/{id}", responses(
	(status = 204), (status = 403, body = Psd2Error), (status = 409, body = Psd2Error)))]
async fn delete_consent(
	State(state): State<AppState>,
	tpp: Tpp,
	Path(id): Path<String>,
) -> Psd2Result<StatusCode> {
	let row = own_consent(&state, &tpp, &id).await?;
	if !state.store.move_consent(&row.id, &["received", "valid"], "terminatedByTpp").await? {
		return Err(Psd2Error::status(format!("the consent is {} already", row.status)));
	}
	Ok(StatusCode::NO_CONTENT)
}

/// The consent's authorisations.
#[utoipa::path(get, path = "/psd2/v1/consents/{id}/authorisations", responses(
	(status = 200, description = "authorisationIds")))]
async fn consent_authorisations(
	State(state): State<AppState>,
	tpp: Tpp,
	Path(id): Path<String>,
) -> Psd2Result<Json<Value>> {
	let row = own_consent(&state, &tpp, &id).await?;
	let all = state.store.authorisations(Some(&row.id), None).await?;
	Ok(Json(json!({ "authorisationIds": all.iter().map(|a| &a.id).collect::<Vec<_>>() })))
}

/// The authorisation `authorisation` of the consent or payment `parent`.
pub async fn authorisation_of(
	state: &AppState,
	authorisation: &str,
	consent: Option<&str>,
	payment: Option<&str>,
) -> Psd2Result<AuthorisationRow> {
	match state.store.authorisation(authorisation).await? {
		Some(row) if row.consent.as_deref() == consent && row.payment.as_deref() == payment => {
			Ok(row)
		}
		_ => Err(Psd2Error::forbidden(
			"RESOURCE_UNKNOWN",
			format!("no authorisation {authorisation} here"),
		)),
	}
}

/// An authorisation's status: `scaMethodSelected`, `finalised` or `failed`.
#[utoipa::path(get, path = "/psd2/v1/consents/{id}/authorisations/{authorisation}", responses(
	(status = 200, description = "scaStatus, challengeData")))]
async fn consent_sca_status(
	State(state): State<AppState>,
	tpp: Tpp,
	Path((id, authorisation)): Path<(String, String)>,
) -> Psd2Result<Json<Value>> {
	let row = own_consent(&state, &tpp, &id).await?;
	let a = authorisation_of(&state, &authorisation, Some(&row.id), None).await?;
	Ok(Json(json!({ "scaStatus": a.status, "challengeData": challenge(&a) })))
}

/// `PUT …/authorisations/{id}`'s body.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Authentication {
	/// The holder's signature over the challenge: 64 bytes, hex.
	pub sca_authentication_data: String,
}

/// The outcome of a signature sent for authorisation `a`: `Ok` once finalised; a wrong
/// signature is counted, and the third fails the authorisation for good (`failed: true`).
pub async fn check_signature(
	state: &AppState,
	a: &AuthorisationRow,
	signature: &str,
) -> Psd2Result<Result<(), bool>> {
	if a.status != "scaMethodSelected" {
		return Err(Psd2Error::status(format!("the authorisation is {} already", a.status)));
	}
	match sca::verify(&a.signer, &a.challenge, signature) {
		Ok(()) => {
			if !state.store.finalise(&a.id).await? {
				return Err(Psd2Error::status("the authorisation was finished meanwhile"));
			}
			Ok(Ok(()))
		}
		Err(sca::Invalid::Malformed) => {
			Err(Psd2Error::format("scaAuthenticationData: a signature is 64 bytes of hex"))
		}
		Err(sca::Invalid::Wrong) => {
			let counted = state.store.wrong_signature(&a.id, sca::MAX_ATTEMPTS).await?;
			let Some((status, _)) = counted else {
				return Err(Psd2Error::status("the authorisation was finished meanwhile"));
			};
			Ok(Err(status == "failed"))
		}
	}
}

/// The holder's signature over the consent's challenge: the consent becomes `valid`. Three
/// wrong signatures reject it.
#[utoipa::path(put, path = "/psd2/v1/consents/{id}/authorisations/{authorisation}",
	request_body = Authentication, responses(
	(status = 200, description = "scaStatus finalised, consentStatus valid"),
	(status = 401, body = Psd2Error), (status = 409, body = Psd2Error)))]
async fn authorise_consent(
	State(state): State<AppState>,
	tpp: Tpp,
	Path((id, authorisation)): Path<(String, String)>,
	request: Result<Json<Authentication>, JsonRejection>,
) -> Psd2Result<Json<Value>> {
	let request = body(request)?;
	let row = own_consent(&state, &tpp, &id).await?;
	let a = authorisation_of(&state, &authorisation, Some(&row.id), None).await?;
	if row.status != "received" {
		return Err(Psd2Error::status(format!("the consent is {}", row.status)));
	}
	match check_signature(&state, &a, &request.sca_authentication_data).await? {
		Ok(()) => {
			if !state.store.move_consent(&row.id, &["received"], "valid").await? {
				return Err(Psd2Error::status("the consent changed meanwhile"));
			}
			Ok(Json(json!({ "scaStatus": "finalised", "consentStatus": "valid" })))
		}
		Err(failed) => {
			if failed {
				state.store.move_consent(&row.id, &["received"], "rejected").await?;
			}
			Err(wrong_signature(failed))
		}
	}
}

/// The answer to a wrong signature.
pub fn wrong_signature(failed: bool) -> Psd2Error {
	let text = if failed {
		"not the holder's signature over the challenge; that was the last attempt"
	} else {
		"not the holder's signature over the challenge"
	};
	Psd2Error::unauthorized("PSU_CREDENTIALS_INVALID", text)
}

/// A consent the TPP may read under now: its own, `valid`, and (without the holder present)
/// within its accesses for today. Named by the `Consent-ID` header.
pub async fn usable_consent(
	state: &AppState,
	tpp: &Tpp,
	headers: &HeaderMap,
) -> Psd2Result<(ConsentRow, Vec<Grant>)> {
	tpp.must_be("AIS")?;
	let id = headers
		.get("consent-id")
		.and_then(|v: &HeaderValue| v.to_str().ok())
		.ok_or_else(|| Psd2Error::format("send the Consent-ID header"))?;
	let row = match own_consent(state, tpp, id).await {
		Ok(row) => row,
		Err(e) if e.code() == "CONSENT_UNKNOWN" => {
			return Err(Psd2Error::new(
				StatusCode::BAD_REQUEST,
				"CONSENT_UNKNOWN",
				format!("no consent {id}"),
			))
		}
		Err(e) => return Err(e),
	};
	match row.status.as_str() {
		"valid" => {}
		"expired" => {
			return Err(Psd2Error::unauthorized("CONSENT_EXPIRED", "the consent has expired"))
		}
		"received" => {
			return Err(Psd2Error::unauthorized(
				"CONSENT_INVALID",
				"the holder has not authorised the consent yet",
			))
		}
		other => {
			return Err(Psd2Error::unauthorized(
				"CONSENT_INVALID",
				format!("the consent is {other}"),
			))
		}
	}
	if !psu_present(headers) {
		let today = Timestamp::now().date();
		if !state.store.count_access(&row.id, &today, row.frequency_per_day).await? {
			return Err(Psd2Error::new(
				StatusCode::TOO_MANY_REQUESTS,
				"ACCESS_EXCEEDED",
				format!(
					"{} accesses a day without the holder present; send PSU-IP-Address when \
					 the holder asks",
					row.frequency_per_day
				),
			));
		}
	}
	let grants = serde_json::from_str(&row.grants).map_err(anyhow::Error::from)?;
	Ok((row, grants))
}

#[derive(utoipa::OpenApi)]
#[openapi(
	paths(
		register_tpp,
		list_tpps,
		revoke_tpp,
		create_consent,
		get_consent,
		consent_status,
		delete_consent,
		consent_authorisations,
		consent_sca_status,
		authorise_consent,
		accounts::list,
		accounts::details,
		accounts::balances,
		accounts::transactions,
		payments::initiate,
		payments::get,
		payments::status,
		payments::cancel,
		payments::authorisations,
		payments::sca_status,
		payments::authorise
	),
	components(schemas(
		Psd2Error,
		super::error::TppMessage,
		ConsentRequest,
		consent::Access,
		consent::AccountReference,
		Authentication,
		NewTpp,
		RegisteredTpp,
		TppRow,
		payments::PaymentRequest,
		payments::InstructedAmount
	))
)]
pub struct Psd2Doc;
