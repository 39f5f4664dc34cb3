//! `tpw`: the payment-channel and atomic-swap client of tpwallet.

use anyhow::{anyhow, bail, Context, Result};
use clap::{Parser, Subcommand};
use std::{path::PathBuf, sync::Arc, time::Duration};
mod link_commands;

use tpw_client::{
	bench, bridge,
	chain::{calls, Chain, Wait},
	control,
	keys::{self, Keys},
	operations::{self, parse_asset, ChannelSummary, Done, Operator, Request},
	payment,
	peer::{Config, Node},
	store::Store,
	swap,
	tower::{Limits, Tower, TowerAddr},
	watchtower::Watchtower,
	Balance, BlockNumber, ChannelId, ChannelInfo,
};

#[derive(Parser)]
#[command(
	name = "tpw",
	version,
	about = "Payment channels and cross-chain swaps on the tpwallet chain"
)]
struct Cli {
	/// Node JSON-RPC endpoint.
	#[arg(long, global = true, default_value = "ws://127.0.0.1:9944")]
	url: String,
	/// Secret URI of this party's sr25519 key (`//Alice` on a dev chain, a mnemonic, a seed).
	#[arg(long, global = true)]
	suri: Option<String>,
	/// File holding the secret URI (preferred over --suri outside development).
	#[arg(long, global = true, conflicts_with = "suri")]
	key_file: Option<PathBuf>,
	/// Directory of the store (channels, invoices, swap secrets).
	#[arg(long, global = true, default_value = "tpw-store")]
	store: PathBuf,
	/// Return as soon as a block includes a submitted extrinsic, instead of waiting until
	/// GRANDPA finalizes that block (inclusion and finality are reported as they happen).
	#[arg(long, global = true)]
	no_wait_finality: bool,
	/// A watchtower (`tpw tower`) to hand every superseded state to, sealed:
	/// `<account>@<host:port>` (its transport key must be bound to that account).
	#[arg(long, global = true)]
	tower: Option<TowerAddr>,
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Prints this key's account.
	Account,
	/// Opens a channel with --to, depositing --deposit.
	Open {
		#[arg(long)]
		to: String,
		#[arg(long)]
		deposit: Balance,
		/// `native` or a `pallet-assets` id.
		#[arg(long, default_value = "native")]
		asset: String,
		/// Where the counterparty's `tpw listen` runs (host:port).
		#[arg(long)]
		peer_addr: Option<String>,
	},
	/// Adds --amount to this party's deposit, then has the counterparty co-sign it.
	TopUp {
		#[arg(long)]
		channel: ChannelId,
		#[arg(long)]
		amount: Balance,
	},
	/// Shows a channel on chain and in the store; --peer-addr records (or joins) it locally.
	Channel {
		#[arg(long)]
		channel: ChannelId,
		#[arg(long)]
		peer_addr: Option<String>,
	},
	/// Runs this party's node: answers the counterparties, claims invoices, forwards payments.
	Listen {
		#[arg(long, default_value = "0.0.0.0:7700")]
		addr: String,
		/// Forwarding fee: fixed part.
		#[arg(long, default_value_t = 0)]
		fee_base: Balance,
		/// Forwarding fee: parts per million of the amount.
		#[arg(long, default_value_t = 0)]
		fee_ppm: u32,
		/// Blocks kept between incoming and forwarded expiries.
		#[arg(long, default_value_t = 40)]
		expiry_delta: BlockNumber,
		/// Seconds an idle session stays open (it holds the channel meanwhile).
		#[arg(long, default_value_t = 30)]
		idle_secs: u64,
	},
	/// Pays --amount in --channel, --count times (one co-signed state each).
	Pay {
		#[arg(long)]
		channel: ChannelId,
		#[arg(long)]
		amount: Balance,
		#[arg(long, default_value_t = 1)]
		count: u32,
	},
	/// Prints the channel graph gossip taught this store, as JSON (the format --graph reads).
	Graph,
	/// Creates an invoice for --amount; prints its hash lock for the payer.
	Invoice {
		#[arg(long)]
		amount: Balance,
	},
	/// Pays --amount to --to under --hash over --graph: the route of least fees plus the price
	/// of its learnt risk of failing, then others if it fails.
	PayRoute {
		#[arg(long)]
		to: String,
		#[arg(long)]
		amount: Balance,
		/// The payee's invoice hash lock (hex).
		#[arg(long)]
		hash: String,
		/// JSON graph of known channels (see `route::Graph::from_json`); by default the graph
		/// gossip taught this store (`tpw graph`).
		#[arg(long)]
		graph: Option<PathBuf>,
		/// Blocks the last hop stays claimable.
		#[arg(long, default_value_t = 40)]
		final_delta: BlockNumber,
		/// Routes tried at most (each failure is learnt, and the next route avoids it).
		#[arg(long, default_value_t = 5)]
		attempts: usize,
	},
	/// Settles at once on the latest state, signed by both under the close tag.
	CooperativeClose {
		#[arg(long)]
		channel: ChannelId,
	},
	/// Starts a unilateral close with the latest co-signed state.
	Close {
		#[arg(long)]
		channel: ChannelId,
	},
	/// Pays out a channel whose challenge period is over.
	Settle {
		#[arg(long)]
		channel: ChannelId,
	},
	/// Watchtower: challenges stale closes of the store's channels, resolves claimable payments.
	Watch {
		/// Guard only these channels (repeatable; default: all in the store).
		#[arg(long)]
		channel: Vec<ChannelId>,
		/// Also settle channels whose challenge period is over.
		#[arg(long)]
		settle: bool,
		#[arg(long, default_value_t = 1000)]
		poll_ms: u64,
	},
	/// Watchtower service for other users: keeps the sealed states they hand it (in --store)
	/// and challenges stale closes with them, paying with this key.
	Tower {
		#[arg(long, default_value = "0.0.0.0:7800")]
		addr: String,
		/// Blobs kept per client at most.
		#[arg(long, default_value_t = 100_000)]
		quota: u64,
		/// Blobs kept in all at most.
		#[arg(long, default_value_t = 2_000_000)]
		capacity: u64,
		/// Serve only these clients (repeat; SS58): a tower for known customers, whom nobody
		/// with fresh keys can crowd out. Anyone, if not given.
		#[arg(long)]
		allow: Vec<String>,
		#[arg(long, default_value_t = 1000)]
		poll_ms: u64,
	},
	/// Development chains: sets the challenge period to --blocks through sudo (sudo key only).
	DevChallengePeriod {
		#[arg(long)]
		blocks: BlockNumber,
	},
	/// Development chains: sets the shortest HTLC time lock to --blocks through sudo.
	DevHtlcMinLock {
		#[arg(long)]
		blocks: BlockNumber,
	},
	/// Native balance of --account (default: this key's): free, and reserved (holds included);
	/// with --asset, its `pallet-assets` balance (holds excluded).
	Balance {
		#[arg(long)]
		account: Option<String>,
		/// A `pallet-assets` id (default: the native token).
		#[arg(long)]
		asset: Option<u32>,
	},
	/// Cross-chain atomic swaps (HTLC) between two tpwallet chains.
	Swap {
		#[command(subcommand)]
		command: SwapCommand,
	},
	/// The bridge to another tpwallet chain: token transfers across, and its state here.
	Bridge {
		#[command(subcommand)]
		command: BridgeCommand,
	},
	/// Payment links (`tpwallet:` URIs signed by the payee; docs/payment-links.md).
	Link {
		#[command(subcommand)]
		command: LinkCommand,
	},
	/// Simulation: route choices (cheapest, learned, learned with liquidity-based fees) on a
	/// generated network; prints a Markdown table.
	BenchRouting {
		#[arg(long, default_value_t = 1000)]
		nodes: usize,
		#[arg(long, default_value_t = 1000)]
		payments: usize,
		#[arg(long, default_value_t = 7)]
		seed: u64,
	},
	/// Benchmark: N payments between two local nodes with durable storage.
	BenchPayments {
		#[arg(long, default_value_t = 1000)]
		count: u64,
		/// Payments in flight at once (1: each waits for the one before).
		#[arg(long, default_value_t = 64)]
		concurrency: u64,
		/// Where the two stores go (a temporary directory by default, removed after).
		#[arg(long)]
		dir: Option<PathBuf>,
		/// Print `acked N` as each payment is acknowledged (for crash tests).
		#[arg(long)]
		acks: bool,
	},
}

