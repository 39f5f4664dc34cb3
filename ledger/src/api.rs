//! The REST API: accounts, balances, the journal, the audit export and webhook subscriptions,
//! behind API keys (`Authorization: Bearer tpwl_…` or `X-API-Key`) scoped to sets of accounts.
//! Lists are paged (`after` and `limit`, with `next` to pass back). Every error is
//! `application/problem+json` ([`Problem`]); bad input is a 4xx, never a 500. The OpenAPI 3
//! document is generated from the handlers (`GET /openapi.json`).

use crate::{
	extrinsic::Seen,
	keys,
	pending::{PendingView, SharedPending},
	problem::Problem,
	queries::{Caller, Delivery, Subscription},
	store::Store,
	timeline::{self as timelines, Activity, Step, Timeline},
	views::{holder_address, AlertView, BalanceView, EntryView, StatusView},
};
use axum::{
	extract::{
		rejection::{JsonRejection, QueryRejection},
		DefaultBodyLimit, FromRequestParts, Path, Query, State,
	},
	http::{header, request::Parts, StatusCode},
	response::{IntoResponse, Response},
	routing::{get, post},
	Json, Router,
};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tpw_client::chain::Chain;
use utoipa::{
	openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
	IntoParams, Modify, OpenApi, ToSchema,
};

/// The largest page a list returns.
pub const MAX_PAGE: i64 = 1000;
/// The most entries one audit export returns (ask again from where it stopped).
pub const MAX_EXPORT: i64 = 10_000;
/// The largest request body (webhook subscriptions are the only bodies).
pub const MAX_BODY: usize = 16 * 1024;
/// Bounds of a webhook subscription.
pub const MAX_URL: usize = 2048;
pub const MAX_FILTER: usize = 256;

pub struct ApiState {
	pub store: Store,
	/// The unfinalized blocks' entries, when the server follows the chain (`tpw-ledger run`).
	pub pending: Option<SharedPending>,
	/// The node, asked for its pool when a transaction is in no block yet.
	pub node: Option<Node>,
	/// The ISO 20022 gateway, when it is on.
	pub gateway: Option<Arc<crate::iso::api::Gateway>>,
}

/// The node's pool, read on demand over one connection made when first needed.
pub struct Node {
	url: String,
	chain: tokio::sync::Mutex<Option<Chain>>,
}

impl Node {
	pub fn new(url: &str) -> Self {
		Self { url: url.into(), chain: tokio::sync::Mutex::new(None) }
	}

	/// The transactions in the node's pool; the connection is made again after a failure.
	async fn pool(&self) -> ApiResult<Vec<Seen>> {
		let mut chain = self.chain.lock().await;
		if chain.is_none() {
			*chain = Some(Chain::connect(&self.url).await.map_err(Problem::node_unreachable)?);
		}
		let pooled = match chain.as_ref() {
			Some(node) => node.pool().await,
			None => return Err(Problem::node_unreachable("not connected")),
		};
		match pooled {
			Ok(pooled) => Ok(pooled.iter().map(|x| Seen::new(x)).collect()),
			Err(e) => {
				*chain = None;
				Err(Problem::node_unreachable(e))
			}
		}
	}
}

pub(crate) type AppState = Arc<ApiState>;
pub(crate) type ApiResult<T> = Result<T, Problem>;

/// The router, with the OpenAPI document at `/openapi.json`.
pub fn router(
	store: Store,
	pending: Option<SharedPending>,
	node: Option<Node>,
	gateway: Option<Arc<crate::iso::api::Gateway>>,
) -> Router {
	crate::psd2::api::routes(crate::iso::api::routes(Router::new()))
		.route("/health", get(health))
		.route("/openapi.json", get(openapi))
		.route("/metrics", get(metrics))
		.route("/v1/status", get(status))
		.route("/v1/accounts", get(accounts))
		.route("/v1/accounts/{account}/balances", get(balances))
		.route("/v1/accounts/{account}/journal", get(account_journal))
		.route("/v1/accounts/{account}/timeline", get(account_timeline))
		.route("/v1/journal", get(journal))
		.route("/v1/extrinsics/{hash}/timeline", get(timeline))
		.route("/v1/audit/export", get(audit_export))
		.route("/v1/alerts", get(alerts))
		.route("/v1/webhooks", post(create_webhook).get(list_webhooks))
		.route("/v1/webhooks/{id}", axum::routing::delete(delete_webhook))
		.route("/v1/webhooks/{id}/deliveries", get(deliveries))
		.route("/v1/webhooks/{id}/deliveries/redrive", post(redrive))
		.fallback(|| async {
			Problem::not_found("no-such-route", "no such endpoint; see /openapi.json")
		})
		.method_not_allowed_fallback(|| async {
			Problem::new(
				StatusCode::METHOD_NOT_ALLOWED,
				"method-not-allowed",
				"Method not allowed",
				"this endpoint does not take that method; see /openapi.json",
			)
		})
		.layer(DefaultBodyLimit::max(MAX_BODY))
		.with_state(Arc::new(ApiState { store, pending, node, gateway }))
}

