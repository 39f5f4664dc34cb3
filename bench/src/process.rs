//! A node's CPU time and peak memory, from `/proc` (Linux): what the load cost the node.

use anyhow::{anyhow, Context, Result};
use serde::Serialize;

/// Clock ticks per second of `/proc/<pid>/stat` times (`USER_HZ`, 100 on Linux).
const TICKS_PER_SEC: f64 = 100.0;

/// CPU seconds (user + system) the process has used so far.
pub fn cpu_seconds(pid: u32) -> Result<f64> {
	let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
		.with_context(|| format!("reading /proc/{pid}/stat"))?;
	parse_cpu_seconds(&stat)
}

fn parse_cpu_seconds(stat: &str) -> Result<f64> {
	// The command name may hold spaces: fields are counted after its closing parenthesis.
	let rest = stat.rsplit_once(')').map(|(_, r)| r).ok_or_else(|| anyhow!("bad stat line"))?;
	let fields: Vec<&str> = rest.split_whitespace().collect();
	// After the name: state is field 3 of the line, utime 14, stime 15.
	let tick = |i: usize| -> Result<f64> {
		Ok(fields.get(i).ok_or_else(|| anyhow!("short stat line"))?.parse::<u64>()? as f64)
	};
	Ok((tick(11)? + tick(12)?) / TICKS_PER_SEC)
}

/// The process's peak resident memory so far (`VmHWM`), MiB.
pub fn peak_rss_mib(pid: u32) -> Result<f64> {
	let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
		.with_context(|| format!("reading /proc/{pid}/status"))?;
	parse_peak_rss_mib(&status)
}

fn parse_peak_rss_mib(status: &str) -> Result<f64> {
	let line = status
		.lines()
		.find(|l| l.starts_with("VmHWM:"))
		.ok_or_else(|| anyhow!("no VmHWM in status"))?;
	let kib: f64 = line.split_whitespace().nth(1).ok_or_else(|| anyhow!("bad VmHWM"))?.parse()?;
	Ok(kib / 1024.0)
}

/// One node's usage over the load.
#[derive(Clone, Debug, Serialize)]
pub struct Usage {
	pub pid: u32,
	/// Average CPU over the load, in cores (1.0 = one core busy all the time).
	pub cpu_cores: f64,
	pub peak_rss_mib: f64,
}

/// CPU seconds of each process at the start of the load.
pub struct Sample(Vec<(u32, f64)>);

impl Sample {
	pub fn take(pids: &[u32]) -> Result<Self> {
		Ok(Self(pids.iter().map(|&p| Ok((p, cpu_seconds(p)?))).collect::<Result<_>>()?))
	}

	/// Usage since this sample, over `elapsed` seconds of wall time.
	pub fn usage(&self, elapsed: f64) -> Result<Vec<Usage>> {
		self.0
			.iter()
			.map(|&(pid, before)| {
				let cpu = cpu_seconds(pid)? - before;
				Ok(Usage {
					pid,
					cpu_cores: if elapsed > 0.0 { cpu / elapsed } else { 0.0 },
					peak_rss_mib: peak_rss_mib(pid)?,
				})
			})
			.collect()
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn parses_proc_lines_of_this_process() {
		let stat = "4242 (tpwallet node) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0";
		assert_eq!(parse_cpu_seconds(stat).unwrap(), 3.0);
		assert_eq!(parse_peak_rss_mib("Name:\tx\nVmHWM:\t  2048 kB\n").unwrap(), 2.0);
		assert!(parse_peak_rss_mib("Name:\tx\n").is_err());
		let me = std::process::id();
		assert!(cpu_seconds(me).is_ok());
		assert!(peak_rss_mib(me).unwrap() > 0.0);
	}
}