#[derive(Subcommand)]
enum LinkCommand {
	/// Prints a link asking for --amount of --asset to be paid to this key, signed by it; with
	/// --channel, paid over a payment channel to a new invoice (kept in --store).
	Create {
		/// `native` (TPW) or an asset id.
		#[arg(long, default_value = "native")]
		asset: String,
		/// In the asset's smallest unit.
		#[arg(long)]
		amount: u128,
		/// Seconds until the request expires.
		#[arg(long, default_value_t = 3600)]
		expires_in: u64,
		/// What the payment is for (at most 140 bytes).
		#[arg(long)]
		memo: Option<String>,
		#[arg(long)]
		channel: bool,
	},
	/// Verifies a link for this chain and now, and prints what it asks for (JSON).
	Show { link: String },
	/// Verifies a link and pays it: on chain, or over this key's channels (routed over the
	/// graph gossip taught, or --graph, when no channel with the payee can carry it).
	Pay {
		link: String,
		/// JSON graph of known channels, to route a channel payment to a payee that is not a
		/// counterparty (by default the graph gossip taught this store).
		#[arg(long)]
		graph: Option<PathBuf>,
		/// Blocks the last hop of a channel payment stays claimable.
		#[arg(long, default_value_t = 40)]
		final_delta: BlockNumber,
	},
}