#[derive(OpenApi)]
#[openapi(
	info(
		title = "tpw-ledger",
		description = "The tpwallet chain's finalized balances as a double-entry journal: \
		accounts, balances, the journal, its audit export and webhook subscriptions. Amounts are \
		decimal strings in the chain's smallest unit. Errors are RFC 9457 problem details."
	),
	paths(
		health, status, accounts, balances, account_journal, account_timeline, journal, timeline,
		audit_export, alerts,
		create_webhook, list_webhooks, delete_webhook, deliveries, redrive
	),
	components(schemas(Problem, EntryView, BalanceView, Timeline, Step, Activity)),
	modifiers(&KeySchemes),
	security(("bearer" = []), ("api_key" = []))
)]
pub struct ApiDoc;

/// The OpenAPI 3 document: the ledger's endpoints, the gateway's and the open-banking API's.
pub fn document() -> utoipa::openapi::OpenApi {
	let mut doc = ApiDoc::openapi();
	doc.merge(crate::iso::api::IsoDoc::openapi());
	doc.merge(crate::psd2::api::Psd2Doc::openapi());
	doc
}

struct KeySchemes;

impl Modify for KeySchemes {
	fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
		let components = openapi.components.get_or_insert_with(Default::default);
		components.add_security_scheme(
			"bearer",
			SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
		);
		components.add_security_scheme(
			"api_key",
			SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-API-Key"))),
		);
	}
}

/// Prometheus metrics (counts only, no account data, so no key): the last block booked, entries,
/// reconciliation alerts, webhook deliveries pending and dead, and the pending view's reach.
async fn metrics(State(state): State<AppState>) -> ApiResult<Response> {
	let counts = state.store.metrics().await?;
	let mut out = String::new();
	let mut metric = |name: &str, kind: &str, help: &str, value: i64| {
		out.push_str(&format!("# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}\n"));
	};
	metric("tpw_ledger_booked_block", "gauge", "The last finalized block booked.", counts.block);
	metric("tpw_ledger_entries_total", "counter", "Journal entries booked.", counts.entries);
	metric(
		"tpw_ledger_alerts_total",
		"counter",
		"Differences between the books and the chain found by reconciliation.",
		counts.alerts,
	);
	metric(
		"tpw_ledger_webhooks_pending",
		"gauge",
		"Webhook deliveries not yet made.",
		counts.pending,
	);
	metric(
		"tpw_ledger_webhooks_dead",
		"gauge",
		"Webhook deliveries given up (dead letters).",
		counts.dead,
	);
	if let Some(pending) = &state.pending {
		let view = pending.read().unwrap_or_else(|e| e.into_inner()).clone();
		metric(
			"tpw_ledger_best_block",
			"gauge",
			"The best block the pending view reaches.",
			i64::from(view.best),
		);
	}
	Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out).into_response())
}

async fn openapi() -> Response {
	([(header::CONTENT_TYPE, "application/json")], document().to_pretty_json().unwrap_or_default())
		.into_response()
}

impl FromRequestParts<AppState> for Caller {
	type Rejection = Problem;

	async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
		let headers = &parts.headers;
		let key = headers
			.get(header::AUTHORIZATION)
			.and_then(|v| v.to_str().ok())
			.and_then(|v| v.strip_prefix("Bearer "))
			.or_else(|| headers.get("x-api-key").and_then(|v| v.to_str().ok()))
			.ok_or_else(|| {
				Problem::unauthorized(
					"send an API key as `Authorization: Bearer tpwl_…` or `X-API-Key: tpwl_…` \
					 (an operator creates one with `tpw-ledger api-key create`)",
				)
			})?
			.trim();
		if !keys::well_formed(key) {
			return Err(Problem::unauthorized(
				"that is not an API key (`tpwl_` and 64 hex digits)",
			));
		}
		state
			.store
			.caller(&keys::key_hash(key))
			.await?
			.ok_or_else(|| Problem::unauthorized("unknown or revoked API key"))
	}
}

