//! `tpw-load`: pushes pre-signed transactions to a running tpwallet chain and reports what it
//! settled: per block, per second, latency to inclusion and to finality, against the runtime's
//! own ceiling measured in the same run, with the nodes' CPU and memory.
//!
//! sTPS as Parity's polkadot-stps counts it: `transfer_keep_alive` between existing accounts,
//! one transaction per sender and nonce, no account created; the batched workload is reported
//! apart. Signing, metadata and calls come from the chain (the channel client's library): no
//! runtime is linked.

mod accounts;
mod ceiling;
mod observe;
mod outcomes;
mod process;
mod regulated;
mod report;
mod stats;
mod submit;
mod tracker;
mod workload;

use anyhow::{ensure, Context, Result};
use clap::Parser;
use jsonrpsee_ws_client::{WsClient, WsClientBuilder};
use polkadot_sdk::sp_io::hashing::blake2_256;
use std::{
	path::PathBuf,
	sync::Mutex,
	time::{Duration, Instant},
};
use tpw_client::{chain::Chain, keys::Keys, AssetId};
use workload::{Kind, Workload};

/// In-flight transactions by default: under a node's default pool size (8,192 ready), which
/// drops what does not fit, silently.
const DEFAULT_POOL_ROOM: usize = 7_000;
/// Blocks a pre-signed transaction stays valid: the whole run, and then some.
const LOAD_MORTALITY: u64 = 1024;