#[derive(Subcommand)]
enum BridgeCommand {
	/// Sends --amount of --asset to --to on the bridged chain: a listed asset is locked here
	/// (and minted there as its wrapped representation), a wrapped one is burned (and released
	/// there). A relayer (`tpw-relayer run`) carries the message across.
	Transfer {
		/// `native` or a `pallet-assets` id.
		#[arg(long, default_value = "native")]
		asset: String,
		#[arg(long)]
		amount: Balance,
		/// The beneficiary's account on the bridged chain.
		#[arg(long)]
		to: String,
	},
	/// Shows the lanes, the light client's best finalized header, locked and wrapped assets.
	Status,
}

#[derive(Subcommand)]
enum SwapCommand {
	/// Draws a secret (kept in --store), locks --amount for --to under its SHA-256 hash.
	Initiate {
		#[arg(long)]
		to: String,
		#[arg(long)]
		amount: Balance,
		/// `native` or a `pallet-assets` id.
		#[arg(long, default_value = "native")]
		asset: String,
		/// Time lock, in blocks.
		#[arg(long)]
		blocks: BlockNumber,
	},
	/// Checks the initiator's swap on --counter-url, then locks --amount for --to under its hash.
	Participate {
		#[arg(long)]
		to: String,
		#[arg(long)]
		amount: Balance,
		#[arg(long, default_value = "native")]
		asset: String,
		/// The initiator's hash lock (hex).
		#[arg(long)]
		hash: String,
		/// Time lock, in blocks; the initiator's lock must outlive it by --margin.
		#[arg(long)]
		blocks: BlockNumber,
		/// Blocks the initiator's lock must remain open after this one expires (default: half
		/// of --blocks).
		#[arg(long)]
		margin: Option<BlockNumber>,
		/// The initiator's chain.
		#[arg(long)]
		counter_url: String,
		/// The initiator's swap id there.
		#[arg(long)]
		counter_swap: u64,
		/// What the initiator's swap must pay this key there.
		#[arg(long)]
		counter_amount: Balance,
		#[arg(long, default_value = "native")]
		counter_asset: String,
	},
	/// Claims --swap with the secret: --secret, the one revealed on --from-url, or the store's.
	Claim {
		#[arg(long)]
		swap: u64,
		#[arg(long, conflicts_with = "from_url")]
		secret: Option<String>,
		/// The other chain, where the secret was revealed by claiming --from-swap.
		#[arg(long, requires = "from_swap")]
		from_url: Option<String>,
		#[arg(long, requires = "from_url")]
		from_swap: Option<u64>,
		/// How many recent blocks of --from-url to search for the claim.
		#[arg(long, default_value_t = 1200)]
		depth: BlockNumber,
	},
	/// Returns an expired swap to its sender.
	Refund {
		#[arg(long)]
		swap: u64,
	},
	/// Shows a swap.
	Status {
		#[arg(long)]
		swap: u64,
	},
}