impl Caller {
	pub(crate) fn operator(&self) -> ApiResult<()> {
		match self.accounts {
			None => Ok(()),
			Some(_) => Err(Problem::forbidden(
				"this key is scoped to accounts; the whole journal needs an operator's key",
			)),
		}
	}
}

/// An account from the path: a valid address (SS58 or 0x-hex), in the key's scope, known to
/// the books. Returned in the books' form (SS58, generic prefix).
async fn holder(state: &ApiState, caller: &Caller, account: &str) -> ApiResult<String> {
	let who = holder_address(account).map_err(|_| {
		Problem::bad_request(format!("`{account}` is not an account address (SS58 or 0x + 64 hex)"))
	})?;
	if !caller.may_read(&who) {
		return Err(Problem::forbidden(format!("this key may not read account {who}")));
	}
	if !state.store.holder_known(&who).await? {
		return Err(Problem::not_found(
			"unknown-account",
			format!(
				"account {who} has no entry in the books (as of the last finalized block booked)"
			),
		));
	}
	Ok(who)
}

/// Paging: entries or accounts after `after`, at most `limit` (1..=1000, default 100).
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct PageQuery {
	/// The `next` of the previous page; omit for the first page.
	after: Option<String>,
	/// At most this many items (1 to 1000; default 100).
	limit: Option<i64>,
}

impl PageQuery {
	fn limit(&self) -> ApiResult<i64> {
		match self.limit.unwrap_or(100) {
			limit @ 1..=MAX_PAGE => Ok(limit),
			limit => Err(Problem::bad_request(format!(
				"limit {limit}: a page holds 1 to {MAX_PAGE} items"
			))),
		}
	}

	fn after_seq(&self) -> ApiResult<i64> {
		self.after.as_deref().map_or(Ok(0), |after| {
			after.parse::<i64>().ok().filter(|seq| *seq >= 0).ok_or_else(|| {
				Problem::bad_request(format!("after `{after}`: expected an entry number"))
			})
		})
	}
}

/// The `next` of a page: the last item's key if the page is full (more may follow).
fn next_after<T>(items: &[T], limit: i64, key: impl Fn(&T) -> String) -> Option<String> {
	(items.len() as i64 == limit).then(|| items.last().map(key)).flatten()
}

/// A page of journal entries; `next` is absent on the last page.
#[derive(Serialize, ToSchema)]
struct EntryPage {
	items: Vec<EntryView>,
	next: Option<String>,
}

#[derive(Serialize, ToSchema)]
struct AccountPage {
	/// Holders, SS58.
	items: Vec<String>,
	next: Option<String>,
}

async fn entry_page(store: &Store, holder: Option<&str>, page: &PageQuery) -> ApiResult<EntryPage> {
	let limit = page.limit()?;
	let seqs = store.entry_seqs(holder, page.after_seq()?, limit).await?;
	let next = next_after(&seqs, limit, i64::to_string);
	let items = store.entries_at(&seqs).await?.iter().map(|(e, h)| EntryView::new(e, h)).collect();
	Ok(EntryPage { items, next })
}

#[utoipa::path(get, path = "/health", security(()), responses((status = 200, description = "The service answers")))]
async fn health() -> Json<serde_json::Value> {
	Json(serde_json::json!({ "status": "ok" }))
}

#[utoipa::path(get, path = "/v1/status", responses(
	(status = 200, body = StatusView), (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn status(State(state): State<AppState>, _caller: Caller) -> ApiResult<Json<StatusView>> {
	Ok(Json(StatusView::new(state.store.cursor().await?.as_ref())))
}

/// Holders in the books that the key may read, in address order.
#[utoipa::path(get, path = "/v1/accounts", params(PageQuery), responses(
	(status = 200, body = AccountPage),
	(status = 400, body = Problem, content_type = "application/problem+json"),
	(status = 401, body = Problem, content_type = "application/problem+json")))]
