//! Payment initiation: a SEPA credit transfer asked for by a TPP is written at once as the
//! `pain.001.001.09` it will be (and read back under the gateway's limits and schema, so that a
//! payment that could not go through is refused now, not after the holder signed), then waits
//! for the debtor's signature. Once signed, it is handed to the gateway's intake like any
//! message, and its status from then on is the gateway's transfer's: `ACSP` submitted, `PDNG`
//! held for a compliance review, `ACSC` settled in a finalized block, `RJCT` with its ISO reason.

use super::{
	api::{
		authorisation_of, body, challenge, check_signature, links, sca_method, wrong_signature,
		Authentication, Tpp,
	},
	books::PaymentRow,
	consent,
	error::{Psd2Error, Psd2Result},
	sca,
};
use crate::{api::AppState, iso::api::gateway, keys};
use axum::{
	extract::{rejection::JsonRejection, Path, State},
	http::{HeaderMap, StatusCode},
	response::{IntoResponse, Response},
	Json,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tpwallet_gateway::{AccountRef, Amount, Initiation, Limits, Timestamp};

/// The one payment product offered.
pub const PRODUCT: &str = "sepa-credit-transfers";

/// The amount asked for.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct InstructedAmount {
	/// ISO 4217.
	pub currency: String,
	/// A decimal number: `125.50`.
	pub amount: String,
}

/// `POST /psd2/v1/payments/sepa-credit-transfers`'s body.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaymentRequest {
	/// The reference that travels with the payment (at most 35 characters).
	pub end_to_end_identification: Option<String>,
	pub debtor_account: consent::AccountReference,
	pub instructed_amount: InstructedAmount,
	pub creditor_account: consent::AccountReference,
	/// At most 70 characters.
	pub creditor_name: String,
	/// The creditor's bank's BIC.
	pub creditor_agent: Option<String>,
	/// At most 140 characters.
	pub remittance_information_unstructured: Option<String>,
	/// Today, or left out: future-dated payments are not offered.
	pub requested_execution_date: Option<String>,
}

fn product(product: &str) -> Psd2Result<()> {
	if product == PRODUCT {
		return Ok(());
	}
	Err(Psd2Error::new(
		StatusCode::NOT_FOUND,
		"PRODUCT_UNKNOWN",
		format!("payment product `{product}`: this ASPSP offers {PRODUCT}"),
	))
}

/// Text that fits the framework's field: `1..=max` characters, no control characters.
fn text(value: &str, name: &str, max: usize) -> Psd2Result<()> {
	let n = value.chars().count();
	if n == 0 || n > max || value.chars().any(char::is_control) {
		return Err(Psd2Error::format(format!(
			"{name}: 1 to {max} characters, no control characters"
		)));
	}
	Ok(())
}

/// A BIC's shape (ISO 9362): 4 letters, 2 letters of country, 2 of location, 3 of branch or none.
fn bic(text: &str) -> bool {
	let b = text.as_bytes();
	(b.len() == 8 || b.len() == 11)
		&& b[..6].iter().all(u8::is_ascii_uppercase)
		&& b[6..].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// The payment as the gateway will read it, or why it cannot be made.
fn initiation(
	r: &PaymentRequest,
	id: &str,
	tpp: &str,
	agent: &str,
	debtor_name: Option<String>,
) -> Psd2Result<Initiation> {
	let iban = |reference: &consent::AccountReference, name: &str| {
		consent::iban(&reference.iban).ok_or_else(|| {
			Psd2Error::format(format!("{name}: `{}` is not a valid IBAN", reference.iban))
		})
	};
	let (debtor_iban, creditor_iban) =
		(iban(&r.debtor_account, "debtorAccount")?, iban(&r.creditor_account, "creditorAccount")?);
	let currency = &r.instructed_amount.currency;
	for account in [&r.debtor_account, &r.creditor_account] {
		if account.currency.as_ref().is_some_and(|c| c != currency) {
			return Err(Psd2Error::format(format!(
				"an account in {} cannot take an amount in {currency}",
				account.currency.as_deref().unwrap_or_default()
			)));
		}
	}
	let amount = Amount::parse(&r.instructed_amount.amount, currency)
		.map_err(|e| Psd2Error::format(format!("instructedAmount: {}", e.detail)))?;
	if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
		return Err(Psd2Error::format(format!("`{currency}` is not an ISO 4217 code")));
	}
	text(&r.creditor_name, "creditorName", 70)?;
	let end_to_end_id = r.end_to_end_identification.clone().unwrap_or_else(|| "NOTPROVIDED".into());
	text(&end_to_end_id, "endToEndIdentification", 35)?;
	if let Some(remittance) = &r.remittance_information_unstructured {
		text(remittance, "remittanceInformationUnstructured", 140)?;
	}
	if let Some(agent) = &r.creditor_agent {
		if !bic(agent) {
			return Err(Psd2Error::format(format!("creditorAgent `{agent}` is not a BIC")));
		}
	}
	let now = Timestamp::now();
	if let Some(date) = &r.requested_execution_date {
		if consent::day(date) != Some(now.start_of_day()) {
			return Err(Psd2Error::new(
				StatusCode::BAD_REQUEST,
				"EXECUTION_DATE_INVALID",
				"requestedExecutionDate: today, or left out (future-dated payments are not offered)",
			));
		}
	}
	Ok(Initiation {
		msg_id: format!("P{}", id.replace('-', "")),
		created: now,
		initiator: tpp.into(),
		agent: agent.into(),
		end_to_end_id,
		uetr: keys::new_uuid(),
		amount,
		debtor: debtor_name,
		debtor_account: AccountRef::Iban(debtor_iban),
		creditor: r.creditor_name.clone(),
		creditor_account: AccountRef::Iban(creditor_iban),
		creditor_agent: r.creditor_agent.clone(),
		remittance: r.remittance_information_unstructured.clone(),
		execution: now,
	})
}

