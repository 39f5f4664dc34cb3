//! Account information under a consent: the accounts it names, their balances (booked at the
//! end of yesterday and now, from the finalized books) and their booked transactions over a
//! period, with the payment message's references where the gateway made the move.

use super::{
	api::{links, usable_consent, Tpp},
	consent::{self, Grant, Service},
	error::{Psd2Error, Psd2Result},
};
use crate::{
	api::AppState,
	iso::{
		api::gateway,
		books::{CurrencyEntry, DirectoryEntry},
		outbound::{self, Subject, Unavailable},
	},
	postings,
};
use axum::{
	extract::{Path, Query, State},
	http::{HeaderMap, StatusCode},
	Json,
};
use serde::Deserialize;
use serde_json::{json, Value};
use tpwallet_gateway::{AccountRef, Amount, Entry, Kind, Timestamp};

/// The longest period one transactions request covers.
pub const MAX_PERIOD_DAYS: u64 = 93;
const MS_PER_DAY: u64 = 86_400_000;

/// `units` (signed) of a currency with `decimals`, as the framework's amount.
fn amount(units: i128, currency: &CurrencyEntry) -> Value {
	let text = Amount::from_units(units.unsigned_abs(), currency.decimals, &currency.currency);
	let sign = if units < 0 { "-" } else { "" };
	json!({ "currency": currency.currency, "amount": format!("{sign}{}", text.decimal()) })
}

/// The account as the framework describes it.
fn account_view(grant: &Grant, owner: Option<&str>) -> Value {
	let id = grant.resource_id();
	let mut service = vec![("account", format!("/psd2/v1/accounts/{id}"))];
	if grant.balances {
		service.push(("balances", format!("/psd2/v1/accounts/{id}/balances")));
	}
	if grant.transactions {
		service.push(("transactions", format!("/psd2/v1/accounts/{id}/transactions")));
	}
	json!({
		"resourceId": id,
		"iban": grant.iban,
		"currency": grant.currency,
		"name": owner,
		"cashAccountType": "CACC",
		"status": "enabled",
		"usage": "PRIV",
		"_links": links(&service),
	})
}

/// What one account of a consent stands for in the books.
struct Resolved {
	grant: Grant,
	name: DirectoryEntry,
	currency: CurrencyEntry,
}

/// The grant for `id` allowing `service`, with its directory entry and token.
async fn resolve(
	state: &AppState,
	grants: &[Grant],
	id: &str,
	service: Service,
) -> Psd2Result<Resolved> {
	let grant = consent::allowed(grants, id, service).cloned().ok_or_else(|| {
		Psd2Error::forbidden(
			"CONSENT_INVALID",
			format!("the consent does not grant this of account {id}"),
		)
	})?;
	let key = format!("iban:{}", grant.iban);
	let name = state.store.directory(std::slice::from_ref(&key)).await?.remove(&key);
	let name = name.ok_or_else(|| {
		Psd2Error::forbidden(
			"RESOURCE_UNKNOWN",
			format!("{} is no longer an account here", grant.iban),
		)
	})?;
	let currencies = state.store.currencies().await?;
	let currency = currencies.into_iter().find(|c| c.currency == grant.currency);
	let currency = currency.ok_or_else(|| {
		Psd2Error::forbidden("RESOURCE_UNKNOWN", format!("no token carries {}", grant.currency))
	})?;
	Ok(Resolved { grant, name, currency })
}

/// The accounts the consent (`Consent-ID`) names.
#[utoipa::path(get, path = "/psd2/v1/accounts", responses(
	(status = 200, description = "accounts"), (status = 401, body = Psd2Error),
	(status = 429, body = Psd2Error)),
	params(("Consent-ID" = String, Header, description = "The consent read under")))]