async fn accounts(
	State(state): State<AppState>,
	caller: Caller,
	page: Result<Query<PageQuery>, QueryRejection>,
) -> ApiResult<Json<AccountPage>> {
	let Query(page) = page?;
	let limit = page.limit()?;
	let items = state
		.store
		.holders(page.after.as_deref().unwrap_or(""), limit, caller.accounts.as_deref())
		.await?;
	let next = next_after(&items, limit, String::clone);
	Ok(Json(AccountPage { items, next }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct BalanceQuery {
	/// `finalized` (default): as of the last finalized block booked. `pending`: with the
	/// entries of the best chain's blocks after it, which a reorg may still change.
	view: Option<String>,
}

/// An account's balances, one per asset (native first): visible (everything) and available
/// (what it can move), with holds by reason.
#[utoipa::path(get, path = "/v1/accounts/{account}/balances",
	params(("account" = String, Path, description = "SS58 address or 0x + 64 hex"), BalanceQuery),
	responses(
		(status = 200, body = [BalanceView]),
		(status = 400, body = Problem, content_type = "application/problem+json"),
		(status = 401, body = Problem, content_type = "application/problem+json"),
		(status = 403, body = Problem, content_type = "application/problem+json"),
		(status = 404, body = Problem, content_type = "application/problem+json")))]
async fn balances(
	State(state): State<AppState>,
	caller: Caller,
	Path(account): Path<String>,
	query: Result<Query<BalanceQuery>, QueryRejection>,
) -> ApiResult<Json<Vec<BalanceView>>> {
	let Query(query) = query?;
	let who = holder(&state, &caller, &account).await?;
	// The cursor first: the balances read after it include at least that block.
	let as_of = state.store.cursor().await?.map_or(0, |c| c.block);
	let mut accounts = state.store.holder_balances(&who).await?;
	let terms = state.store.terms_of(&who).await?;
	match wants_pending(query.view.as_deref())? {
		false => Ok(Json(BalanceView::all(&who, &accounts, &terms, as_of))),
		true => {
			let view = pending_view(&state)?;
			// The view may lag the books by a block: only its blocks after `as_of` count.
			if view.booked == as_of {
				for line in view.holder_lines(&who) {
					accounts.push((line.account.clone(), line.debit as i128 - line.credit as i128));
				}
			}
			let mut summed: std::collections::BTreeMap<String, i128> = Default::default();
			for (account, amount) in accounts {
				*summed.entry(account).or_default() += amount;
			}
			let accounts: Vec<(String, i128)> = summed.into_iter().collect();
			let best = if view.booked == as_of { view.best } else { as_of };
			// The terms as finalized, their lock-ups counted at the best block.
			Ok(Json(BalanceView::all(&who, &accounts, &terms, best)))
		}
	}
}

/// Whether `view` asks for the pending view: `finalized` (the default) or `pending`.
fn wants_pending(view: Option<&str>) -> ApiResult<bool> {
	match view {
		None | Some("finalized") => Ok(false),
		Some("pending") => Ok(true),
		Some(other) => {
			Err(Problem::bad_request(format!("view `{other}`: `finalized` or `pending`")))
		}
	}
}

/// The pending view, if this server follows the chain.
fn pending_view(state: &ApiState) -> ApiResult<PendingView> {
	let pending = state.pending.as_ref().ok_or_else(|| {
		Problem::bad_request(
			"view=pending needs a server that follows the chain (`tpw-ledger run`)",
		)
	})?;
	Ok(pending.read().unwrap_or_else(|e| e.into_inner()).clone())
}

/// The journal entries that move an account, oldest first.
#[utoipa::path(get, path = "/v1/accounts/{account}/journal",
	params(("account" = String, Path, description = "SS58 address or 0x + 64 hex"), PageQuery),
	responses(
		(status = 200, body = EntryPage),
		(status = 400, body = Problem, content_type = "application/problem+json"),
		(status = 401, body = Problem, content_type = "application/problem+json"),
		(status = 403, body = Problem, content_type = "application/problem+json"),
		(status = 404, body = Problem, content_type = "application/problem+json")))]
async fn account_journal(
	State(state): State<AppState>,
	caller: Caller,
	Path(account): Path<String>,
	page: Result<Query<PageQuery>, QueryRejection>,
) -> ApiResult<Json<EntryPage>> {
	let Query(page) = page?;
	let who = holder(&state, &caller, &account).await?;
	Ok(Json(entry_page(&state.store, Some(&who), &page).await?))
}

/// Paging an account's activity, and which view.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ActivityQuery {
	/// The `next` of the previous page; omit for the first page.
	after: Option<String>,
	/// At most this many items (1 to 1000; default 100).
	limit: Option<i64>,
	/// `finalized` (default): what the books hold. `pending`: the last page also lists the
	/// account's transactions in the best chain's unfinalized blocks (`pending`) and in the
	/// node's pool (`submitted`).
	view: Option<String>,
}

/// A page of an account's activity; `next` is absent on the last page.
#[derive(Serialize, ToSchema)]
struct ActivityPage {
	items: Vec<Activity>,
	next: Option<String>,
}

