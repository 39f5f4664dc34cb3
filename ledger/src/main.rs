//! `tpw-ledger`: books the chain's finalized blocks into PostgreSQL and answers from the books.

use anyhow::{anyhow, Result};
use clap::{Parser, Subcommand, ValueEnum};
use tpw_client::chain::Chain;
use tpwallet_ledger::{audit, ingest::Ingest, store::Store};

#[derive(Parser)]
#[command(name = "tpw-ledger", version, about)]
struct Cli {
	/// The node's JSON-RPC endpoint (an archive node, or one whose pruning window covers the
	/// blocks not yet booked).
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	url: String,
	/// The PostgreSQL database (`host=… port=… user=… dbname=…`).
	#[arg(long)]
	db: String,
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
	/// An account's balances in the books, as JSON: free, held by reason, reserved.
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
}

#[derive(Subcommand)]
enum AuditCommand {
	/// Recomputes the hash chain over the whole journal; fails at the first entry that breaks it.
	Verify,
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
	let store = Store::connect(&cli.db).await?;
	match cli.command {
		Command::Ingest { until, follow } => {
			let chain = Chain::connect(&cli.url).await?;
			Ingest { chain, store }.run(until, follow).await
		}
		Command::Balance { account } => {
			tpw_client::keys::parse_account(&account)?;
			// One read of the holder's accounts: free, held/<reason>, reserved.
			let prefix = format!("holder/{account}/");
			let (mut free, mut reserved) = (0i128, 0i128);
			let mut held = serde_json::Map::new();
			for (name, amount) in store.balances(&prefix).await? {
				match name.strip_prefix(&prefix) {
					Some("free") => free = amount,
					Some("reserved") => reserved = amount,
					Some(rest) => {
						let reason = rest.strip_prefix("held/").unwrap_or(rest).to_string();
						held.insert(reason, serde_json::Value::String(amount.to_string()));
					}
					None => {}
				}
			}
			let out = serde_json::json!({
				"account": account,
				"free": free.to_string(),
				"held": held,
				"reserved": reserved.to_string(),
			});
			emit(out);
			Ok(())
		}
		Command::Alerts => {
			for alert in store.alerts().await? {
				let out = serde_json::json!({
					"block": alert.block, "account": alert.account, "kind": alert.kind,
					"ledger": alert.ledger.to_string(), "chain": alert.chain.to_string(),
				});
				emit(out);
			}
			Ok(())
		}
		Command::Status => {
			let cursor = store.cursor().await?;
			let out = match cursor {
				Some(c) => serde_json::json!({
					"block": c.block, "blockHash": format!("0x{}", hex::encode(c.block_hash)),
					"seq": c.seq, "head": format!("0x{}", hex::encode(c.head)),
				}),
				None => serde_json::Value::Null,
			};
			emit(out);
			Ok(())
		}
		Command::Audit { command: AuditCommand::Verify } => {
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
			emit(serde_json::json!({
				"verified": cursor.seq,
				"head": format!("0x{}", hex::encode(head)),
			}));
			Ok(())
		}
		Command::Audit { command: AuditCommand::Export { from, to, format } } => {
			if matches!(format, Format::Csv) {
				emit("seq,block,phase,event_index,kind,line,account,debit,credit,hash");
			}
			for (entry, hash) in store.entries(from, to).await? {
				let hash = format!("0x{}", hex::encode(hash));
				match format {
					Format::Jsonl => {
						let lines: Vec<_> = entry
							.lines
							.iter()
							.map(|l| {
								serde_json::json!({
									"account": l.account, "debit": l.debit.to_string(),
									"credit": l.credit.to_string(),
								})
							})
							.collect();
						let out = serde_json::json!({
							"seq": entry.seq, "block": entry.block, "phase": entry.phase,
							"eventIndex": entry.event_index, "kind": entry.kind,
							"lines": lines, "hash": hash,
						});
						emit(out);
					}
					Format::Csv => {
						for (n, l) in entry.lines.iter().enumerate() {
							emit(format_args!(
								"{},{},{},{},{},{},{},{},{},{}",
								entry.seq,
								entry.block,
								csv(&entry.phase),
								entry.event_index,
								csv(&entry.kind),
								n,
								csv(&l.account),
								l.debit,
								l.credit,
								hash
							));
						}
					}
				}
			}
			Ok(())
		}
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

/// A CSV field, quoted when it needs to be.
fn csv(field: &str) -> String {
	if field.contains([',', '"', '\n']) {
		format!("\"{}\"", field.replace('"', "\"\""))
	} else {
		field.to_string()
	}
}