/// The TPP's own payment `id`.
async fn own_payment(state: &AppState, tpp: &Tpp, id: &str) -> Psd2Result<PaymentRow> {
	tpp.must_be("PIS")?;
	match state.store.psd2_payment(id).await? {
		Some(row) if row.tpp == tpp.0.id => Ok(row),
		_ => Err(Psd2Error::forbidden("RESOURCE_UNKNOWN", format!("no payment {id}"))),
	}
}

/// The TPP's own payment `id` of payment product `name`.
async fn payment_in(state: &AppState, tpp: &Tpp, name: &str, id: &str) -> Psd2Result<PaymentRow> {
	product(name)?;
	own_payment(state, tpp, id).await
}

/// The payment's status as the framework's `transactionStatus`, with the ISO reason of a
/// refusal.
async fn transaction_status(state: &AppState, row: &PaymentRow) -> Psd2Result<Value> {
	let (status, code, reason) = match (row.status.as_str(), row.message) {
		("authorised", Some(message)) => {
			let refused = state
				.store
				.message(message)
				.await?
				.and_then(|m| Some((m.reason_code?, m.reason.unwrap_or_default())));
			match refused {
				Some((code, reason)) => ("RJCT", Some(code), Some(reason)),
				None => match state.store.payments_of(message).await?.first() {
					None => ("ACTC", None, None),
					Some(p) => {
						let status = match p.status.as_str() {
							"settled" => "ACSC",
							"pending" => "PDNG",
							"rejected" => "RJCT",
							_ => "ACSP",
						};
						(status, p.reason_code.clone(), p.reason.clone())
					}
				},
			}
		}
		("authorised", None) => ("ACTC", None, None),
		(other, _) => (
			if other == "RCVD" || other == "CANC" { other } else { "RJCT" },
			None,
			row.reason.clone(),
		),
	};
	let mut answer = json!({ "transactionStatus": status });
	if let Some(code) = code {
		answer["reasonCode"] = json!(code);
	}
	if let Some(reason) = reason {
		answer["reason"] = json!(reason);
	}
	Ok(answer)
}

/// Initiates a SEPA credit transfer from an account of the directory. Answers it `RCVD`, with
/// the challenge the debtor signs to send it. A retry with the same `X-Request-ID` answers the
/// payment already made for it.
#[utoipa::path(post, path = "/psd2/v1/payments/{product}", request_body = PaymentRequest,
	responses((status = 201, description = "transactionStatus RCVD, paymentId, challengeData, _links"),
	(status = 400, body = Psd2Error), (status = 404, body = Psd2Error)),
	params(("product" = String, Path, description = "sepa-credit-transfers"),
		("X-Request-ID" = String, Header, description = "A UUID; a retry sends the same"),
		("PSU-IP-Address" = String, Header, description = "The holder's IP address")))]