/// What moved an account, oldest first: each transaction with its timeline (submitted,
/// included, finalized or failed, held for review, approved or rejected, settled), and what
/// blocks did outside transactions, with the journal entries that moved the account.
#[utoipa::path(get, path = "/v1/accounts/{account}/timeline",
	params(("account" = String, Path, description = "SS58 address or 0x + 64 hex"), ActivityQuery),
	responses(
		(status = 200, body = ActivityPage),
		(status = 400, body = Problem, content_type = "application/problem+json"),
		(status = 401, body = Problem, content_type = "application/problem+json"),
		(status = 403, body = Problem, content_type = "application/problem+json"),
		(status = 404, body = Problem, content_type = "application/problem+json"),
		(status = 503, body = Problem, content_type = "application/problem+json")))]
async fn account_timeline(
	State(state): State<AppState>,
	caller: Caller,
	Path(account): Path<String>,
	query: Result<Query<ActivityQuery>, QueryRejection>,
) -> ApiResult<Json<ActivityPage>> {
	let Query(query) = query?;
	let page = PageQuery { after: query.after, limit: query.limit };
	let with_pending = wants_pending(query.view.as_deref())?;
	let who = holder(&state, &caller, &account).await?;
	let limit = page.limit()?;
	let mut items = state.store.activity(&who, page.after_seq()?, limit).await?;
	let next = next_after(&items, limit, |a: &Activity| a.seq.unwrap_or_default().to_string());
	if with_pending && next.is_none() {
		let view = pending_view(&state)?;
		let signed_by = |seen: &Seen| seen.signer.as_deref() == Some(who.as_str());
		let included: Vec<&Seen> = view.extrinsics.iter().map(|(seen, _)| seen).collect();
		for (seen, block) in view.extrinsics.iter().filter(|(seen, _)| signed_by(seen)) {
			items.push(Activity::unbooked(timelines::included(seen, *block)));
		}
		if let Some(node) = &state.node {
			for seen in node.pool().await? {
				if signed_by(&seen) && !included.iter().any(|i| i.hash == seen.hash) {
					items.push(Activity::unbooked(timelines::submitted(&seen, view.best)));
				}
			}
		}
	}
	Ok(Json(ActivityPage { items, next }))
}

/// The whole journal, oldest first (an operator's key).
#[utoipa::path(get, path = "/v1/journal", params(PageQuery), responses(
	(status = 200, body = EntryPage),
	(status = 400, body = Problem, content_type = "application/problem+json"),
	(status = 401, body = Problem, content_type = "application/problem+json"),
	(status = 403, body = Problem, content_type = "application/problem+json")))]
async fn journal(
	State(state): State<AppState>,
	caller: Caller,
	page: Result<Query<PageQuery>, QueryRejection>,
) -> ApiResult<Json<EntryPage>> {
	let Query(page) = page?;
	caller.operator()?;
	Ok(Json(entry_page(&state.store, None, &page).await?))
}

/// A transaction's timeline: included, finalized (or failed), held for review, approved or
/// rejected, settled (with the journal entries). An operator's key sees every transaction; a
/// key scoped to accounts sees those whose entries move one of them.
#[utoipa::path(get, path = "/v1/extrinsics/{hash}/timeline",
	params(("hash" = String, Path, description = "The extrinsic's hash: 0x + 64 hex (blake2-256 of its encoding)")),
	responses(
		(status = 200, body = Timeline),
		(status = 400, body = Problem, content_type = "application/problem+json"),
		(status = 401, body = Problem, content_type = "application/problem+json"),
		(status = 404, body = Problem, content_type = "application/problem+json")))]