#[tokio::main]
async fn main() {
	tpw_client::logging::init();
	if let Err(e) = run(Cli::parse()).await {
		eprintln!("error: {e:#}");
		std::process::exit(1);
	}
}

impl Cli {
	fn keys(&self) -> Result<Keys> {
		match (&self.key_file, &self.suri) {
			(Some(path), _) => Keys::from_file(path),
			(None, Some(uri)) => Keys::from_uri(uri),
			(None, None) => bail!("give --suri or --key-file"),
		}
	}

	/// A connection to --url whose submissions wait as far as the flags say.
	async fn connect(&self, url: &str) -> Result<Chain> {
		let wait = if self.no_wait_finality { Wait::Inclusion } else { Wait::Finality };
		Ok(Chain::connect(url).await?.waiting_for(wait))
	}

	fn node(&self, chain: &Arc<Chain>, config: Config) -> Result<Node> {
		let config = Config { tower: self.tower.clone(), ..config };
		Ok(Node::new(self.keys()?, Store::open(&self.store)?, chain.clone(), config))
	}
}

/// Carries out `request` through the `tpw listen` running on this store, if one runs (its
/// sessions keep their channels, and it acts with its own key), or here.
async fn perform(cli: &Cli, request: Request) -> Result<Done> {
	if let Some(done) = control::ask(&control::socket_path(&cli.store), &request).await? {
		log::info!("carried out by the tpw listen running on {}", cli.store.display());
		return Ok(done);
	}
	let chain = Arc::new(cli.connect(&cli.url).await?);
	let node = cli.node(&chain, Config::default())?;
	let done = Operator { chain, node: node.clone(), keys: cli.keys()? }.perform(&request).await;
	// A one-shot command's blobs reach the tower before it exits (or wait in the outbox).
	if !node.flush_tower(Duration::from_secs(10)).await {
		log::warn!("the watchtower has not confirmed every state yet: they wait in the store");
	}
	done
}