pub async fn list(
	State(state): State<AppState>,
	tpp: Tpp,
	headers: HeaderMap,
) -> Psd2Result<Json<Value>> {
	let (_, grants) = usable_consent(&state, &tpp, &headers).await?;
	let keys: Vec<String> = grants.iter().map(|g| format!("iban:{}", g.iban)).collect();
	let names = state.store.directory(&keys).await?;
	let accounts: Vec<Value> = grants
		.iter()
		.zip(&keys)
		.filter_map(|(g, key)| {
			let entry = names.get(key)?;
			Some(account_view(g, entry.owner.as_deref()))
		})
		.collect();
	Ok(Json(json!({ "accounts": accounts })))
}

/// One account's details.
#[utoipa::path(get, path = "/psd2/v1/accounts/{account}", responses(
	(status = 200, description = "account"), (status = 403, body = Psd2Error)))]
pub async fn details(
	State(state): State<AppState>,
	tpp: Tpp,
	headers: HeaderMap,
	Path(account): Path<String>,
) -> Psd2Result<Json<Value>> {
	let (_, grants) = usable_consent(&state, &tpp, &headers).await?;
	let r = resolve(&state, &grants, &account, Service::Account).await?;
	Ok(Json(json!({ "account": account_view(&r.grant, r.name.owner.as_deref()) })))
}

/// An account's balances from the finalized books: `closingBooked` at the end of yesterday
/// (UTC) and `interimBooked` after the last booked block.
#[utoipa::path(get, path = "/psd2/v1/accounts/{account}/balances", responses(
	(status = 200, description = "account, balances"), (status = 403, body = Psd2Error)))]
pub async fn balances(
	State(state): State<AppState>,
	tpp: Tpp,
	headers: HeaderMap,
	Path(account): Path<String>,
) -> Psd2Result<Json<Value>> {
	let (_, grants) = usable_consent(&state, &tpp, &headers).await?;
	let r = resolve(&state, &grants, &account, Service::Balances).await?;
	let booked = state.store.cursor().await?.map_or(0, |c| c.block);
	let beyond = booked.saturating_add(1);
	let today = Timestamp::now().start_of_day();
	let first_today = state.store.first_block_at_or_after(today.0).await?.unwrap_or(beyond);
	let book = postings::asset_free(&r.name.account, r.currency.asset);
	let closing = state.store.balance_before(&book, first_today).await?;
	let now = state.store.balance_before(&book, beyond).await?;
	let at = match booked {
		0 => None,
		block => state.store.block_time(block).await?,
	};
	let yesterday = Timestamp(today.0.saturating_sub(MS_PER_DAY));
	Ok(Json(json!({
		"account": { "iban": r.grant.iban, "currency": r.grant.currency },
		"balances": [
			{
				"balanceType": "closingBooked",
				"balanceAmount": amount(closing, &r.currency),
				"referenceDate": yesterday.date(),
			},
			{
				"balanceType": "interimBooked",
				"balanceAmount": amount(now, &r.currency),
				"referenceDate": today.date(),
				"lastChangeDateTime": at.map(|t| Timestamp(t).datetime()),
				"lastCommittedTransaction": format!("block {booked}"),
			},
		],
	})))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct TransactionsQuery {
	/// `booked` (the finalized books; `pending` and `both` are not offered).
	booking_status: String,
	/// The first day, `YYYY-MM-DD`.
	date_from: String,
	/// The last day, `YYYY-MM-DD` (today if omitted).
	date_to: Option<String>,
}

/// An account reference as the framework writes it (an IBAN; other identifications are not
/// carried by this API).
fn reference(account: &Option<AccountRef>) -> Option<Value> {
	match account {
		Some(AccountRef::Iban(iban)) => Some(json!({ "iban": iban })),
		_ => None,
	}
}

/// A booked entry as the framework's transaction.
fn transaction(entry: &Entry, currency: &CurrencyEntry) -> Value {
	let units = i128::try_from(entry.units).unwrap_or(i128::MAX);
	let signed = if entry.credit { units } else { -units };
	let code = entry.code;
	let date = entry.chain.at.date();
	json!({
		"transactionId": format!("{}-{}", entry.chain.block, entry.chain.index),
		"entryReference": entry.chain.hash,
		"endToEndId": entry.refs.end_to_end_id,
		"bookingDate": date,
		"valueDate": date,
		"transactionAmount": amount(signed, currency),
		"creditorName": entry.creditor.name,
		"creditorAccount": reference(&entry.creditor_account),
		"debtorName": entry.debtor.name,
		"debtorAccount": reference(&entry.debtor_account),
		"remittanceInformationUnstructured":
			(!entry.remittance.is_empty()).then(|| entry.remittance.join(" ")),
		"bankTransactionCode": format!("{}-{}-{}", code.domain, code.family, code.sub_family),
		"additionalInformation": entry.description,
	})
}

/// An account's booked transactions from `dateFrom` to `dateTo` (at most 93 days), from the
/// finalized books.
#[utoipa::path(get, path = "/psd2/v1/accounts/{account}/transactions", params(TransactionsQuery),
	responses((status = 200, description = "account, transactions.booked"),
	(status = 400, body = Psd2Error), (status = 403, body = Psd2Error)))]
