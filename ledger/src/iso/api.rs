//! The gateway's REST endpoints, on the ledger's API server and behind its keys: payment
//! messages in (XML bodies, an operator's key), each message's status and status report
//! (`pain.002` or `pacs.002`), an account's statement (`camt.053`) and intraday report (`camt.052`), and the
//! directory and currency table the operator maintains.

use super::{
	books::{CurrencyEntry, DirectoryEntry},
	intake::{Intake, Outcome},
	outbound::{self, Subject, Unavailable},
};
use crate::{
	api::{ApiResult, AppState},
	problem::Problem,
	queries::Caller,
	views::holder_address,
};
use axum::{
	body::Bytes,
	extract::{DefaultBodyLimit, Path, Query, State},
	http::{header, StatusCode},
	response::{IntoResponse, Response},
	routing::{get, post, put},
	Json, Router,
};
use serde::{Deserialize, Serialize};
use tpwallet_gateway::{Kind, Timestamp};

/// The largest payment message taken (the reader's own limit).
pub const MAX_MESSAGE: usize = 4 * 1024 * 1024;

/// The gateway's part of the server: its submitting side.
pub struct Gateway {
	pub intake: Intake,
	/// The database, for the submitting side's own connection.
	pub db: String,
}

impl Gateway {
	pub fn new(intake: Intake, db: &str) -> Self {
		Self { intake, db: db.into() }
	}
}

#[derive(utoipa::OpenApi)]
#[openapi(
	paths(
		receive,
		message,
		status_report,
		put_directory,
		currencies,
		put_currency,
		statement,
		intraday
	),
	components(schemas(Outcome, MessageView, TransferView, DirectoryEntry, CurrencyEntry))
)]
pub struct IsoDoc;

/// The gateway's routes (answering `gateway-off` when it is not on).
pub fn routes(router: Router<AppState>) -> Router<AppState> {
	router
		.route(
			"/v1/iso20022/messages",
			post(receive).route_layer(DefaultBodyLimit::max(MAX_MESSAGE)),
		)
		.route("/v1/iso20022/messages/{id}", get(message))
		.route("/v1/iso20022/messages/{id}/status-report", get(status_report))
		.route("/v1/iso20022/directory/{key}", put(put_directory))
		.route("/v1/iso20022/currencies", get(currencies))
		.route("/v1/iso20022/currencies/{currency}", put(put_currency))
		.route("/v1/iso20022/accounts/{account}/statement", get(statement))
		.route("/v1/iso20022/accounts/{account}/report", get(intraday))
}

pub(crate) fn gateway(state: &AppState) -> ApiResult<&Gateway> {
	state.gateway.as_deref().ok_or_else(|| {
		Problem::not_found(
			"gateway-off",
			"the ISO 20022 gateway is not on (start tpw-ledger with --gateway-suri and --gateway-bic)",
		)
	})
}

fn xml(body: String) -> Response {
	([(header::CONTENT_TYPE, "application/xml; charset=utf-8")], body).into_response()
}

fn unavailable(reason: Unavailable) -> Problem {
	let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
	match reason {
		Unavailable::Unreadable(detail) => Problem::new(
			unprocessable,
			"unreadable-message",
			"The message could not be read",
			format!("it has no MsgId to report on; it was refused with {detail}"),
		),
		Unavailable::NotBooked(detail) => {
			Problem::new(StatusCode::CONFLICT, "not-booked", "Not in the books yet", detail)
		}
		Unavailable::TooManyEntries(n) => Problem::new(
			unprocessable,
			"too-many-entries",
			"Too many entries for one report",
			format!("{n} entries; at most {} (ask for intraday reports)", outbound::MAX_ENTRIES),
		),
		Unavailable::Unrepresentable(detail) => {
			Problem::new(unprocessable, "unrepresentable", "Not expressible in ISO 20022", detail)
		}
	}
}

/// A payment message (`pain.001.001.03`/`09`, `pacs.008.001.08`) as the request body. Answers
/// 202 with each transfer's outcome (submitted, or refused with its ISO code), or 422 when the
/// whole message is refused (not XML, a DTD, a schema violation, wrong counts: `FF01`, `AM18`,
/// …). An operator's key.
#[utoipa::path(post, path = "/v1/iso20022/messages", request_body(content = String, content_type = "application/xml"), responses(
	(status = 202, body = Outcome), (status = 422, body = Outcome),
	(status = 401, body = Problem, content_type = "application/problem+json"),
	(status = 413, description = "Over 4 MiB")))]