async fn timeline(
	State(state): State<AppState>,
	caller: Caller,
	Path(hash): Path<String>,
) -> ApiResult<Json<Timeline>> {
	let bytes: [u8; 32] = hash
		.strip_prefix("0x")
		.and_then(|h| hex::decode(h).ok())
		.and_then(|b| b.try_into().ok())
		.ok_or_else(|| {
			Problem::bad_request(format!("`{hash}` is not an extrinsic hash (0x + 64 hex)"))
		})?;
	let pending =
		state.pending.as_ref().map(|p| p.read().unwrap_or_else(|e| e.into_inner()).clone());
	let unknown = || {
		Problem::not_found(
			"unknown-extrinsic",
			format!("no extrinsic {hash} in the blocks this ledger has seen (or none this key may read)"),
		)
	};
	let found = match state.store.timeline(&bytes, pending.as_ref()).await? {
		Some(found) => found,
		// In no block the ledger has seen: perhaps still waiting in the node's pool.
		None => {
			let pool = match &state.node {
				Some(node) => node.pool().await?,
				None => Vec::new(),
			};
			let best = pending.as_ref().map_or(0, |view| view.best);
			let seen = pool.iter().find(|seen| seen.hash == bytes).ok_or_else(unknown)?;
			timelines::submitted(seen, best)
		}
	};
	let visible = caller.accounts.is_none() || found.holders.iter().any(|who| caller.may_read(who));
	if visible {
		Ok(Json(found))
	} else {
		Err(unknown())
	}
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ExportQuery {
	/// The first entry (default 1).
	from: Option<i64>,
	/// The last entry (default: `from` + 9,999); at most 10,000 entries per request.
	to: Option<i64>,
	/// `jsonl` (one entry per line, default) or `csv` (one line per posting).
	format: Option<String>,
}

/// Entries `from..=to` with their hashes, for an auditor to recompute the chain (an operator's
/// key).
#[utoipa::path(get, path = "/v1/audit/export", params(ExportQuery), responses(
	(status = 200, description = "JSON lines or CSV", content_type = "application/x-ndjson"),
	(status = 400, body = Problem, content_type = "application/problem+json"),
	(status = 401, body = Problem, content_type = "application/problem+json"),
	(status = 403, body = Problem, content_type = "application/problem+json")))]
async fn audit_export(
	State(state): State<AppState>,
	caller: Caller,
	query: Result<Query<ExportQuery>, QueryRejection>,
) -> ApiResult<Response> {
	let Query(query) = query?;
	caller.operator()?;
	let from = query.from.unwrap_or(1);
	let to = query.to.unwrap_or(from.saturating_add(MAX_EXPORT - 1));
	if from < 1 || to < from || to - from >= MAX_EXPORT {
		return Err(Problem::bad_request(format!(
			"from {from} to {to}: 1 ≤ from ≤ to, at most {MAX_EXPORT} entries per request"
		)));
	}
	let entries = state.store.entries(from, to).await?;
	let views = entries.iter().map(|(e, h)| EntryView::new(e, h));
	let (content_type, body) = match query.format.as_deref().unwrap_or("jsonl") {
		"jsonl" => ("application/x-ndjson", crate::export::jsonl(views)),
		"csv" => ("text/csv", crate::export::csv(views)),
		other => return Err(Problem::bad_request(format!("format `{other}`: `jsonl` or `csv`"))),
	};
	Ok(([(header::CONTENT_TYPE, content_type)], body).into_response())
}

/// Differences between the books and the chain that reconciliation found (an operator's key).
#[utoipa::path(get, path = "/v1/alerts", responses(
	(status = 200, body = [AlertView]),
	(status = 401, body = Problem, content_type = "application/problem+json"),
	(status = 403, body = Problem, content_type = "application/problem+json")))]
async fn alerts(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<AlertView>>> {
	caller.operator()?;
	let alerts = state.store.alerts(None).await?;
	Ok(Json(alerts.iter().map(|(id, alert)| AlertView::new(*id, alert)).collect()))
}

/// A new webhook subscription.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewWebhook {
	/// Where entries are posted (http or https).
	url: String,
	/// Only entries that move one of these accounts (default: every account the key may read).
	accounts: Option<Vec<String>>,
	/// Only entries of these kinds, e.g. `Balances.Transfer` (default: every kind).
	/// `Reconciliation.Alert`: differences between the books and the chain (an operator's key;
	/// delivered as `reconciliation.alert`).
	kinds: Option<Vec<String>>,
	/// `json` (default): entries and alerts as JSON. `iso20022`: each entry as the `camt.054`
	/// notification of the accounts it moved (those in the gateway's directory, in a currency of
	/// its table), and, for an operator's key, each gateway transfer's status report once decided.
	format: Option<String>,
}

#[derive(Serialize, ToSchema)]
struct WebhookView {
	id: i64,
	url: String,
	accounts: Option<Vec<String>>,
	kinds: Option<Vec<String>>,
	format: String,
	/// The signing secret (`whsec_…`): returned once, at creation.
	#[serde(skip_serializing_if = "Option::is_none")]
	secret: Option<String>,
}

impl From<Subscription> for WebhookView {
	fn from(s: Subscription) -> Self {
		Self {
			id: s.id,
			url: s.url,
			accounts: s.accounts,
			kinds: s.kinds,
			format: s.format,
			secret: None,
		}
	}
}