pub async fn initiate(
	State(state): State<AppState>,
	tpp: Tpp,
	headers: HeaderMap,
	Path(name): Path<String>,
	request: Result<Json<PaymentRequest>, JsonRejection>,
) -> Psd2Result<Response> {
	tpp.must_be("PIS")?;
	product(&name)?;
	let request = body(request)?;
	let request_id =
		headers.get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
	if headers.get("psu-ip-address").is_none() {
		return Err(Psd2Error::format("send PSU-IP-Address: the holder initiates a payment"));
	}
	let gateway = gateway(&state)?;
	let id = keys::new_uuid();
	let debtor_iban = consent::iban(&request.debtor_account.iban).unwrap_or_default();
	let key = format!("iban:{debtor_iban}");
	let entry = state.store.directory(std::slice::from_ref(&key)).await?.remove(&key);
	let entry = entry.ok_or_else(|| {
		Psd2Error::new(
			StatusCode::BAD_REQUEST,
			"RESOURCE_UNKNOWN",
			format!("debtorAccount `{}` is not an account here", request.debtor_account.iban),
		)
	})?;
	let initiation = initiation(&request, &id, &tpp.0.name, &gateway.intake.agent, entry.owner)?;
	let xml = tpwallet_gateway::pain001(&initiation);
	// What the gateway will read: refused now if it could not be paid as asked.
	let read = tpwallet_gateway::read(xml.as_bytes(), &Limits::default())
		.map_err(|r| Psd2Error::format(format!("{}: {}", r.code, r.detail)))?;
	let Some(transfer) = read.instructions.first() else {
		return Err(Psd2Error::format("the payment names no transfer"));
	};
	let text = sca::payment_challenge(
		&id,
		&tpp.0.name,
		&transfer.amount.to_string(),
		&debtor_iban,
		&request.creditor_name,
		&consent::iban(&request.creditor_account.iban).unwrap_or_default(),
		&transfer.end_to_end_id,
	);
	let row = PaymentRow {
		id: id.clone(),
		tpp: tpp.0.id,
		request_id,
		request: serde_json::to_string(&request).map_err(anyhow::Error::from)?,
		debtor: entry.account,
		pain001: xml.into_bytes(),
		status: "RCVD".into(),
		message: None,
		reason: None,
	};
	let authorisation = keys::new_uuid();
	let (row, authorisation) = match state.store.insert_payment(&row, &authorisation, &text).await?
	{
		Ok(()) => (row, authorisation),
		Err(earlier) => {
			let first = state.store.authorisations(None, Some(&earlier.id)).await?;
			let authorisation = first.first().map(|a| a.id.clone()).unwrap_or_default();
			(earlier, authorisation)
		}
	};
	let status = transaction_status(&state, &row).await?;
	let a = authorisation_of(&state, &authorisation, None, Some(&row.id)).await?;
	let base = format!("/psd2/v1/payments/{PRODUCT}/{}", row.id);
	let answer = json!({
		"transactionStatus": status["transactionStatus"],
		"paymentId": row.id,
		"authorisationId": a.id,
		"scaStatus": a.status,
		"chosenScaMethod": sca_method(),
		"challengeData": challenge(&a),
		"_links": links(&[
			("self", base.clone()),
			("status", format!("{base}/status")),
			("scaStatus", format!("{base}/authorisations/{}", a.id)),
			("authoriseTransaction", format!("{base}/authorisations/{}", a.id)),
		]),
	});
	Ok((StatusCode::CREATED, Json(answer)).into_response())
}

/// The payment as initiated, and its status.
#[utoipa::path(get, path = "/psd2/v1/payments/{product}/{id}", responses(
	(status = 200, description = "the request's fields and transactionStatus"),
	(status = 403, body = Psd2Error)))]
pub async fn get(
	State(state): State<AppState>,
	tpp: Tpp,
	Path((name, id)): Path<(String, String)>,
) -> Psd2Result<Json<Value>> {
	let row = payment_in(&state, &tpp, &name, &id).await?;
	let mut answer: Value = serde_json::from_str(&row.request).map_err(anyhow::Error::from)?;
	let status = transaction_status(&state, &row).await?;
	answer["transactionStatus"] = status["transactionStatus"].clone();
	Ok(Json(answer))
}

/// The payment's status: `RCVD` (waiting for the debtor's signature), `ACTC`, `ACSP`
/// (submitted), `PDNG` (held for a compliance review), `ACSC` (settled, final), `RJCT` (with
/// `reasonCode`, an ISO 20022 status reason), `CANC`.
#[utoipa::path(get, path = "/psd2/v1/payments/{product}/{id}/status", responses(
	(status = 200, description = "transactionStatus, reasonCode, reason"),
	(status = 403, body = Psd2Error)))]
pub async fn status(
	State(state): State<AppState>,
	tpp: Tpp,
	Path((name, id)): Path<(String, String)>,
) -> Psd2Result<Json<Value>> {
	let row = payment_in(&state, &tpp, &name, &id).await?;
	Ok(Json(transaction_status(&state, &row).await?))
}

/// Cancels a payment the debtor has not signed yet (`CANC`).
#[utoipa::path(delete, path = "/psd2/v1/payments/{product}/{id}", responses(
	(status = 204), (status = 409, body = Psd2Error)))]