async fn receive(
	State(state): State<AppState>,
	caller: Caller,
	body: Bytes,
) -> ApiResult<Response> {
	caller.operator()?;
	let gateway = gateway(&state)?;
	let source = format!("api:{}", caller.key_id);
	let outcome = gateway.intake.accept(&gateway.db, &body, &source).await?;
	let status = if outcome.reason_code.is_some() {
		StatusCode::UNPROCESSABLE_ENTITY
	} else {
		StatusCode::ACCEPTED
	};
	Ok((status, Json(outcome)).into_response())
}

/// A transfer's state, as recorded.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct TransferView {
	end_to_end_id: String,
	/// `submitted`, `settled`, `pending` (held for review) or `rejected`.
	status: String,
	reason_code: Option<String>,
	reason: Option<String>,
	debtor: Option<String>,
	creditor: Option<String>,
	asset: Option<u32>,
	/// In the token's units, a decimal string.
	units: Option<String>,
	extrinsic: Option<String>,
	block: Option<u32>,
	extrinsic_index: Option<u32>,
	/// The compliance pallet's review case, for a transfer held for review.
	review_case: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct MessageView {
	id: i64,
	msg_id: Option<String>,
	kind: Option<String>,
	reason_code: Option<String>,
	reason: Option<String>,
	transfers: Vec<TransferView>,
}

fn message_id(id: &str) -> ApiResult<i64> {
	id.parse().map_err(|_| Problem::bad_request(format!("`{id}` is not a message number")))
}

/// A message received and what became of each of its transfers. An operator's key.
#[utoipa::path(get, path = "/v1/iso20022/messages/{id}", responses(
	(status = 200, body = MessageView), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn message(
	State(state): State<AppState>,
	caller: Caller,
	Path(id): Path<String>,
) -> ApiResult<Json<MessageView>> {
	caller.operator()?;
	let row = state.store.message(message_id(&id)?).await?.ok_or_else(|| no_message(&id))?;
	let payments = state.store.payments_of(row.id).await?;
	Ok(Json(MessageView {
		id: row.id,
		msg_id: row.msg_id,
		kind: row.kind,
		reason_code: row.reason_code,
		reason: row.reason,
		transfers: payments
			.into_iter()
			.map(|p| TransferView {
				end_to_end_id: p.end_to_end_id,
				status: p.status,
				reason_code: p.reason_code,
				reason: p.reason,
				debtor: p.debtor,
				creditor: p.creditor,
				asset: p.asset,
				units: p.units.map(|u| u.to_string()),
				extrinsic: p.extrinsic.map(|h| format!("0x{}", hex::encode(h))),
				block: p.block,
				extrinsic_index: p.extrinsic_index,
				review_case: p.review_case,
			})
			.collect(),
	}))
}

fn no_message(id: &str) -> Problem {
	Problem::not_found("unknown-message", format!("no message {id} was received"))
}

/// The message's payment status report (`pain.002.001.10` for a `pain.001`, `pacs.002.001.10`
/// for a `pacs.008`), as of now: `ACSP` once submitted, `ACSC` once final, `PDNG` if held for
/// review, `RJCT` with the reason. An operator's key.
#[utoipa::path(get, path = "/v1/iso20022/messages/{id}/status-report", responses(
	(status = 200, content_type = "application/xml", body = String),
	(status = 422, body = Problem, content_type = "application/problem+json")))]
async fn status_report(
	State(state): State<AppState>,
	caller: Caller,
	Path(id): Path<String>,
) -> ApiResult<Response> {
	caller.operator()?;
	let gateway = gateway(&state)?;
	let row = state.store.message(message_id(&id)?).await?.ok_or_else(|| no_message(&id))?;
	match outbound::status_report(&state.store, &gateway.intake.agent, &row).await? {
		Ok(report) => Ok(xml(report)),
		Err(reason) => Err(unavailable(reason)),
	}
}

#[derive(Deserialize, utoipa::ToSchema)]
struct DirectoryBody {
	/// The chain account (SS58 or 0x + 64 hex).
	account: String,
	/// The owner's name, for the reports.
	owner: Option<String>,
}

/// Sets how messages name a chain account: `iban:<IBAN>`, `acct:<BIC8>:<scheme>:<id>` or
/// `proxy:<type>:<id>`. An operator's key.
#[utoipa::path(put, path = "/v1/iso20022/directory/{key}", request_body = DirectoryBody, responses(
	(status = 200, body = DirectoryEntry), (status = 400, body = Problem, content_type = "application/problem+json")))]