#[derive(Parser, Debug)]
#[command(
	name = "tpw-load",
	about = "Throughput of a running tpwallet chain under pre-signed load"
)]
struct Args {
	/// WebSocket JSON-RPC endpoints; transactions go round robin to all, the first is followed.
	#[arg(long = "url", default_value = "ws://127.0.0.1:9944")]
	urls: Vec<String>,
	/// Workload.
	#[arg(long, value_enum, default_value = "native")]
	workload: Kind,
	/// Senders (each also receives from the previous one).
	#[arg(long, default_value_t = 2000)]
	accounts: usize,
	/// Seconds of load (submission stops then; the run waits for finality after).
	#[arg(long, default_value_t = 60)]
	duration: u64,
	/// Transactions in flight (sent, not yet in a block); 0: two blocks at the ceiling, at most
	/// DEFAULT_POOL_ROOM (a node's pool holds 8,192 by default: raise `--pool-limit` first).
	#[arg(long, default_value_t = 0)]
	window: usize,
	/// Most transactions sent per second (0: as fast as the window allows). A paced load for
	/// networks of several validators: each transaction a node imports is gossiped to every peer
	/// at once, one notification each, and a peer sent thousands in a burst is disconnected.
	#[arg(long, default_value_t = 0.0)]
	rate: f64,
	/// Concurrent JSON-RPC submissions.
	#[arg(long, default_value_t = 256)]
	rpc_concurrency: usize,
	/// Most transactions signed before the run.
	#[arg(long, default_value_t = 300_000)]
	max_txs: usize,
	/// Transfers per `utility.batch` (batched workload).
	#[arg(long, default_value_t = 10)]
	batch: u32,
	/// Asset of the `assets` workload (created by the funder if absent).
	#[arg(long, default_value_t = 77_777)]
	asset: AssetId,
	/// Token of the `regulated-token` workload (created, with its rule set, if absent).
	#[arg(long, default_value_t = 77_778)]
	token: AssetId,
	/// Secret URI the load's accounts derive from (`<seed>//<i>`); development only.
	#[arg(long, default_value = "//tpw-load")]
	seed: String,
	/// Development account that funds them.
	#[arg(long, default_value = "//Alice")]
	funder: String,
	/// Native units (plancks) given to each account: 10 TPW pays a few thousand transfers.
	#[arg(long, default_value_t = 10_000_000_000_000)]
	fund: u128,
	/// Only funds the accounts (and sets up the workload), then exits: to fill a chain's state.
	#[arg(long)]
	setup_only: bool,
	/// Node processes whose CPU and peak memory are reported.
	#[arg(long = "node-pid")]
	node_pids: Vec<u32>,
	/// Name of the setting, in the report ("dev node", "4 validators").
	#[arg(long, default_value = "")]
	label: String,
	/// Writes the report as JSON here.
	#[arg(long)]
	json: Option<PathBuf>,
	/// Writes the per-second series (CSV) here.
	#[arg(long)]
	csv: Option<PathBuf>,
	/// Appends the report's Markdown table row here.
	#[arg(long)]
	markdown_row: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> Result<()> {
	tpw_client::logging::init();
	let args = Args::parse();
	ensure!(args.accounts >= 2, "--accounts must be at least 2");
	let chain = Chain::connect(&args.urls[0]).await?;
	let runtime = chain.runtime(None).await?;
	let funder = Keys::from_uri(&args.funder)?;
	let accounts = accounts::derive(&args.seed, args.accounts)?;
	let workload = Workload::setup(
		&chain,
		&funder,
		&accounts,
		args.workload,
		if args.workload == Kind::RegulatedToken { args.token } else { args.asset },
		args.batch,
		args.fund,
	)
	.await?;
	if args.setup_only {
		log::info!("set up {} accounts", accounts.len());
		return Ok(());
	}

	let nonces = accounts::next_nonces(&chain, &accounts, 64).await?;
	let finalized = chain.finalized_head().await?;
	let from = (chain.header(finalized).await?.number, finalized);
	let receiver = |i: usize| accounts[(i + 1) % accounts.len()].account().clone();
	let sample = runtime.sign(
		&workload.call(&receiver(0)),
		&accounts[0],
		nonces[0],
		LOAD_MORTALITY,
		from,
	)?;
	let ceiling = ceiling::measure(&chain, &runtime, &sample).await?;
	log::info!(
		"ceiling: {:.0} tx/s ({} per block by weight, {} by length)",
		ceiling.per_second,
		ceiling.per_block_by_weight,
		ceiling.per_block_by_length
	);

	let target = (ceiling.per_second * args.duration as f64 * 1.2).ceil() as usize;
	let total = target.clamp(accounts.len(), args.max_txs.max(accounts.len()));
	let rounds = total.div_ceil(accounts.len());
	log::info!("signing {rounds} rounds of {} transactions", accounts.len());
	let (txs, hashes): (Vec<String>, Vec<tracker::TxHash>) =
		sign_rounds(&runtime, &workload, &accounts, &nonces, rounds, from)?.into_iter().unzip();
	let tracker = Mutex::new(tracker::Tracker::new(hashes));
	tracker.lock().unwrap_or_else(|e| e.into_inner()).last_finalized =
		Some(chain.finalized_head().await?.0);

	let window_size = if args.window == 0 {
		(2 * ceiling.per_block_by_weight.min(ceiling.per_block_by_length) as usize)
			.clamp(100, DEFAULT_POOL_ROOM)
	} else {
		args.window
	};
	let window = submit::window(window_size);
	let clients = connect_all(&args.urls, args.rpc_concurrency).await?;
	let observer_client = connect(&args.urls[0], 64).await?;
	let usage = process::Sample::take(&args.node_pids)?;
	let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
	let start = Instant::now();
	let deadline = start + Duration::from_secs(args.duration);
	log::info!("load: {} transactions, {window_size} in flight at most", txs.len());

	let observing = observe::run(&observer_client, &tracker, &window, start, stop_rx);
	let loading = async {
		let sent = submit::run(
			&clients,
			accounts.len(),
			&txs,
			&tracker,
			&window,
			start,
			deadline,
			submit::Pace { rpc_concurrency: args.rpc_concurrency, rate: args.rate },
		)
		.await;
		let load_secs = start.elapsed().as_secs_f64();
		drain(&tracker, &sent).await;
		let _ = stop_tx.send(true);
		(sent, load_secs)
	};
	let (heights, (sent, load_secs)) = tokio::join!(observing, loading);
	let heights = heights?;
	let usage = usage.usage(load_secs)?;

	let mut tracker = tracker.into_inner().unwrap_or_else(|e| e.into_inner());
	let failures = outcomes::count_failures(&chain, &mut tracker).await?;
	let report = report::Report::new(
		&args.label,
		&workload,
		accounts.len(),
		window_size,
		load_secs,
		&tracker,
		failures,
		&sent,
		&heights,
		ceiling,
		usage,
	);
	println!("{}", report.summary());
	if let Some(path) = &args.json {
		std::fs::write(path, serde_json::to_vec_pretty(&report)?)
			.with_context(|| format!("writing {}", path.display()))?;
	}
	if let Some(path) = &args.csv {
		std::fs::write(
			path,
			report::series_csv(&tracker, &heights, (report.ceiling.slot_ms / 1000) as usize),
		)
		.with_context(|| format!("writing {}", path.display()))?;
	}
	if let Some(path) = &args.markdown_row {
		use std::io::Write;
		let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
		writeln!(file, "{}", report.markdown_row())?;
	}
	ensure!(report.lost == 0, "{} transactions were accepted but never finalized", report.lost);
	Ok(())
}

/// Every sender's transactions for `rounds` nonces, round by round (nonce n of every sender
/// before nonce n+1 of any), signed on every core: each as hex and with its hash.
fn sign_rounds(
	runtime: &tpw_client::runtime::RuntimeAt,
	workload: &Workload,
	accounts: &[Keys],
	nonces: &[u32],
	rounds: usize,
	from: (u32, polkadot_sdk::sp_core::H256),
) -> Result<Vec<(String, tracker::TxHash)>> {
	let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
	let per_thread = accounts.len().div_ceil(threads);
	let signed: Vec<Vec<Vec<(String, tracker::TxHash)>>> = std::thread::scope(|scope| {
		let handles: Vec<_> = (0..accounts.len())
			.step_by(per_thread)
			.map(|first| {
				scope.spawn(move || -> Result<Vec<Vec<(String, tracker::TxHash)>>> {
					let last = (first + per_thread).min(accounts.len());
					(first..last)
						.map(|i| {
							let to = accounts[(i + 1) % accounts.len()].account();
							let call = workload.call(to);
							(0..rounds)
								.map(|r| {
									let nonce = nonces[i] + r as u32;
									let ext = runtime.sign(
										&call,
										&accounts[i],
										nonce,
										LOAD_MORTALITY,
										from,
									)?;
									Ok((format!("0x{}", hex::encode(&ext)), blake2_256(&ext)))
								})
								.collect()
						})
						.collect()
				})
			})
			.collect();
		handles
			.into_iter()
			.map(|h| h.join().map_err(|_| anyhow::anyhow!("a signing thread panicked"))?)
			.collect::<Result<Vec<_>>>()
	})?;
	let by_sender: Vec<Vec<(String, tracker::TxHash)>> = signed.into_iter().flatten().collect();
	let mut txs = Vec::with_capacity(by_sender.len() * rounds);
	for r in 0..rounds {
		txs.extend(by_sender.iter().filter_map(|s| s.get(r).cloned()));
	}
	Ok(txs)
}

/// Waits until every transaction the node accepted is finalized, or no more get finalized
/// for a minute (the rest are then reported lost).
async fn drain(tracker: &Mutex<tracker::Tracker>, sent: &submit::Submitted) {
	let mut last = (0, Instant::now());
	loop {
		let finalized = {
			let t = tracker.lock().unwrap_or_else(|e| e.into_inner());
			t.txs.iter().filter(|t| t.finalized.is_some()).count()
		};
		if finalized + sent.refused_txs.len() >= sent.sent {
			return;
		}
		if finalized > last.0 {
			last = (finalized, Instant::now());
		} else if last.1.elapsed() > Duration::from_secs(60) {
			log::warn!("{} transactions not finalized after a minute", sent.sent - finalized);
			return;
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
}

async fn connect(url: &str, max_concurrent: usize) -> Result<WsClient> {
	WsClientBuilder::default()
		.request_timeout(Duration::from_secs(120))
		.max_concurrent_requests(max_concurrent.max(1))
		.max_buffer_capacity_per_subscription(4096)
		.build(url)
		.await
		.with_context(|| format!("connecting to {url}"))
}

/// Four connections per endpoint, so one slow socket does not hold the load back.
async fn connect_all(urls: &[String], rpc_concurrency: usize) -> Result<Vec<WsClient>> {
	let mut clients = Vec::new();
	for url in urls {
		for _ in 0..4 {
			clients.push(connect(url, rpc_concurrency).await?);
		}
	}
	Ok(clients)
}
