//! Caps on inbound connections, in all and per remote network, shared by the peer listener and
//! the watchtower. Opening a TCP connection needs no key, and each one costs a Noise handshake
//! (Diffie-Hellman operations and a signature check) before we know who is on the other side, so
//! one host must not be able to take every slot. IPv6 addresses are counted by their /64 prefix,
//! the smallest block a host is usually given.

use std::{
	collections::HashMap,
	fmt,
	net::{IpAddr, Ipv6Addr, SocketAddr},
	sync::{Arc, Mutex},
	time::Duration,
};
use tokio::net::{TcpListener, TcpStream};

/// How many inbound connections are served at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InboundLimits {
	/// In all.
	pub total: usize,
	/// From one IPv4 address or one IPv6 /64.
	pub per_network: usize,
}

impl Default for InboundLimits {
	fn default() -> Self {
		Self { total: 256, per_network: 16 }
	}
}

/// Why a connection was not admitted.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
	/// Every slot is taken.
	Full,
	/// The connection's network holds all the slots it may.
	TooManyFrom(Network),
}

impl fmt::Display for Refused {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Refused::Full => write!(f, "every inbound slot is taken"),
			Refused::TooManyFrom(net) => write!(f, "too many connections from {net}"),
		}
	}
}

/// What the per-network cap counts: an IPv4 address, or the first 64 bits of an IPv6 one (an
/// IPv4-mapped IPv6 address counts as its IPv4 address).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Network {
	V4(std::net::Ipv4Addr),
	V6Prefix([u16; 4]),
}

impl Network {
	pub fn of(ip: IpAddr) -> Self {
		match ip {
			IpAddr::V4(v4) => Network::V4(v4),
			IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
				Some(v4) => Network::V4(v4),
				None => {
					let s = v6.segments();
					Network::V6Prefix([s[0], s[1], s[2], s[3]])
				}
			},
		}
	}
}

impl fmt::Display for Network {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Network::V4(v4) => write!(f, "{v4}"),
			Network::V6Prefix([a, b, c, d]) => {
				write!(f, "{}/64", Ipv6Addr::new(*a, *b, *c, *d, 0, 0, 0, 0))
			}
		}
	}
}

/// The connections open now, by network.
#[derive(Debug)]
pub struct Inbound {
	limits: InboundLimits,
	open: Mutex<Open>,
}

#[derive(Debug, Default)]
struct Open {
	total: usize,
	by_network: HashMap<Network, usize>,
}

impl Inbound {
	pub fn new(limits: InboundLimits) -> Arc<Self> {
		Arc::new(Self { limits, open: Mutex::new(Open::default()) })
	}

	/// A slot for a connection from `ip`, held until the returned guard is dropped.
	pub fn admit(self: &Arc<Self>, ip: IpAddr) -> Result<Slot, Refused> {
		let network = Network::of(ip);
		let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
		if open.total >= self.limits.total {
			return Err(Refused::Full);
		}
		let from_network = open.by_network.get(&network).copied().unwrap_or(0);
		if from_network >= self.limits.per_network {
			return Err(Refused::TooManyFrom(network));
		}
		open.total += 1;
		open.by_network.insert(network, from_network + 1);
		Ok(Slot { inbound: self.clone(), network })
	}

	/// The next connection on `listener` that fits the limits, with its slot. Those over a cap
	/// are closed at once; a failing `accept` (out of descriptors, say) is retried after a
	/// pause rather than in a spin. `who` names the listener in the log.
	pub async fn accept(
		self: &Arc<Self>,
		listener: &TcpListener,
		who: &str,
	) -> (TcpStream, SocketAddr, Slot) {
		loop {
			let (stream, from) = match listener.accept().await {
				Ok(accepted) => accepted,
				Err(e) => {
					log::warn!("{who}: accepting: {e}");
					tokio::time::sleep(Duration::from_millis(100)).await;
					continue;
				}
			};
			match self.admit(from.ip()) {
				Ok(slot) => return (stream, from, slot),
				Err(refused) => log::debug!("{who}: connection from {from} closed: {refused}"),
			}
		}
	}