async fn put_directory(
	State(state): State<AppState>,
	caller: Caller,
	Path(key): Path<String>,
	body: Result<Json<DirectoryBody>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<Json<DirectoryEntry>> {
	caller.operator()?;
	let Json(body) = body.map_err(|e| Problem::bad_request(e.body_text()))?;
	let well_formed = ["iban:", "acct:", "proxy:"].iter().any(|p| key.starts_with(p))
		&& key.len() <= 256
		&& !key.chars().any(char::is_whitespace);
	if !well_formed {
		return Err(Problem::bad_request(format!(
			"key `{key}`: `iban:<IBAN>`, `acct:<BIC8>:<scheme>:<id>` or `proxy:<type>:<id>`, \
			 without spaces, at most 256 characters"
		)));
	}
	let account = holder_address(&body.account).map_err(|_| {
		Problem::bad_request(format!("`{}` is not an account address", body.account))
	})?;
	if body.owner.as_ref().is_some_and(|o| o.is_empty() || o.chars().count() > 140) {
		return Err(Problem::bad_request("an owner's name has 1 to 140 characters"));
	}
	let entry = DirectoryEntry { key, account, owner: body.owner };
	state.store.put_directory(&entry).await?;
	Ok(Json(entry))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct CurrencyBody {
	asset: u32,
	/// The token's decimals (0 to 18).
	decimals: u8,
}

/// Sets the token that carries a currency (ISO 4217, three capital letters). An operator's key.
#[utoipa::path(put, path = "/v1/iso20022/currencies/{currency}", request_body = CurrencyBody, responses(
	(status = 200, body = CurrencyEntry), (status = 400, body = Problem, content_type = "application/problem+json")))]
async fn put_currency(
	State(state): State<AppState>,
	caller: Caller,
	Path(currency): Path<String>,
	body: Result<Json<CurrencyBody>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<Json<CurrencyEntry>> {
	caller.operator()?;
	let Json(body) = body.map_err(|e| Problem::bad_request(e.body_text()))?;
	if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
		return Err(Problem::bad_request(format!("`{currency}` is not an ISO 4217 code (`EUR`)")));
	}
	if body.decimals > 18 {
		return Err(Problem::bad_request("a token has 0 to 18 decimals"));
	}
	let entry = CurrencyEntry { currency, asset: body.asset, decimals: body.decimals };
	if state
		.store
		.currencies()
		.await?
		.iter()
		.any(|c| c.asset == entry.asset && c.currency != entry.currency)
	{
		return Err(Problem::new(
			StatusCode::CONFLICT,
			"token-taken",
			"The token carries another currency",
			format!("token {} already carries another currency", entry.asset),
		));
	}
	state.store.put_currency(&entry).await?;
	Ok(Json(entry))
}

/// The currency table.
#[utoipa::path(get, path = "/v1/iso20022/currencies", responses((status = 200, body = Vec<CurrencyEntry>)))]
async fn currencies(
	State(state): State<AppState>,
	_caller: Caller,
) -> ApiResult<Json<Vec<CurrencyEntry>>> {
	Ok(Json(state.store.currencies().await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ReportQuery {
	/// The currency (its token) reported on.
	currency: String,
	/// The day (UTC), `YYYY-MM-DD`: the period of an end-of-day statement (a day that is over)
	/// or of an intraday report (today if omitted).
	date: Option<String>,
	/// Instead of `date`, a statement on demand: from this instant (`YYYY-MM-DDThh:mm:ssZ`)…
	from: Option<String>,
	/// …to this one (inclusive), which must be over in the books.
	to: Option<String>,
}

/// An account's end-of-day statement (`camt.053.001.08`) for a UTC day that is over.
#[utoipa::path(get, path = "/v1/iso20022/accounts/{account}/statement", params(ReportQuery), responses(
	(status = 200, content_type = "application/xml", body = String),
	(status = 409, body = Problem, content_type = "application/problem+json")))]
async fn statement(
	state: State<AppState>,
	caller: Caller,
	account: Path<String>,
	query: Query<ReportQuery>,
) -> ApiResult<Response> {
	account_report(state, caller, account, query, Kind::Statement).await
}

/// An account's intraday report (`camt.052.001.08`): the day so far, as booked.
#[utoipa::path(get, path = "/v1/iso20022/accounts/{account}/report", params(ReportQuery), responses(
	(status = 200, content_type = "application/xml", body = String),
	(status = 404, body = Problem, content_type = "application/problem+json")))]