fn check_url(url: &str) -> ApiResult<()> {
	let ok = url.len() <= MAX_URL
		&& url.parse::<axum::http::Uri>().is_ok_and(|uri| {
			matches!(uri.scheme_str(), Some("http" | "https")) && uri.host().is_some()
		});
	if ok {
		Ok(())
	} else {
		Err(Problem::bad_request(format!(
			"url: an absolute http(s) URL of at most {MAX_URL} characters"
		)))
	}
}

fn check_kind(kind: &str) -> bool {
	let part =
		|s: &str| !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_alphanumeric());
	kind == "Opening" || kind.split_once('.').is_some_and(|(p, e)| part(p) && part(e))
}

/// Subscribes `url` to journal entries. Deliveries are signed the Standard Webhooks way with the
/// secret returned here, retried with backoff until a 2xx, and listed as dead after the last try.
#[utoipa::path(post, path = "/v1/webhooks", request_body = NewWebhook, responses(
	(status = 201, body = WebhookView),
	(status = 400, body = Problem, content_type = "application/problem+json"),
	(status = 401, body = Problem, content_type = "application/problem+json"),
	(status = 403, body = Problem, content_type = "application/problem+json"),
	(status = 413, body = Problem, content_type = "application/problem+json")))]
async fn create_webhook(
	State(state): State<AppState>,
	caller: Caller,
	body: Result<Json<NewWebhook>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<WebhookView>)> {
	let Json(new) = body?;
	check_url(&new.url)?;
	let accounts = match new.accounts {
		Some(accounts) if accounts.is_empty() || accounts.len() > MAX_FILTER => {
			return Err(Problem::bad_request(format!("accounts: 1 to {MAX_FILTER} addresses")))
		}
		Some(accounts) => {
			let mut parsed = Vec::with_capacity(accounts.len());
			for account in &accounts {
				let who = holder_address(account).map_err(|_| {
					Problem::bad_request(format!("accounts: `{account}` is not an address"))
				})?;
				if !caller.may_read(&who) {
					return Err(Problem::forbidden(format!("this key may not read account {who}")));
				}
				parsed.push(who);
			}
			Some(parsed)
		}
		None => None,
	};
	if let Some(kinds) = &new.kinds {
		if kinds.is_empty() || kinds.len() > MAX_FILTER {
			return Err(Problem::bad_request(format!("kinds: 1 to {MAX_FILTER} event kinds")));
		}
		if let Some(bad) = kinds.iter().find(|k| !check_kind(k)) {
			return Err(Problem::bad_request(format!(
				"kinds: `{bad}` is not `Pallet.Event` (e.g. `Balances.Transfer`) or `Opening`"
			)));
		}
	}
	let format = new.format.unwrap_or_else(|| "json".into());
	if !matches!(format.as_str(), "json" | "iso20022") {
		return Err(Problem::bad_request(format!("format `{format}`: `json` or `iso20022`")));
	}
	let secret = keys::new_secret();
	let id = state
		.store
		.create_subscription(
			caller.key_id,
			&new.url,
			&secret,
			accounts.as_deref(),
			new.kinds.as_deref(),
			&format,
		)
		.await?;
	let view =
		WebhookView { id, url: new.url, accounts, kinds: new.kinds, format, secret: Some(secret) };
	Ok((StatusCode::CREATED, Json(view)))
}

/// The key's webhook subscriptions.
#[utoipa::path(get, path = "/v1/webhooks", responses(
	(status = 200, body = [WebhookView]),
	(status = 401, body = Problem, content_type = "application/problem+json")))]
async fn list_webhooks(
	State(state): State<AppState>,
	caller: Caller,
) -> ApiResult<Json<Vec<WebhookView>>> {
	let subscriptions = state.store.subscriptions(caller.key_id).await?;
	Ok(Json(subscriptions.into_iter().map(WebhookView::from).collect()))
}

async fn owned(state: &ApiState, caller: &Caller, id: &str) -> ApiResult<i64> {
	let id: i64 =
		id.parse().map_err(|_| Problem::bad_request(format!("`{id}` is not a subscription id")))?;
	if state.store.owns_subscription(caller.key_id, id).await? {
		Ok(id)
	} else {
		Err(Problem::not_found(
			"unknown-webhook",
			format!("this key has no webhook subscription {id}"),
		))
	}
}

/// Ends a subscription: nothing more is queued or delivered for it.
#[utoipa::path(delete, path = "/v1/webhooks/{id}", params(("id" = i64, Path)), responses(
	(status = 204, description = "Deleted"),
	(status = 401, body = Problem, content_type = "application/problem+json"),
	(status = 404, body = Problem, content_type = "application/problem+json")))]
