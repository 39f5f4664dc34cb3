//! `tpw-relayer`: relays GRANDPA-finalized headers, messages and receipts between two tpwallet
//! chains; plus the sudo set-up of dev/test bridges and, as test tooling, crafted attacks.

use anyhow::{anyhow, bail, Context, Result};
use clap::{Parser, Subcommand};
use polkadot_sdk::{frame_support::traits::fungible::NativeOrWithId, sp_core::H256};
use std::time::Duration;
use tpw_client::{keys::Keys, AssetKind, Balance, BlockNumber};
use tpw_relayer::{
	attack, calls,
	relay::{Relayer, Side},
	setup,
};

#[derive(Parser)]
#[command(
	name = "tpw-relayer",
	version,
	about = "Relayer of the bridge between two tpwallet chains"
)]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// DEV/TEST NETWORKS ONLY: through the sudo key of each chain, starts its light client of
	/// the other at the other's finalized header and sets the other as its bridged chain.
	/// What is already set is skipped.
	Init {
		/// Chain A's JSON-RPC endpoint.
		#[arg(long)]
		a: String,
		/// Chain B's JSON-RPC endpoint.
		#[arg(long)]
		b: String,
		/// Secret URI of the sudo key (the same on both chains).
		#[arg(long)]
		sudo: String,
	},
	/// Relays headers, messages and receipts both ways between A and B.
	Run {
		#[arg(long)]
		a: String,
		#[arg(long)]
		b: String,
		/// Secret URI of the key that signs and pays for the relayed extrinsics on both chains.
		#[arg(long)]
		signer: String,
		/// One round (both directions), then exit.
		#[arg(long)]
		once: bool,
		#[arg(long, default_value_t = 2000)]
		poll_ms: u64,
	},
	/// DEV/TEST NETWORKS ONLY: bridge governance through the sudo key.
	Dev {
		/// The chain's JSON-RPC endpoint.
		#[arg(long)]
		url: String,
		/// Secret URI of the signer (the sudo key, but for send-message).
		#[arg(long)]
		suri: String,
		#[command(subcommand)]
		command: DevCommand,
	},
	/// TEST TOOLING: submits a crafted extrinsic that the chain must reject; prints the error.
	/// Fails if the chain accepts it. Run while no relayer runs.
	Attack {
		/// The chain whose data is forged or replayed.
		#[arg(long)]
		src: String,
		/// The chain the crafted extrinsic goes to.
		#[arg(long)]
		dst: String,
		#[arg(long)]
		signer: String,
		#[command(subcommand)]
		command: AttackCommand,
	},
}

#[derive(Subcommand)]
enum DevCommand {
	/// Lists a local asset for bridging, with its rate limit.
	ListAsset {
		/// `native` or a `pallet-assets` id.
		#[arg(long)]
		asset: String,
		#[arg(long)]
		max_per_window: Balance,
		/// Window length, in blocks.
		#[arg(long)]
		window: BlockNumber,
	},
	/// Creates --local as the wrapped representation of the other chain's --remote.
	RegisterWrapped {
		#[arg(long)]
		remote: String,
		/// An unused `pallet-assets` id.
		#[arg(long)]
		local: u32,
		#[arg(long)]
		min_balance: Balance,
		#[arg(long)]
		max_per_window: Balance,
		#[arg(long)]
		window: BlockNumber,
	},
	/// Opens an outbound lane to another chain (its genesis hash).
	OpenLane {
		#[arg(long)]
		destination: String,
	},
	/// Sends an application message (signed by --suri, not sudo).
	SendMessage {
		#[arg(long)]
		destination: String,
		#[arg(long)]
		remark: String,
	},
}