async fn intraday(
	state: State<AppState>,
	caller: Caller,
	account: Path<String>,
	query: Query<ReportQuery>,
) -> ApiResult<Response> {
	account_report(state, caller, account, query, Kind::Intraday).await
}

/// `YYYY-MM-DDThh:mm:ss[.fff](Z|+00:00)`, UTC only.
fn parse_instant(text: &str) -> Option<Timestamp> {
	let rest = text.strip_suffix('Z').or_else(|| text.strip_suffix("+00:00"))?;
	let (date, time) = rest.split_once('T')?;
	let day = parse_day(date)?;
	let (hms, millis) = time.split_once('.').unwrap_or((time, "0"));
	let mut parts = hms.splitn(3, ':');
	let (h, m, s): (u64, u64, u64) =
		(parts.next()?.parse().ok()?, parts.next()?.parse().ok()?, parts.next()?.parse().ok()?);
	if hms.len() != 8 || h > 23 || m > 59 || s > 59 || millis.len() > 3 {
		return None;
	}
	let ms: u64 = format!("{millis:0<3}").parse().ok()?;
	Some(Timestamp(day.0 + ((h * 60 + m) * 60 + s) * 1000 + ms))
}

/// `YYYY-MM-DD` as the day's first millisecond.
pub(crate) fn parse_day(text: &str) -> Option<Timestamp> {
	let mut parts = text.splitn(3, '-');
	let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
	let (y, m, d): (u64, u64, u64) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
	if y < 1970 || !(1..=12).contains(&m) || !(1..=31).contains(&d) || text.len() != 10 {
		return None;
	}
	let t = Timestamp::from_date(y, m, d);
	(t.date() == text).then_some(t)
}

/// The report's period: a day, or (statements) two instants.
fn period(query: &ReportQuery, kind: Kind) -> ApiResult<(Timestamp, Timestamp)> {
	let instant = |text: &Option<String>, name: &str| -> ApiResult<Option<Timestamp>> {
		text.as_deref()
			.map(|t| {
				parse_instant(t).ok_or_else(|| {
					Problem::bad_request(format!("{name} `{t}`: expected YYYY-MM-DDThh:mm:ssZ"))
				})
			})
			.transpose()
	};
	match (&query.date, instant(&query.from, "from")?, instant(&query.to, "to")?) {
		(None, Some(from), Some(to)) if kind == Kind::Statement => {
			if from > to {
				return Err(Problem::bad_request("`from` is after `to`"));
			}
			Ok((from, to))
		}
		(Some(text), None, None) => {
			let day = parse_day(text).ok_or_else(|| {
				Problem::bad_request(format!("date `{text}`: expected YYYY-MM-DD"))
			})?;
			// To the day's last millisecond: a block in its last second belongs to it.
			Ok((day, Timestamp(day.end_of_day().0 + 999)))
		}
		(None, None, None) if kind == Kind::Intraday => {
			let now = Timestamp::now();
			Ok((now.start_of_day(), Timestamp(now.end_of_day().0 + 999)))
		}
		_ if kind == Kind::Statement => {
			Err(Problem::bad_request("a statement needs `date`, or `from` and `to`"))
		}
		_ => Err(Problem::bad_request("an intraday report takes `date` or nothing")),
	}
}

async fn account_report(
	State(state): State<AppState>,
	caller: Caller,
	Path(account): Path<String>,
	Query(query): Query<ReportQuery>,
	kind: Kind,
) -> ApiResult<Response> {
	let gateway = gateway(&state)?;
	let holder = holder_address(&account)
		.map_err(|_| Problem::bad_request(format!("`{account}` is not an account address")))?;
	if !caller.may_read(&holder) {
		return Err(Problem::forbidden(format!("this key may not read account {holder}")));
	}
	let currencies = state.store.currencies().await?;
	let currency = currencies.iter().find(|c| c.currency == query.currency).ok_or_else(|| {
		Problem::not_found("unknown-currency", format!("no token carries {}", query.currency))
	})?;
	let name = state.store.directory_of(&holder).await?.ok_or_else(|| {
		Problem::not_found(
			"unknown-account",
			format!("account {holder} is not in the directory (reports name it as banks do)"),
		)
	})?;
	let period = period(&query, kind)?;
	let subject = Subject { holder: &holder, name: &name, currency, agent: &gateway.intake.agent };
	match outbound::account_report(&state.store, &subject, kind, period).await? {
		Ok(report) => Ok(xml(report)),
		Err(reason) => Err(unavailable(reason)),
	}
}