async fn run(cli: Cli) -> Result<()> {
	let connect = || cli.connect(&cli.url);
	match &cli.command {
		Command::Account => println!("{}", keys::ss58(cli.keys()?.account())),
		Command::Open { to, deposit, asset, peer_addr } => {
			let (to, asset, peer_addr) = (to.clone(), asset.clone(), peer_addr.clone());
			let request = Request::Open { to, deposit: *deposit, asset, peer_addr };
			println!("{}", perform(&cli, request).await?);
		}
		Command::TopUp { channel, amount } => {
			let request = Request::TopUp { channel: *channel, amount: *amount };
			println!("{}", perform(&cli, request).await?);
		}
		Command::Channel { channel, peer_addr } => {
			let (chain, store) = (connect().await?, Store::open(&cli.store)?);
			let info = chain.channel_at(*channel, None).await?;
			match &info {
				Some(info) => println!("on chain: {}", describe(info)),
				None => println!("on chain: no channel {channel} (never opened, or settled)"),
			}
			if let Some(addr) = peer_addr {
				let _lock = store.lock(*channel)?;
				let mut chan = match (store.load(*channel)?, &info) {
					(Some(chan), _) => chan,
					(None, Some(info)) => operations::local(&chain, *channel, info, &cli.keys()?)?,
					(None, None) => bail!("nothing to record"),
				};
				chan.peer_addr = Some(addr.clone());
				store.save(&chan)?;
			}
			match store.load(*channel)? {
				Some(chan) => println!("in store: {}", ChannelSummary::of(&chan)),
				None => println!("in store: nothing"),
			}
		}
		Command::Listen { addr, fee_base, fee_ppm, expiry_delta, idle_secs } => {
			let chain = Arc::new(connect().await?);
			let config = Config {
				fee_base: *fee_base,
				fee_ppm: *fee_ppm,
				expiry_delta: *expiry_delta,
				idle: Duration::from_secs(*idle_secs),
				..Config::default()
			};
			let node = cli.node(&chain, config)?;
			// Before listening: a second listener on this store stops here.
			let control_path = control::socket_path(&cli.store);
			let control = control::bind(&control_path).await?;
			let bound = node.listen(addr).await?;
			let operator = Operator { chain: chain.clone(), node: node.clone(), keys: cli.keys()? };
			tokio::spawn(control::serve(control, Arc::new(operator)));
			println!(
				"listening on {bound} as {}; control socket {}",
				keys::ss58(node.account()),
				control_path.display()
			);
			// Each block: claim what can be claimed, take back what expired.
			loop {
				tokio::time::sleep(Duration::from_secs(3)).await;
				node.reconcile_all().await;
			}
		}
		Command::Pay { channel, amount, count } => {
			let request = Request::Pay { channel: *channel, amount: *amount, count: *count };
			println!("{}", perform(&cli, request).await?);
		}
		Command::Link { command } => match command {
			LinkCommand::Create { asset, amount, expires_in, memo, channel } => {
				let chain = connect().await?;
				let asset = link_commands::parse_link_asset(asset)?;
				let keys = cli.keys()?;
				let link = link_commands::create(
					&chain,
					&keys,
					&cli.store,
					asset,
					*amount,
					*expires_in,
					memo.clone(),
					*channel,
				)?;
				println!("{link}");
			}
			LinkCommand::Show { link } => {
				let request = link_commands::verify(&connect().await?, link)?;
				println!("{}", serde_json::to_string_pretty(&link_commands::describe(&request))?);
			}
			LinkCommand::Pay { link, graph, final_delta } => {
				let chain = Arc::new(connect().await?);
				let request = link_commands::verify(&chain, link)?;
				match request.method {
					tpw_client::link::Method::Chain => {
						let paid =
							link_commands::pay_on_chain(&chain, &cli.keys()?, &request).await?;
						println!("{paid}");
					}
					tpw_client::link::Method::Channel => {
						let node = cli.node(&chain, Config::default())?;
						let preimage = link_commands::pay_over_channel(
							&chain,
							&node,
							&request,
							graph.as_deref(),
							*final_delta,
						)
						.await?;
						println!("paid; proof of payment (preimage): 0x{}", hex::encode(preimage));
					}
				}
			}
		},
		Command::Graph => {
			let chain: Arc<dyn tpw_client::chain::ChainView> = Arc::new(connect().await?);
			let node = Node::new(cli.keys()?, Store::open(&cli.store)?, chain, Config::default());
			println!("{}", serde_json::to_string_pretty(&node.learned_graph(None))?);
		}
		Command::Invoice { amount } => {
			let lock = Store::open(&cli.store)?.new_invoice(*amount, None)?;
			println!("0x{}", hex::encode(lock));
		}
		Command::PayRoute { to, amount, hash, graph, final_delta, attempts } => {
			let chain = Arc::new(connect().await?);
			let node = cli.node(&chain, Config::default())?;
			let lock = parse_hash(hash, "--hash")?;
			// Our own channels at their exact capacity: our balance in them.
			if graph.is_none() {
				node.refresh_gossip(None, Duration::from_secs(5)).await;
			}
			let graph = link_commands::load_graph(&node, graph.as_deref(), None)?;
			let now = chain.best().await?.0;
			let to = keys::parse_account(to)?;
			let mut mission = payment::load_mission(node.store())?;
			let (amount, delta) = (*amount, *final_delta);
			let paid =
				payment::pay(&node, &graph, &mut mission, &to, amount, lock, now, delta, *attempts)
					.await;
			// What the attempts taught is kept, paid or not.
			payment::save_mission(node.store(), &mission, payment::now_secs())?;
			let paid = paid?;
			let route = &paid.attempts.last().context("no attempt")?.route;
			for hop in &route.hops {
				println!(
					"hop: channel {} {} -> {} amount {} expiry {}",
					hop.channel,
					keys::ss58(&hop.from),
					keys::ss58(&hop.to),
					hop.amount,
					hop.expiry
				);
			}
			println!("fee: {}", route.fee);
			println!("attempts: {}", paid.attempts.len());
			println!("paid; proof of payment (preimage): 0x{}", hex::encode(paid.preimage));
		}
		Command::CooperativeClose { channel } => {
			println!("{}", perform(&cli, Request::CooperativeClose { channel: *channel }).await?);
		}
		Command::Close { channel } => {
			println!("{}", perform(&cli, Request::Close { channel: *channel }).await?);
		}
		Command::Settle { channel } => {
			let (chain, keys) = (connect().await?, cli.keys()?);
			println!("{}", operations::settle(&chain, &keys, *channel).await?);
		}
		Command::Watch { channel, settle, poll_ms } => {
			let tower = Watchtower {
				// It reacts at the best block; finality is its own judgement (see `Watchtower`).
				chain: Chain::connect(&cli.url).await?,
				keys: cli.keys()?,
				store: Store::open(&cli.store)?,
				channels: channel.clone(),
				settle: *settle,
				poll: Duration::from_millis(*poll_ms),
			};
			println!("watching {} as {}", cli.store.display(), keys::ss58(tower.keys.account()));
			tower.run().await?;
		}
		Command::Tower { addr, quota, capacity, allow, poll_ms } => {
			let limits = Limits { quota: *quota, capacity: *capacity };
			let allowed = if allow.is_empty() {
				None
			} else {
				Some(allow.iter().map(|a| keys::parse_account(a)).collect::<Result<Vec<_>>>()?)
			};
			// Submissions return at inclusion: a challenge is urgent, the tower follows on.
			let chain = Chain::connect(&cli.url).await?;
			let keys = cli.keys()?;
			let tower = Arc::new(Tower::new(chain, keys, &cli.store, limits, allowed)?);
			let listener = tokio::net::TcpListener::bind(addr).await?;
			println!(
				"tower on {} as {}, {} blobs held",
				listener.local_addr()?,
				keys::ss58(tower.keys.account()),
				tower.keeper.blobs().len()
			);
			tokio::spawn(tower.keeper.clone().serve(listener));
			tower.watch(Duration::from_millis(*poll_ms)).await?;
		}
		Command::DevChallengePeriod { blocks } => {
			let (chain, keys) = (connect().await?, cli.keys()?);
			let included = chain.submit(&keys, calls::dev_challenge_period(*blocks)).await?;
			chain.check_sudo(&included).await?;
			println!("challenge period set to {blocks} blocks");
		}
		Command::DevHtlcMinLock { blocks } => {
			let (chain, keys) = (connect().await?, cli.keys()?);
			let included = chain.submit(&keys, calls::dev_htlc_min_lock(*blocks)).await?;
			chain.check_sudo(&included).await?;
			println!("HTLC minimum lock set to {blocks} blocks");
		}
		Command::Balance { account, asset } => {
			let who = match account {
				Some(a) => keys::parse_account(a)?,
				None => cli.keys()?.account().clone(),
			};
			match asset {
				Some(id) => {
					let free = connect().await?.asset_balance(*id, &who).await?;
					println!("free {free} (asset {id})");
				}
				None => {
					let (free, reserved) = connect().await?.native_balance(&who).await?;
					println!("free {free} reserved {reserved}");
				}
			}
		}
		Command::Bridge { command } => match command {
			BridgeCommand::Transfer { asset, amount, to } => {
				let (chain, keys) = (connect().await?, cli.keys()?);
				let to = keys::parse_account(to)?;
				let sent =
					bridge::transfer(&chain, &keys, parse_asset(asset)?, *amount, to.clone())
						.await?;
				println!(
					"sent {amount} of {asset} to {} in block {:?}: nonce {} fee {}",
					keys::ss58(&to),
					sent.block,
					sent.nonce,
					sent.fee
				);
			}
			BridgeCommand::Status => println!("{}", bridge::status(&connect().await?).await?),
		},
		Command::Swap { command } => run_swap(&cli, command).await?,
		Command::BenchRouting { nodes, payments, seed } => {
			let scenario = tpw_client::route_sim::Scenario {
				nodes: *nodes,
				payments: *payments,
				seed: *seed,
				..Default::default()
			};
			print!("{}", tpw_client::route_sim::table(&scenario));
		}
		Command::BenchPayments { count, concurrency, dir, acks } => {
			let (dir, temporary) = match dir {
				Some(dir) => (dir.clone(), false),
				None => {
					(std::env::temp_dir().join(format!("tpw-bench-{}", std::process::id())), true)
				}
			};
			let print = *acks;
			let acked = Arc::new(move |n: u64| {
				if print {
					println!("acked {n}");
				}
			});
			let report = bench::run(*count, *concurrency, &dir, acked).await;
			if temporary {
				let _ = std::fs::remove_dir_all(&dir);
			}
			print!("{}", report?);
		}
	}
	Ok(())
}