pub async fn cancel(
	State(state): State<AppState>,
	tpp: Tpp,
	Path((name, id)): Path<(String, String)>,
) -> Psd2Result<StatusCode> {
	let row = payment_in(&state, &tpp, &name, &id).await?;
	if !state.store.move_payment(&row.id, "RCVD", "CANC", None).await? {
		return Err(Psd2Error::new(
			StatusCode::METHOD_NOT_ALLOWED,
			"CANCELLATION_INVALID",
			"only a payment not yet authorised can be cancelled",
		));
	}
	Ok(StatusCode::NO_CONTENT)
}

/// The payment's authorisations.
#[utoipa::path(get, path = "/psd2/v1/payments/{product}/{id}/authorisations", responses(
	(status = 200, description = "authorisationIds")))]
pub async fn authorisations(
	State(state): State<AppState>,
	tpp: Tpp,
	Path((name, id)): Path<(String, String)>,
) -> Psd2Result<Json<Value>> {
	let row = payment_in(&state, &tpp, &name, &id).await?;
	let all = state.store.authorisations(None, Some(&row.id)).await?;
	Ok(Json(json!({ "authorisationIds": all.iter().map(|a| &a.id).collect::<Vec<_>>() })))
}

/// An authorisation's status and challenge.
#[utoipa::path(get, path = "/psd2/v1/payments/{product}/{id}/authorisations/{authorisation}",
	responses((status = 200, description = "scaStatus, challengeData")))]
pub async fn sca_status(
	State(state): State<AppState>,
	tpp: Tpp,
	Path((name, id, authorisation)): Path<(String, String, String)>,
) -> Psd2Result<Json<Value>> {
	let row = payment_in(&state, &tpp, &name, &id).await?;
	let a = authorisation_of(&state, &authorisation, None, Some(&row.id)).await?;
	Ok(Json(json!({ "scaStatus": a.status, "challengeData": challenge(&a) })))
}

/// The debtor's signature over the payment's challenge: the payment is submitted through the
/// gateway. Three wrong signatures reject it.
#[utoipa::path(put, path = "/psd2/v1/payments/{product}/{id}/authorisations/{authorisation}",
	request_body = Authentication, responses(
	(status = 200, description = "scaStatus finalised, transactionStatus"),
	(status = 401, body = Psd2Error), (status = 409, body = Psd2Error)))]
pub async fn authorise(
	State(state): State<AppState>,
	tpp: Tpp,
	Path((name, id, authorisation)): Path<(String, String, String)>,
	request: Result<Json<Authentication>, JsonRejection>,
) -> Psd2Result<Json<Value>> {
	let request = body(request)?;
	let row = payment_in(&state, &tpp, &name, &id).await?;
	let a = authorisation_of(&state, &authorisation, None, Some(&row.id)).await?;
	if row.status != "RCVD" {
		return Err(Psd2Error::status(format!("the payment is {}", row.status)));
	}
	let gateway = gateway(&state)?;
	match check_signature(&state, &a, &request.sca_authentication_data).await? {
		Err(failed) => {
			if failed {
				let reason = "the debtor's authorisation failed";
				state.store.move_payment(&row.id, "RCVD", "RJCT", Some(reason)).await?;
			}
			Err(wrong_signature(failed))
		}
		Ok(()) => {
			if !state.store.move_payment(&row.id, "RCVD", "authorised", None).await? {
				return Err(Psd2Error::status("the payment changed meanwhile (cancelled?)"));
			}
			let source = format!("psd2:{}:{}", tpp.0.id, row.id);
			match gateway.intake.accept(&gateway.db, &row.pain001, &source).await {
				Ok(outcome) => state.store.link_payment(&row.id, outcome.message).await?,
				Err(e) => {
					// Not handed over: signed again later, it goes then.
					log::warn!("payment {}: the gateway could not take it: {e:#}", row.id);
					state.store.move_payment(&row.id, "authorised", "RCVD", None).await?;
					state.store.reopen(&a.id).await?;
					return Err(Psd2Error::new(
						StatusCode::SERVICE_UNAVAILABLE,
						"SERVICE_UNAVAILABLE",
						"the chain could not be reached; sign again later",
					));
				}
			}
			let row = own_payment(&state, &tpp, &id).await?;
			let mut answer = transaction_status(&state, &row).await?;
			answer["scaStatus"] = json!("finalised");
			answer["_links"] =
				links(&[("status", format!("/psd2/v1/payments/{PRODUCT}/{}/status", row.id))]);
			Ok(Json(answer))
		}
	}
}
