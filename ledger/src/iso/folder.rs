//! Intake from a watched folder, for hubs that drop files instead of calling an API. Each
//! `*.xml` file in the folder is taken like a message posted to the API, then moved to `done/`
//! (or `refused/` when the whole message is refused) beside its outcome, `<name>.outcome.json`.
//! A writer writes elsewhere (or to a name not ending in `.xml`) and renames the file in, so a
//! file is never read half-written. A crash between taking a file and moving it takes it again
//! on restart: its transfers are duplicates then (`AM05`), so nothing pays twice.

use super::api::{Gateway, MAX_MESSAGE};
use anyhow::{Context, Result};
use std::{
	path::{Path, PathBuf},
	sync::Arc,
	time::Duration,
};

/// How often the folder is looked at.
const EVERY: Duration = Duration::from_millis(500);

pub struct Inbox {
	pub gateway: Arc<Gateway>,
	pub dir: PathBuf,
}

impl Inbox {
	pub async fn run(&self) -> Result<()> {
		for sub in ["done", "refused"] {
			tokio::fs::create_dir_all(self.dir.join(sub))
				.await
				.with_context(|| format!("creating {}", self.dir.join(sub).display()))?;
		}
		loop {
			self.pass().await?;
			tokio::time::sleep(EVERY).await;
		}
	}

	/// Takes every message waiting, in name order; how many.
	pub async fn pass(&self) -> Result<usize> {
		let mut names = Vec::new();
		let mut entries = tokio::fs::read_dir(&self.dir).await?;
		while let Some(entry) = entries.next_entry().await? {
			let name = entry.file_name().to_string_lossy().into_owned();
			if name.ends_with(".xml")
				&& !name.starts_with('.')
				&& entry.file_type().await?.is_file()
			{
				names.push(name);
			}
		}
		names.sort();
		for name in &names {
			self.take(name).await?;
		}
		Ok(names.len())
	}

	async fn take(&self, name: &str) -> Result<()> {
		let path = self.dir.join(name);
		let size = tokio::fs::metadata(&path).await?.len();
		let (refused, outcome) = if size > MAX_MESSAGE as u64 {
			// Not read into memory at all.
			let outcome = serde_json::json!({
				"reasonCode": "FF01",
				"reason": format!("{size} bytes: a message holds at most {MAX_MESSAGE} bytes"),
			});
			(true, outcome)
		} else {
			let bytes = tokio::fs::read(&path).await?;
			let source = format!("folder:{name}");
			let outcome = self.gateway.intake.accept(&self.gateway.db, &bytes, &source).await?;
			(outcome.reason_code.is_some(), serde_json::to_value(&outcome)?)
		};
		let to = self.dir.join(if refused { "refused" } else { "done" });
		write_outcome(&to, name, &outcome).await?;
		tokio::fs::rename(&path, to.join(name))
			.await
			.with_context(|| format!("moving {name} to {}", to.display()))?;
		log::info!("gateway inbox: {name} taken ({})", if refused { "refused" } else { "done" });
		Ok(())
	}
}

/// `<dir>/<name>.outcome.json`, written whole (a reader never sees half of it).
async fn write_outcome(dir: &Path, name: &str, outcome: &serde_json::Value) -> Result<()> {
	let part = dir.join(format!(".{name}.outcome.json.part"));
	tokio::fs::write(&part, serde_json::to_vec_pretty(outcome)?).await?;
	tokio::fs::rename(&part, dir.join(format!("{name}.outcome.json"))).await?;
	Ok(())
}
