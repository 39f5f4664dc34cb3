//! Log lines to stderr for the command-line tools (`tpw`, `tpw-relayer`).

/// Log lines to stderr (`TPW_LOG=debug|info|warn`).
struct StderrLog;

impl log::Log for StderrLog {
	fn enabled(&self, metadata: &log::Metadata) -> bool {
		metadata.level() <= log::max_level()
	}

	fn log(&self, record: &log::Record) {
		if self.enabled(record.metadata()) {
			eprintln!("[{}] {}", record.level(), record.args());
		}
	}

	fn flush(&self) {}
}

/// Sends log lines to stderr at the level `TPW_LOG` names (default: info).
pub fn init() {
	log::set_logger(&StderrLog).ok();
	log::set_max_level(match std::env::var("TPW_LOG").as_deref() {
		Ok("debug") => log::LevelFilter::Debug,
		Ok("warn") => log::LevelFilter::Warn,
		_ => log::LevelFilter::Info,
	});
}