async fn delete_webhook(
	State(state): State<AppState>,
	caller: Caller,
	Path(id): Path<String>,
) -> ApiResult<StatusCode> {
	let id = owned(&state, &caller, &id).await?;
	state.store.delete_subscription(caller.key_id, id).await?;
	Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct DeliveryQuery {
	/// `pending`, `delivered` or `dead` (the dead-letter list); default: all.
	status: Option<String>,
	/// The `next` of the previous page.
	after: Option<String>,
	limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct DeliveryView {
	/// The journal entry.
	seq: i64,
	/// The `webhook-id` header: the same on every attempt.
	webhook_id: String,
	attempts: i32,
	/// `pending`, `delivered` or `dead`.
	status: String,
	last_error: Option<String>,
}

impl From<Delivery> for DeliveryView {
	fn from(d: Delivery) -> Self {
		Self {
			seq: d.seq,
			webhook_id: crate::webhooks::message_id(d.subscription, d.seq),
			attempts: d.attempts,
			status: d.status,
			last_error: d.last_error,
		}
	}
}

#[derive(Serialize, ToSchema)]
struct DeliveryPage {
	items: Vec<DeliveryView>,
	next: Option<String>,
}

/// A subscription's deliveries; `status=dead` is its dead-letter list.
#[utoipa::path(get, path = "/v1/webhooks/{id}/deliveries", params(("id" = i64, Path), DeliveryQuery),
	responses(
		(status = 200, body = DeliveryPage),
		(status = 400, body = Problem, content_type = "application/problem+json"),
		(status = 401, body = Problem, content_type = "application/problem+json"),
		(status = 404, body = Problem, content_type = "application/problem+json")))]
async fn deliveries(
	State(state): State<AppState>,
	caller: Caller,
	Path(id): Path<String>,
	query: Result<Query<DeliveryQuery>, QueryRejection>,
) -> ApiResult<Json<DeliveryPage>> {
	let Query(query) = query?;
	let id = owned(&state, &caller, &id).await?;
	let page = PageQuery { after: query.after, limit: query.limit };
	let limit = page.limit()?;
	let status = query.status.as_deref();
	if !matches!(status, None | Some("pending" | "delivered" | "dead")) {
		return Err(Problem::bad_request("status: `pending`, `delivered` or `dead`"));
	}
	let rows = state.store.deliveries(id, status, page.after_seq()?, limit).await?;
	let next = next_after(&rows, limit, |d| d.seq.to_string());
	Ok(Json(DeliveryPage { items: rows.into_iter().map(DeliveryView::from).collect(), next }))
}

#[derive(Serialize, ToSchema)]
struct Redriven {
	/// Dead deliveries put back in the queue.
	redriven: u64,
}

/// Puts a subscription's dead deliveries back in the queue, with their attempts reset.
#[utoipa::path(post, path = "/v1/webhooks/{id}/deliveries/redrive", params(("id" = i64, Path)),
	responses(
		(status = 200, body = Redriven),
		(status = 401, body = Problem, content_type = "application/problem+json"),
		(status = 404, body = Problem, content_type = "application/problem+json")))]
async fn redrive(
	State(state): State<AppState>,
	caller: Caller,
	Path(id): Path<String>,
) -> ApiResult<Json<Redriven>> {
	let id = owned(&state, &caller, &id).await?;
	Ok(Json(Redriven { redriven: state.store.redrive(id).await? }))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn webhook_urls_and_kinds_are_checked() {
		assert!(check_url("https://erp.example/hooks/tpw").is_ok());
		assert!(check_url("http://127.0.0.1:8080/x").is_ok());
		for bad in ["ftp://x/y", "/relative", "not a url", "https://"] {
			assert!(check_url(bad).is_err(), "{bad}");
		}
		assert!(check_url(&format!("https://x/{}", "a".repeat(MAX_URL))).is_err());
		assert!(check_kind("Balances.Transfer") && check_kind("Opening"));
		for bad in ["Balances", "Balances.", ".Transfer", "Balances.Trans fer", "a.b.c"] {
			assert!(!check_kind(bad), "{bad}");
		}
	}

	#[test]
	fn the_openapi_document_lists_every_route_and_the_key_schemes() {
		let doc = ApiDoc::openapi().to_json().unwrap();
		for path in [
			"/v1/accounts/{account}/balances",
			"/v1/accounts/{account}/journal",
			"/v1/audit/export",
			"/v1/webhooks/{id}/deliveries/redrive",
		] {
			assert!(doc.contains(path), "{path} missing");
		}
		assert!(doc.contains("application/problem+json"));
		assert!(doc.contains("\"bearer\""));
	}
}