	/// Connections open now: in all, and from `ip`'s network.
	#[cfg(test)]
	fn open(&self, ip: IpAddr) -> (usize, usize) {
		let open = self.open.lock().unwrap_or_else(|e| e.into_inner());
		(open.total, open.by_network.get(&Network::of(ip)).copied().unwrap_or(0))
	}
}

/// One admitted connection; dropping it frees the slot.
#[derive(Debug)]
pub struct Slot {
	inbound: Arc<Inbound>,
	network: Network,
}

impl Drop for Slot {
	fn drop(&mut self) {
		let mut open = self.inbound.open.lock().unwrap_or_else(|e| e.into_inner());
		open.total = open.total.saturating_sub(1);
		if let Some(count) = open.by_network.get_mut(&self.network) {
			*count = count.saturating_sub(1);
			if *count == 0 {
				// Only networks with open connections are kept: the map stays bounded by `total`.
				open.by_network.remove(&self.network);
			}
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn ip(s: &str) -> IpAddr {
		s.parse().unwrap()
	}

	#[test]
	fn one_network_cannot_take_more_than_its_share() {
		let inbound = Inbound::new(InboundLimits { total: 10, per_network: 2 });
		let a1 = inbound.admit(ip("10.0.0.1")).unwrap();
		let _a2 = inbound.admit(ip("10.0.0.1")).unwrap();
		assert_eq!(
			inbound.admit(ip("10.0.0.1")).unwrap_err(),
			Refused::TooManyFrom(Network::of(ip("10.0.0.1")))
		);
		// Another address is not held back by the first one's connections.
		let _b = inbound.admit(ip("10.0.0.2")).unwrap();
		assert_eq!(inbound.open(ip("10.0.0.1")), (3, 2));
		// A closed connection frees its slot.
		drop(a1);
		let _a3 = inbound.admit(ip("10.0.0.1")).unwrap();
		assert_eq!(inbound.open(ip("10.0.0.1")), (3, 2));
	}

	#[test]
	fn the_total_caps_all_networks_together() {
		let inbound = Inbound::new(InboundLimits { total: 3, per_network: 2 });
		let slots: Vec<_> = ["10.0.0.1", "10.0.0.2", "10.0.0.3"]
			.iter()
			.map(|a| inbound.admit(ip(a)).unwrap())
			.collect();
		assert_eq!(inbound.admit(ip("10.0.0.4")).unwrap_err(), Refused::Full);
		drop(slots);
		assert_eq!(inbound.open(ip("10.0.0.1")), (0, 0));
		assert!(inbound.admit(ip("10.0.0.4")).is_ok());
	}

	#[test]
	fn ipv6_hosts_of_one_64_share_a_count_and_mapped_ipv4_counts_as_ipv4() {
		let inbound = Inbound::new(InboundLimits { total: 10, per_network: 1 });
		let _a = inbound.admit(ip("2001:db8:1:2::1")).unwrap();
		// Same /64, another interface identifier: the same host or its neighbours.
		assert_eq!(
			inbound.admit(ip("2001:db8:1:2:ffff::9")).unwrap_err(),
			Refused::TooManyFrom(Network::V6Prefix([0x2001, 0xdb8, 1, 2]))
		);
		// The next /64 is another network.
		let _b = inbound.admit(ip("2001:db8:1:3::1")).unwrap();
		let _c = inbound.admit(ip("192.0.2.7")).unwrap();
		assert!(matches!(inbound.admit(ip("::ffff:192.0.2.7")), Err(Refused::TooManyFrom(_))));
		assert_eq!(Network::of(ip("2001:db8:1:2::1")).to_string(), "2001:db8:1:2::/64");
	}
}
