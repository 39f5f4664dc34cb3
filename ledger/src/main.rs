//! `tpw-ledger`: books the chain's finalized blocks into PostgreSQL and answers from the books.

use anyhow::{anyhow, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use std::{future::Future, net::SocketAddr, sync::Arc, time::Duration};
use tpw_client::chain::Chain;
use tpwallet_ledger::{
	anchor::{self, Anchorer},
	api, audit, export,
	ingest::Ingest,
	iso::{api::Gateway, folder::Inbox, intake::Intake, settle::Settler},
	keys,
	pending::{SharedPending, Tracker},
	store::Store,
	stream::Publisher,
	views::{holder_address, AlertView, BalanceView, EntryView, StatusView},
	webhooks::{Dispatcher, Retry},
};

#[derive(Parser)]
#[command(name = "tpw-ledger", version, about)]
struct Cli {
	/// The node's JSON-RPC endpoint (an archive node, or one whose pruning window covers the
	/// blocks not yet booked).
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	url: String,
	/// The PostgreSQL database (`host=… port=… user=… dbname=…`).
	#[arg(long)]
	db: Option<String>,
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Books finalized blocks: up to `--until`, or the finalized head; `--follow` goes on.
	Ingest {
		#[arg(long)]
		until: Option<u32>,
		#[arg(long)]
		follow: bool,
	},
	/// The service: follows the chain (reconnecting after a failure), serves the REST API,
	/// delivers webhooks and, with `--nats`, publishes every entry to JetStream.
	Run {
		#[command(flatten)]
		serve: ServeArgs,
		/// The NATS server for the event stream (e.g. `nats://127.0.0.1:4222`).
		#[arg(long)]
		nats: Option<String>,
		#[command(flatten)]
		retry: RetryArgs,
		#[command(flatten)]
		anchor: AnchorArgs,
	},
	/// Anchors the journal's head on chain now (a remark signed by `--suri`), once finalized.
	Anchor {
		/// The operator account's secret URI (`//Alice` on a development chain only).
		#[arg(long)]
		suri: String,
	},
	/// The REST API and the pending view, from the books as they are (another process books).
	Serve {
		#[command(flatten)]
		serve: ServeArgs,
	},
	/// An account's balances in the books, as JSON: visible, available, free, held, reserved.
	Balance { account: String },
	/// The journal's audit trail.
	Audit {
		#[command(subcommand)]
		command: AuditCommand,
	},
	/// Differences between the books and the chain found so far, as JSON lines.
	Alerts,
	/// Where the books stand, as JSON: the last block booked, the last entry and its hash.
	Status,
	/// API keys: created (shown once), listed, revoked.
	ApiKey {
		#[command(subcommand)]
		command: KeyCommand,
	},
	/// The event stream's messages, as JSON lines (subject and entry).
	StreamRead {
		#[arg(long)]
		nats: String,
		/// The first message, by the stream's numbering.
		#[arg(long, default_value_t = 1)]
		from: u64,
		#[arg(long, default_value_t = 1000)]
		count: u64,
	},
	/// Deletes the event stream (for a development chain, whose books start again with it).
	StreamDelete {
		#[arg(long)]
		nats: String,
	},
	/// The OpenAPI 3 document of the REST API.
	Openapi,
}

#[derive(clap::Args)]
struct ServeArgs {
	/// Where the REST API listens.
	#[arg(long, default_value = "127.0.0.1:8780")]
	listen: SocketAddr,
	/// Turns the ISO 20022 gateway on: the institution's account (its secret URI; `//Alice` on
	/// a development chain only), which signs the transfers as each debtor's proxy.
	#[arg(long, requires = "gateway_bic")]
	gateway_suri: Option<String>,
	/// The institution's BIC, the sender of its reports (8 or 11 characters).
	#[arg(long, requires = "gateway_suri")]
	gateway_bic: Option<String>,
	/// A folder the gateway takes payment messages from (`*.xml`; moved to `done/` or
	/// `refused/` beside their outcome).
	#[arg(long, requires = "gateway_suri")]
	gateway_inbox: Option<std::path::PathBuf>,
}

impl ServeArgs {
	/// The gateway, if it is on.
	fn gateway(&self, url: &str, db: &str) -> Result<Option<Arc<Gateway>>> {
		let (Some(suri), Some(bic)) = (&self.gateway_suri, &self.gateway_bic) else {
			return Ok(None);
		};
		let bic_ok = matches!(bic.len(), 8 | 11)
			&& bic.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
		if !bic_ok {
			return Err(anyhow!("--gateway-bic {bic}: 8 or 11 capital letters and digits"));
		}
		let keys = tpw_client::keys::Keys::from_uri(suri)?;
		Ok(Some(Arc::new(Gateway::new(Intake::new(bic.clone(), keys, url), db))))
	}
}

#[derive(clap::Args)]
struct RetryArgs {
	/// The wait after a webhook's first failed attempt, doubled after each further one.
	#[arg(long, default_value_t = 2000)]
	webhook_retry_ms: u64,
	/// Attempts before a delivery is dead (listed, and redriven on request).
	#[arg(long, default_value_t = 12)]
	webhook_attempts: i32,
}

#[derive(clap::Args)]
struct AnchorArgs {
	/// Anchors the journal's head on chain with this account (its secret URI; `//Alice` on a
	/// development chain only): a `System.remark_with_event` every `--anchor-every` blocks.
	#[arg(long)]
	anchor_suri: Option<String>,
	#[arg(long, default_value_t = 100)]
	anchor_every: u32,
}

#[derive(Subcommand)]
enum KeyCommand {
	/// A new key, printed once as JSON (only its hash is stored).
	Create {
		#[arg(long)]
		name: String,
		/// An account the key may read (repeat); none: every account (an operator's key).
		#[arg(long = "account")]
		accounts: Vec<String>,
		/// Registers this key instead of a random one (for the well-known development key).
		#[arg(long)]
		key: Option<String>,
	},
	List,
	Revoke {
		id: i64,
	},
}

#[derive(Subcommand)]
enum AuditCommand {
	/// Recomputes the hash chain over the whole journal, and checks it against the anchors on
	/// chain (through `--url`); fails at the first entry or anchor that breaks it.
	Verify {
		/// The hash chain only, without the node (a rewrite that recomputes every hash passes).
		#[arg(long)]
		offline: bool,
	},
	/// Entries `--from..=--to` (by sequence number) with their lines and hashes.
	Export {
		#[arg(long, default_value_t = 1)]
		from: i64,
		#[arg(long, default_value_t = i64::MAX)]
		to: i64,
		#[arg(long, value_enum, default_value_t = Format::Jsonl)]
		format: Format,
	},
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
	Csv,
	Jsonl,
}

#[tokio::main]
async fn main() -> Result<()> {
	tpw_client::logging::init();
	let cli = Cli::parse();
	if let Command::Openapi = cli.command {
		emit(api::document().to_pretty_json()?);
		return Ok(());
	}
	let db = cli.db.clone().ok_or_else(|| anyhow!("--db is required"))?;
	let store = Store::connect(&db).await?;
	match cli.command {
		Command::Openapi => Ok(()),
		Command::Ingest { until, follow } => {
			let chain = Chain::connect(&cli.url).await?;
			Ingest { chain, store }.run(until, follow).await
		}
		Command::Run { serve, nats, retry, anchor } => {
			run(&cli.url, &db, store, serve, nats, retry, anchor).await
		}
		Command::Anchor { suri } => {
			let chain = Chain::connect(&cli.url).await?;
			let keys = tpw_client::keys::Keys::from_uri(&suri)?;
			let anchor = Anchorer { chain, store, keys, every: 0 }.anchor().await?;
			emit(serde_json::json!({
				"seq": anchor.seq, "head": format!("0x{}", hex::encode(anchor.head)),
				"block": anchor.block, "blockHash": format!("0x{}", hex::encode(anchor.block_hash)),
				"account": anchor.account,
			}));
			Ok(())
		}
		Command::Serve { serve } => {
			let view = SharedPending::default();
			let gateway = serve.gateway(&cli.url, &db)?;
			let settling =
				gateway_tasks(&cli.url, &db, gateway.clone(), serve.gateway_inbox.clone());
			tokio::select! {
				result = serve_api(store, Some(view.clone()), &cli.url, serve.listen, gateway) => result,
				result = follow_pending(&cli.url, &db, &view) => result,
				result = settling => result,
			}
		}
		Command::Balance { account } => {
			let who = holder_address(&account)?;
			let as_of = store.cursor().await?.map_or(0, |c| c.block);
			let (accounts, terms) =
				(store.holder_balances(&who).await?, store.terms_of(&who).await?);
			let views = BalanceView::all(&who, &accounts, &terms, as_of);
			emit(serde_json::to_string(&views)?);
			Ok(())
		}
		Command::Alerts => {
			for (id, alert) in store.alerts(None).await? {
				emit(serde_json::to_string(&AlertView::new(id, &alert))?);
			}
			Ok(())
		}
		Command::Status => {
			emit(serde_json::to_string(&StatusView::new(store.cursor().await?.as_ref()))?);
			Ok(())
		}
		Command::Audit { command: AuditCommand::Verify { offline } } => {
			let Some(cursor) = store.cursor().await? else {
				emit(serde_json::json!({ "verified": 0 }));
				return Ok(());
			};
			let entries = store.entries(1, cursor.seq).await?;
			let head = audit::verify(entries.iter().map(|(e, h)| (e, h)), 1, audit::GENESIS_HASH)
				.map_err(|broken| anyhow!("the journal does not verify: {broken:?}"))?;
			if entries.len() as i64 != cursor.seq || head != cursor.head {
				return Err(anyhow!(
					"the journal does not verify: {} entries and head 0x{} against the cursor's \
					 {} and 0x{}",
					entries.len(),
					hex::encode(head),
					cursor.seq,
					hex::encode(cursor.head)
				));
			}
			let anchors = store.anchors().await?;
			let checked = if anchors.is_empty() || offline {
				0
			} else {
				let chain = Chain::connect(&cli.url).await?;
				let hashes = entries.iter().map(|(e, h)| (e.seq, *h)).collect();
				anchor::check(&chain, &store.ledger_id().await?, &anchors, &hashes)
					.await
					.map_err(|e| anyhow!("the journal does not verify: {e:#}"))?
			};
			emit(serde_json::json!({
				"verified": cursor.seq,
				"head": format!("0x{}", hex::encode(head)),
				"anchors": checked,
			}));
			Ok(())
		}
		Command::Audit { command: AuditCommand::Export { from, to, format } } => {
			let entries = store.entries(from, to).await?;
			let views = entries.iter().map(|(e, h)| EntryView::new(e, h));
			let out = match format {
				Format::Jsonl => export::jsonl(views),
				Format::Csv => export::csv(views),
			};
			emit(out.trim_end_matches('\n'));
			Ok(())
		}
		Command::ApiKey { command: KeyCommand::Create { name, accounts, key } } => {
			let key = key.unwrap_or_else(keys::new_key);
			if !keys::well_formed(&key) {
				return Err(anyhow!("a key is `{}` and 64 hex digits", keys::KEY_PREFIX));
			}
			let accounts =
				accounts.iter().map(|a| holder_address(a)).collect::<Result<Vec<_>>>()?;
			let scope = (!accounts.is_empty()).then_some(accounts.as_slice());
			let id = store.create_key(&name, &keys::key_hash(&key), scope).await?;
			emit(serde_json::json!({ "id": id, "name": name, "key": key, "accounts": scope }));
			Ok(())
		}
		Command::ApiKey { command: KeyCommand::List } => {
			for (id, name, accounts) in store.keys().await? {
				emit(serde_json::json!({ "id": id, "name": name, "accounts": accounts }));
			}
			Ok(())
		}
		Command::ApiKey { command: KeyCommand::Revoke { id } } => {
			if !store.revoke_key(id).await? {
				return Err(anyhow!("no live API key {id}"));
			}
			Ok(())
		}
		Command::StreamDelete { nats } => Publisher::connect(store, &nats).await?.delete().await,
		Command::StreamRead { nats, from, count } => {
			let mut publisher = Publisher::connect(store, &nats).await?;
			for (subject, entry) in publisher.read(from, count).await? {
				emit(serde_json::json!({ "subject": subject, "entry": entry }));
			}
			Ok(())
		}
	}
}

async fn serve_api(
	store: Store,
	pending: Option<SharedPending>,
	url: &str,
	listen: SocketAddr,
	gateway: Option<Arc<Gateway>>,
) -> Result<()> {
	let listener = tokio::net::TcpListener::bind(listen)
		.await
		.with_context(|| format!("listening on {listen}"))?;
	log::info!("REST API on http://{listen} (OpenAPI: http://{listen}/openapi.json)");
	axum::serve(listener, api::router(store, pending, Some(api::Node::new(url)), gateway)).await?;
	Ok(())
}

/// Runs `task` (built anew by `start`) until the process ends: after a failure (the node or the
/// database gone) it starts again, waiting 1 s, then 2 s, … up to 30 s.
async fn forever<F, Fut>(what: &'static str, mut start: F) -> Result<()>
where
	F: FnMut() -> Fut,
	Fut: Future<Output = Result<()>>,
{
	let mut wait = Duration::from_secs(1);
	loop {
		let began = std::time::Instant::now();
		if let Err(e) = start().await {
			log::warn!("{what}: {e:#}; again in {} s", wait.as_secs());
		}
		if began.elapsed() > Duration::from_secs(60) {
			wait = Duration::from_secs(1);
		}
		tokio::time::sleep(wait).await;
		wait = (wait * 2).min(Duration::from_secs(30));
	}
}

/// The gateway's own tasks, if it is on: following its transfers to their end in the books, and
/// taking messages from its inbox folder.
async fn gateway_tasks(
	url: &str,
	db: &str,
	gateway: Option<Arc<Gateway>>,
	inbox: Option<std::path::PathBuf>,
) -> Result<()> {
	let Some(gateway) = gateway else { return std::future::pending().await };
	let settle = forever("gateway settlement", || async {
		Settler { store: Store::connect(db).await?, chain: Chain::connect(url).await? }.run().await
	});
	let folder = async {
		match inbox {
			Some(dir) => {
				forever("gateway inbox", || {
					let inbox = Inbox { gateway: gateway.clone(), dir: dir.clone() };
					async move { inbox.run().await }
				})
				.await
			}
			None => std::future::pending().await,
		}
	};
	tokio::select! {
		result = settle => result,
		result = folder => result,
	}
}

/// Keeps `view` on the best chain's blocks after the last one booked, until the process ends.
async fn follow_pending(url: &str, db: &str, view: &SharedPending) -> Result<()> {
	forever("pending view", || async {
		let ingest = Ingest { chain: Chain::connect(url).await?, store: Store::connect(db).await? };
		Tracker::new(ingest, view.clone()).run().await
	})
	.await
}

async fn run(
	url: &str,
	db: &str,
	store: Store,
	serve: ServeArgs,
	nats: Option<String>,
	retry: RetryArgs,
	anchor: AnchorArgs,
) -> Result<()> {
	let retry = Retry {
		base: Duration::from_millis(retry.webhook_retry_ms),
		max_attempts: retry.webhook_attempts.max(1),
		..Retry::default()
	};
	let ingest = forever("ingest", || async {
		let chain = Chain::connect(url).await?;
		Ingest { chain, store: Store::connect(db).await? }.run(None, true).await
	});
	let agent = serve.gateway_bic.clone();
	let webhooks = forever("webhooks", || async {
		let mut dispatcher = Dispatcher::new(Store::connect(db).await?, retry)?;
		dispatcher.agent = agent.clone();
		dispatcher.run().await
	});
	let stream = async {
		match &nats {
			Some(nats) => {
				forever("stream", || async {
					Publisher::connect(Store::connect(db).await?, nats).await?.run().await
				})
				.await
			}
			None => std::future::pending().await,
		}
	};
	let anchoring = async {
		match &anchor.anchor_suri {
			Some(suri) => {
				let keys = tpw_client::keys::Keys::from_uri(suri)?;
				forever("anchor", || async {
					let chain = Chain::connect(url).await?;
					let store = Store::connect(db).await?;
					Anchorer { chain, store, keys: keys.clone(), every: anchor.anchor_every }
						.run()
						.await
				})
				.await
			}
			None => std::future::pending().await,
		}
	};
	let view = SharedPending::default();
	let gateway = serve.gateway(url, db)?;
	let settling = gateway_tasks(url, db, gateway.clone(), serve.gateway_inbox.clone());
	tokio::select! {
		result = serve_api(store, Some(view.clone()), url, serve.listen, gateway) => result,
		result = settling => result,
		result = follow_pending(url, db, &view) => result,
		result = anchoring => result,
		result = ingest => result,
		result = webhooks => result,
		result = stream => result,
	}
}

/// Prints `line` to stdout; a reader that went away (`| head`) ends the program quietly.
fn emit(line: impl std::fmt::Display) {
	use std::io::Write;
	if let Err(e) = writeln!(std::io::stdout().lock(), "{line}") {
		if e.kind() == std::io::ErrorKind::BrokenPipe {
			std::process::exit(0);
		}
		eprintln!("writing to stdout: {e}");
		std::process::exit(1);
	}
}