#[derive(Subcommand)]
enum AttackCommand {
	/// A justification with one signature byte changed (expects
	/// BridgeGrandpa::InvalidJustification).
	ForgedJustification,
	/// A message proof with one byte changed (expects Bridge::InvalidStorageProof).
	ForgedProof,
	/// The last delivered message again (expects Bridge::MessageAlreadyDelivered).
	Replay,
	/// A message of --src for another chain (expects Bridge::WrongDestination).
	WrongDestination {
		/// The chain the message was sent to (genesis hash).
		#[arg(long)]
		destination: String,
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

async fn run(cli: Cli) -> Result<()> {
	match cli.command {
		Command::Init { a, b, sudo } => {
			let (a, b) = (Side::connect("A", &a).await?, Side::connect("B", &b).await?);
			setup::init(&a, &b, &Keys::from_uri(&sudo)?).await?;
		}
		Command::Run { a, b, signer, once, poll_ms } => {
			let relayer = Relayer {
				a: Side::connect("A", &a).await?,
				b: Side::connect("B", &b).await?,
				signer: Keys::from_uri(&signer)?,
			};
			relayer.check().await?;
			log::info!(
				"relaying between A ({:?}) and B ({:?}) as {}",
				relayer.a.id,
				relayer.b.id,
				tpw_client::keys::ss58(relayer.signer.account())
			);
			if once {
				relayer.round().await;
			} else {
				relayer.run(Duration::from_millis(poll_ms)).await;
			}
		}
		Command::Dev { url, suri, command } => {
			let (side, keys) = (Side::connect("chain", &url).await?, Keys::from_uri(&suri)?);
			run_dev(&side, &keys, command).await?;
		}
		Command::Attack { src, dst, signer, command } => {
			let (src, dst) = (Side::connect("src", &src).await?, Side::connect("dst", &dst).await?);
			let signer = Keys::from_uri(&signer)?;
			let error = match command {
				AttackCommand::ForgedJustification => {
					attack::forged_justification(&src, &dst, &signer).await?
				}
				AttackCommand::ForgedProof => attack::forged_proof(&src, &dst, &signer).await?,
				AttackCommand::Replay => attack::replay(&src, &dst, &signer).await?,
				AttackCommand::WrongDestination { destination } => {
					let destination = parse_chain(&destination)?;
					attack::wrong_destination(&src, &dst, &signer, destination).await?
				}
			};
			println!("rejected: {error}");
		}
	}
	Ok(())
}

async fn run_dev(side: &Side, keys: &Keys, command: DevCommand) -> Result<()> {
	match command {
		DevCommand::ListAsset { asset, max_per_window, window } => {
			let call = calls::list_asset(parse_asset(&asset)?, max_per_window, window);
			setup::sudo_call(side, keys, call).await?;
			println!("listed {asset}: at most {max_per_window} per {window} blocks each way");
		}
		DevCommand::RegisterWrapped { remote, local, min_balance, max_per_window, window } => {
			let remote_asset = parse_asset(&remote)?;
			let call = calls::register_wrapped(
				remote_asset,
				NativeOrWithId::WithId(local),
				min_balance,
				max_per_window,
				window,
			);
			setup::sudo_call(side, keys, call).await?;
			println!("registered asset {local} as the wrapped {remote} of the bridged chain");
		}
		DevCommand::OpenLane { destination } => {
			setup::sudo_call(side, keys, calls::open_lane(parse_chain(&destination)?)).await?;
			println!("opened a lane to {destination}");
		}
		DevCommand::SendMessage { destination, remark } => {
			let remark = remark.into_bytes().try_into().map_err(|_| {
				anyhow!("--remark: at most {} bytes", tpwallet_bridge_primitives::MAX_REMARK_LEN)
			})?;
			let call = calls::send_message(parse_chain(&destination)?, remark);
			let included = side.chain.submit(keys, call).await?;
			println!("sent a message to {destination} in block {:?}", included.block);
		}
	}
	Ok(())
}

fn parse_asset(s: &str) -> Result<AssetKind> {
	if s.eq_ignore_ascii_case("native") {
		return Ok(NativeOrWithId::Native);
	}
	Ok(NativeOrWithId::WithId(s.parse().with_context(|| format!("asset {s}"))?))
}

fn parse_chain(s: &str) -> Result<H256> {
	let bytes = hex::decode(s.trim_start_matches("0x")).context("chain id: expected hex")?;
	if bytes.len() != 32 {
		bail!("chain id: expected 32 bytes, got {}", bytes.len());
	}
	Ok(H256::from_slice(&bytes))
}