/// `tpw swap ...`.
async fn run_swap(cli: &Cli, command: &SwapCommand) -> Result<()> {
	let url = &cli.url;
	let chain = cli.connect(url).await?;
	match command {
		SwapCommand::Initiate { to, amount, asset, blocks } => {
			let store = Store::open(&cli.store)?;
			let to = keys::parse_account(to)?;
			let asset = parse_asset(asset)?;
			let locked =
				swap::initiate(&chain, &cli.keys()?, &store, to, asset, *amount, *blocks).await?;
			println!("swap {}", locked.swap_id);
			println!("hash lock 0x{}", hex::encode(locked.hash_lock));
			println!("expires at block {}", locked.expires_at);
			println!("storage deposit {}", locked.deposit);
		}
		SwapCommand::Participate {
			to,
			amount,
			asset,
			hash,
			blocks,
			margin,
			counter_url,
			counter_swap,
			counter_amount,
			counter_asset,
		} => {
			let expected = swap::Expected {
				swap_id: *counter_swap,
				hash_lock: parse_hash(hash, "--hash")?,
				asset: parse_asset(counter_asset)?,
				amount: *counter_amount,
			};
			let counter = Chain::connect(counter_url).await?;
			let locked = swap::participate(
				&chain,
				&counter,
				counter_url,
				&cli.keys()?,
				&expected,
				keys::parse_account(to)?,
				parse_asset(asset)?,
				*amount,
				*blocks,
				margin.unwrap_or((*blocks / 2).max(1)),
			)
			.await?;
			println!("swap {}", locked.swap_id);
			println!("hash lock 0x{}", hex::encode(locked.hash_lock));
			println!("expires at block {}", locked.expires_at);
			println!("storage deposit {}", locked.deposit);
		}
		SwapCommand::Claim { swap: id, secret, from_url, from_swap, depth } => {
			let store = Store::open(&cli.store)?;
			let theirs = swap::open_swap(&chain, *id, url).await?;
			let preimage = match (secret, from_url, from_swap) {
				(Some(secret), _, _) => hex::decode(secret.trim_start_matches("0x"))
					.map_err(|_| anyhow!("--secret: expected hex"))?,
				(None, Some(from_url), Some(from_swap)) => {
					let other = Chain::connect(from_url).await?;
					let preimage =
						swap::find_revealed(&other, from_url, *from_swap, *depth).await?;
					println!("secret revealed on {from_url}: 0x{}", hex::encode(&preimage));
					// Kept, so that a retry needs no search.
					let record = swap::Secret { preimage: preimage.clone(), swap: None };
					swap::save_secret(&store, &theirs.hash_lock, &record)?;
					preimage
				}
				_ => {
					swap::load_secret(&store, &theirs.hash_lock)?
						.ok_or_else(|| {
							anyhow!(
								"no secret for swap {id}'s lock 0x{} in {}: give --secret or \
								 --from-url/--from-swap",
								hex::encode(theirs.hash_lock),
								cli.store.display()
							)
						})?
						.preimage
				}
			};
			let block = swap::claim(&chain, url, &cli.keys()?, *id, preimage).await?;
			println!(
				"claimed swap {id}: {} to {} in block {block:?}",
				theirs.amount,
				keys::ss58(&theirs.recipient)
			);
		}
		SwapCommand::Refund { swap: id } => {
			let theirs = swap::open_swap(&chain, *id, url).await?;
			let block = swap::refund(&chain, url, &cli.keys()?, *id).await?;
			println!(
				"refunded swap {id}: {} to {} in block {block:?}",
				theirs.amount,
				keys::ss58(&theirs.sender)
			);
		}
		SwapCommand::Status { swap: id } => {
			let best = chain.best().await?.0;
			let Some(s) = swap::swap_at(&chain, *id, None).await? else {
				println!(
					"no open swap {id} (never locked, claimed or refunded); best block {best}"
				);
				return Ok(());
			};
			println!(
				"swap {id}: {} of {:?} from {} to {}, hash lock 0x{} ({:?})",
				s.amount,
				s.asset,
				keys::ss58(&s.sender),
				keys::ss58(&s.recipient),
				hex::encode(s.hash_lock),
				s.hash_algorithm
			);
			if best + 1 < s.expires_at {
				println!("open: claimable until block {}, best block {best}", s.expires_at - 1);
			} else {
				println!("expired: refundable since block {}, best block {best}", s.expires_at);
			}
			if swap::load_secret(&Store::open(&cli.store)?, &s.hash_lock)?.is_some() {
				println!("secret: in {}", cli.store.display());
			}
		}
	}
	Ok(())
}

fn parse_hash(s: &str, what: &str) -> Result<[u8; 32]> {
	hex::decode(s.trim_start_matches("0x"))
		.ok()
		.and_then(|b| b.try_into().ok())
		.ok_or_else(|| anyhow!("{what}: expected 32 bytes of hex"))
}

fn describe(info: &ChannelInfo) -> String {
	use tpwallet_payment_channels_primitives::ChannelStatus;
	let status = match &info.status {
		ChannelStatus::Open => "open".to_owned(),
		ChannelStatus::Closing { closer, nonce, closes_at, resolved } => format!(
			"closing by {} on state {nonce:?}, settle from block {closes_at}, {resolved} resolved",
			keys::ss58(closer)
		),
	};
	format!(
		"A {} B {} asset {:?} deposits {:?}, {status}",
		keys::ss58(&info.party_a),
		keys::ss58(&info.party_b),
		info.asset,
		info.deposits
	)
}
