//! Times as the messages write them: the chain's block timestamps (milliseconds since the Unix
//! epoch, UTC) as `ISODateTime` with an explicit offset and as `ISODate`.

/// Milliseconds since 1970-01-01T00:00:00Z.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp(pub u64);

const MS_PER_DAY: u64 = 86_400_000;

impl Timestamp {
	/// Now, by the system clock.
	pub fn now() -> Self {
		let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
		Self(since.map_or(0, |d| d.as_millis() as u64))
	}

	/// The first millisecond of a day of the proleptic Gregorian calendar (year 1970 or later).
	pub fn from_date(year: u64, month: u64, day: u64) -> Self {
		Self(days_from_civil(year, month, day) * MS_PER_DAY)
	}

	/// `2026-12-03T09:30:12+00:00`, or `…T09:30:12.345+00:00` when the milliseconds are not 0.
	pub fn datetime(self) -> String {
		let (year, month, day) = civil(self.0 / MS_PER_DAY);
		let of_day = self.0 % MS_PER_DAY;
		let (h, m, s, ms) =
			(of_day / 3_600_000, of_day / 60_000 % 60, of_day / 1000 % 60, of_day % 1000);
		let millis = if ms == 0 { String::new() } else { format!(".{ms:03}") };
		format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}{millis}+00:00")
	}

	/// `2026-12-03`.
	pub fn date(self) -> String {
		let (year, month, day) = civil(self.0 / MS_PER_DAY);
		format!("{year:04}-{month:02}-{day:02}")
	}

	/// The day as `20261203`, for identifiers.
	pub fn compact_date(self) -> String {
		self.date().replace('-', "")
	}

	/// The first millisecond of this time's day.
	pub fn start_of_day(self) -> Self {
		Self(self.0 - self.0 % MS_PER_DAY)
	}

	/// The last whole second of this time's day (`23:59:59`; ISO times never say `24:00:00`).
	pub fn end_of_day(self) -> Self {
		Self(self.start_of_day().0 + MS_PER_DAY - 1000)
	}

	/// The day of the year, 1 to 366.
	pub fn day_of_year(self) -> u32 {
		let days = self.0 / MS_PER_DAY;
		let (year, _, _) = civil(days);
		let first = days_from_civil(year, 1, 1);
		(days - first + 1) as u32
	}
}

/// Days since the epoch to (year, month, day) in the proleptic Gregorian calendar (Howard
/// Hinnant's `civil_from_days`, for days on or after the epoch).
fn civil(days: u64) -> (u64, u64, u64) {
	let z = days + 719_468;
	let era = z / 146_097;
	let doe = z - era * 146_097;
	let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
	let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	let mp = (5 * doy + 2) / 153;
	let day = doy - (153 * mp + 2) / 5 + 1;
	let month = if mp < 10 { mp + 3 } else { mp - 9 };
	let year = yoe + era * 400 + u64::from(month <= 2);
	(year, month, day)
}

/// (year, month, day) to days since the epoch, the inverse of [`civil`].
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
	let y = if month <= 2 { year - 1 } else { year };
	let era = y / 400;
	let yoe = y - era * 400;
	let mp = if month > 2 { month - 3 } else { month + 9 };
	let doy = (153 * mp + 2) / 5 + day - 1;
	let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn formats_block_times_as_iso_date_times_with_an_offset() {
		// 2026-12-03T09:30:12Z
		let t = Timestamp(1_796_290_212_000);
		assert_eq!(t.datetime(), "2026-12-03T09:30:12+00:00");
		assert_eq!(Timestamp(1_796_290_212_345).datetime(), "2026-12-03T09:30:12.345+00:00");
		assert_eq!(t.date(), "2026-12-03");
		assert_eq!(t.compact_date(), "20261203");
		assert_eq!(t.start_of_day().datetime(), "2026-12-03T00:00:00+00:00");
		assert_eq!(t.end_of_day().datetime(), "2026-12-03T23:59:59+00:00");
		assert_eq!(t.day_of_year(), 337);
		assert_eq!(Timestamp(0).datetime(), "1970-01-01T00:00:00+00:00");
		assert_eq!(Timestamp(0).day_of_year(), 1);
		assert_eq!(Timestamp::from_date(2026, 12, 3), t.start_of_day());
		// A leap day and the last day of a leap year.
		assert_eq!(Timestamp(1_709_164_800_000).date(), "2024-02-29");
		assert_eq!(Timestamp(1_735_603_200_000).day_of_year(), 366);
	}

	#[test]
	fn every_day_round_trips() {
		for days in 0..200_000u64 {
			let (y, m, d) = civil(days);
			assert_eq!(days_from_civil(y, m, d), days);
			assert!((1..=12).contains(&m) && (1..=31).contains(&d));
		}
	}
}