pub async fn transactions(
	State(state): State<AppState>,
	tpp: Tpp,
	headers: HeaderMap,
	Path(account): Path<String>,
	query: Result<Query<TransactionsQuery>, axum::extract::rejection::QueryRejection>,
) -> Psd2Result<Json<Value>> {
	let Query(query) =
		query.map_err(|e| Psd2Error::format(format!("query string: {}", e.body_text())))?;
	if query.booking_status != "booked" {
		return Err(Psd2Error::new(
			StatusCode::BAD_REQUEST,
			"PARAMETER_NOT_SUPPORTED",
			format!("bookingStatus `{}`: this ASPSP offers `booked`", query.booking_status),
		));
	}
	let day = |text: &str, name: &str| {
		consent::day(text).ok_or_else(|| Psd2Error::format(format!("{name} `{text}`: YYYY-MM-DD")))
	};
	let from = day(&query.date_from, "dateFrom")?;
	let to = match &query.date_to {
		Some(text) => day(text, "dateTo")?,
		None => Timestamp::now().start_of_day(),
	};
	if from > to || to.0 - from.0 >= MAX_PERIOD_DAYS * MS_PER_DAY {
		return Err(Psd2Error::new(
			StatusCode::BAD_REQUEST,
			"PERIOD_INVALID",
			format!("dateFrom to dateTo: at most {MAX_PERIOD_DAYS} days, in order"),
		));
	}
	let (_, grants) = usable_consent(&state, &tpp, &headers).await?;
	let r = resolve(&state, &grants, &account, Service::Transactions).await?;
	let agent = gateway(&state)?.intake.agent.clone();
	let subject =
		Subject { holder: &r.name.account, name: &r.name, currency: &r.currency, agent: &agent };
	let period = (from, Timestamp(to.end_of_day().0 + 999));
	let book = match outbound::account_book(&state.store, &subject, Kind::Intraday, period).await? {
		Ok(book) => book,
		Err(Unavailable::TooManyEntries(n)) => {
			return Err(Psd2Error::new(
				StatusCode::BAD_REQUEST,
				"PERIOD_INVALID",
				format!("{n} transactions; ask for a shorter period"),
			))
		}
		Err(other) => {
			return Err(Psd2Error::new(
				StatusCode::SERVICE_UNAVAILABLE,
				"SERVICE_UNAVAILABLE",
				format!("{other:?}"),
			))
		}
	};
	let booked: Vec<Value> = book.entries.iter().map(|e| transaction(e, &r.currency)).collect();
	Ok(Json(json!({
		"account": { "iban": r.grant.iban, "currency": r.grant.currency },
		"transactions": {
			"booked": booked,
			"_links": links(&[("account", format!("/psd2/v1/accounts/{account}"))]),
		},
	})))
}
