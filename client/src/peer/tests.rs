//! Nodes talking over loopback TCP, each with its own durable store.

use super::*;
use crate::limits::InboundLimits;
use crate::transport::{self, Connection, Identity};
use crate::{
	chain::OfflineChain,
	protocol::{tests::GENESIS, Proposal},
	route::{Edge, Graph},
	store::tests::TempDir,
	Direction, PayloadKind,
};
use crate::{
	mission::{Estimator, MissionControl},
	payment,
	tower::{newest_after, BlobStore, Keeper, Limits, TowerAddr},
};
use polkadot_sdk::sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const NOW: BlockNumber = 100;

fn config() -> Config {
	Config { timeout: Duration::from_secs(5), ..Config::default() }
}

struct Party {
	node: Node,
	keys: Keys,
	_dir: TempDir,
}

fn party(k: Sr25519Keyring, chain: &Arc<OfflineChain>, config: Config) -> Party {
	let dir = TempDir::new(&format!("peer-{k:?}"));
	let keys = Keys::from_pair(k.pair());
	let store = Store::open(&dir.0).unwrap();
	let node = Node::new(keys.clone(), store, chain.clone(), config);
	Party { node, keys, _dir: dir }
}

/// Records channel `id` from `a` to `b` with `deposits` in both stores; `a` knows `b_addr`.
fn open(id: ChannelId, a: &Party, b: &Party, deposits: (Balance, Balance), b_addr: SocketAddr) {
	let (pa, pb) = (a.keys.account().clone(), b.keys.account().clone());
	let mut ca = Channel::new(id, GENESIS, pa.clone(), pb.clone(), &pa, deposits).unwrap();
	ca.peer_addr = Some(b_addr.to_string());
	a.node.store().save(&ca).unwrap();
	let cb = Channel::new(id, GENESIS, pa, pb.clone(), &pb, deposits).unwrap();
	b.node.store().save(&cb).unwrap();
}

/// Polls `f` until it holds (effects that travel hop by hop land a little later).
async fn eventually(mut f: impl FnMut() -> bool) {
	for _ in 0..250 {
		if f() {
			return;
		}
		tokio::time::sleep(Duration::from_millis(20)).await;
	}
	panic!("condition not reached in 5 s");
}

fn state(p: &Party, id: ChannelId) -> State {
	p.node.channel(id).unwrap().unwrap().state
}

/// Both directions of channel `id` between `a` and `b`, for the route finder.
fn edges(id: ChannelId, a: &Party, b: &Party, fee_b: Balance) -> Vec<Edge> {
	let (pa, pb) = (a.keys.account().clone(), b.keys.account().clone());
	let s = state(a, id);
	let edge = |from: &AccountId, to: &AccountId, capacity, fee_base| Edge {
		channel: id,
		from: from.clone(),
		to: to.clone(),
		capacity,
		fee_base,
		fee_ppm: 0,
		expiry_delta: 40,
	};
	vec![edge(&pa, &pb, s.balances.0, 0), edge(&pb, &pa, s.balances.1, fee_b)]
}

#[tokio::test]
async fn payments_both_ways_are_stored_by_both() {
	let chain = Arc::new(OfflineChain::new(GENESIS, NOW));
	let (a, b) = (party(Alice, &chain, config()), party(Bob, &chain, config()));
	let addr = b.node.listen("127.0.0.1:0").await.unwrap();
	open(0, &a, &b, (1_000, 500), addr);
	for _ in 0..10 {
		a.node.pay(0, 7).await.unwrap();
	}
	// Bob pays back over the session Alice opened, concurrently with Alice: A's proposals go
	// first, B's retry.
	let (x, y) = tokio::join!(b.node.pay(0, 20), a.node.pay(0, 1));
	x.unwrap();
	y.unwrap();
	let sa = state(&a, 0);
	assert_eq!((sa.nonce, sa.balances), (12, (1_000 - 71 + 20, 500 + 71 - 20)));
	eventually(|| state(&b, 0) == sa).await;
	let (ca, cb) = (a.node.channel(0).unwrap().unwrap(), b.node.channel(0).unwrap().unwrap());
	assert_eq!(ca.sigs, cb.sigs);
	// Overspending is refused locally, before anything is sent.
	let err = a.node.pay(0, 10_000).await.unwrap_err();
	assert_eq!(err.downcast_ref::<ProtocolError>(), Some(&ProtocolError::Insufficient));
}

/// A connection to `addr` authenticated as `keys`' account.
async fn dial_as(keys: &Keys, addr: SocketAddr) -> Connection {
	let stream = TcpStream::connect(addr).await.unwrap();
	transport::initiate(stream, &Identity::new(keys)).await.unwrap()
}

#[tokio::test]
async fn bad_peer_input_is_rejected_without_harm() {
	let chain = Arc::new(OfflineChain::new(GENESIS, NOW));
	let (a, b) = (party(Alice, &chain, config()), party(Bob, &chain, config()));
	let charlie = Keys::from_pair(Charlie.pair());
	let addr = b.node.listen("127.0.0.1:0").await.unwrap();
	open(0, &a, &b, (1_000, 500), addr);

	// Garbage, an oversized frame, a plaintext Hello without a handshake: dropped unanswered.
	let plain_hello = Message::Hello {
		channel: 0,
		genesis: GENESIS,
		account: a.keys.account().clone(),
		nonce: 0,
	};
	let mut plain = Vec::new();
	crate::wire::write_frame(&mut plain, &plain_hello).await.unwrap();
	for bytes in [&[1u8, 0, 0, 0, 0xee][..], &u32::MAX.to_le_bytes()[..], &plain[..]] {
		let mut s = TcpStream::connect(addr).await.unwrap();
		s.write_all(bytes).await.unwrap();
		let mut answer = Vec::new();
		let _ = tokio::io::AsyncReadExt::read_to_end(&mut s, &mut answer).await;
		assert!(answer.is_empty(), "answered {} bytes", answer.len());
	}

	// Hellos that do not match the authenticated account, or a channel nobody opened: no
	// answer, nothing written.
	for (keys, channel, claimed) in [
		(&charlie, 0, a.keys.account()),
		(&charlie, 0, charlie.account()),
		(&a.keys, 77, a.keys.account()),
	] {
		let mut conn = dial_as(keys, addr).await;
		let hello =
			Message::Hello { channel, genesis: GENESIS, account: claimed.clone(), nonce: 0 };
		conn.writer.send(&hello).await.unwrap();
		assert!(conn.reader.recv().await.is_err());
	}
	assert!(!b.node.store().dir().join("channel-77.lock").exists());

	// A session as Alice (her own key: what is left are the protocol's checks): Hello is
	// answered, a forged proposal is rejected.
	let Connection { reader: mut r, writer: mut w, .. } = dial_as(&a.keys, addr).await;
	w.send(&plain_hello).await.unwrap();
	assert!(matches!(r.recv().await.unwrap(), Message::Hello { nonce: 0, .. }));
	// Bob asks for gossip first (the channel is not on this chain: nothing to announce).
	assert!(matches!(r.recv().await.unwrap(), Message::GossipSince { serial: 0 }));
	let chan = a.node.channel(0).unwrap().unwrap();
	let ctx = Context { now: NOW, min_expiry_delta: 0 };
	let honest = chan.propose(&a.keys, Update::Pay { amount: 5 }, &ctx).unwrap().proposal;
	let forged = Proposal {
		sig: charlie.sign(&crate::protocol::payload(PayloadKind::Update, &GENESIS, &honest.state)),
		..honest.clone()
	};
	w.send(&Message::Propose(forged)).await.unwrap();
	match r.recv().await.unwrap() {
		Message::Reject { nonce: 1, reason } => assert!(reason.contains("BadSignature")),
		other => panic!("expected a rejection, got {other:?}"),
	}
	// The update says Alice pays 5, the state takes 50 from Bob: rejected.
	let mut greedy = honest.clone();
	greedy.state.balances = (chan.state.balances.0 + 50, chan.state.balances.1 - 50);
	greedy.sig =
		a.keys.sign(&crate::protocol::payload(PayloadKind::Update, &GENESIS, &greedy.state));
	w.send(&Message::Propose(greedy)).await.unwrap();
	assert!(matches!(r.recv().await.unwrap(), Message::Reject { .. }));
	// The honest one (it is Alice's real signature) goes through.
	w.send(&Message::Propose(honest)).await.unwrap();
	assert!(matches!(r.recv().await.unwrap(), Message::Countersign { nonce: 1, .. }));
	// A second Hello mid-session ends the session; Bob keeps the state he countersigned.
	w.send(&plain_hello).await.unwrap();
	assert!(r.recv().await.is_err());
	drop((r, w));
	eventually(|| !b.node.is_connected(0)).await;
	assert_eq!(state(&b, 0).nonce, 1);
	// The real Alice catches up (Bob syncs her the state she signed) and pays on.
	let after = a.node.pay(0, 1).await.unwrap();
	assert_eq!((after.state.nonce, after.state.balances), (2, (994, 506)));
}

#[tokio::test]
async fn a_peer_that_dials_again_replaces_its_session() {
	let chain = Arc::new(OfflineChain::new(GENESIS, NOW));
	let (a, b) = (party(Alice, &chain, config()), party(Bob, &chain, config()));
	let addr = b.node.listen("127.0.0.1:0").await.unwrap();
	open(0, &a, &b, (1_000, 500), addr);
	a.node.pay(0, 10).await.unwrap();
	assert!(b.node.is_connected(0));

	// Alice dials again while Bob still serves her first connection (as after a crash whose
	// end of file Bob has not read yet): Bob ends the old session and answers at once.
	let Connection { reader: mut r, writer: mut w, .. } = dial_as(&a.keys, addr).await;
	let hello = Message::Hello {
		channel: 0,
		genesis: GENESIS,
		account: a.keys.account().clone(),
		nonce: 1,
	};
	w.send(&hello).await.unwrap();
	assert!(matches!(r.recv().await.unwrap(), Message::Hello { nonce: 1, .. }));
	// Her first session learns it is over; her node dials anew and pays.
	eventually(|| !a.node.is_connected(0)).await;
	let after = a.node.pay(0, 1).await.unwrap();
	assert_eq!(after.state.nonce, 2);
	eventually(|| state(&b, 0).nonce == 2).await;
	// The second connection was replaced in turn.
	loop {
		match r.recv().await {
			Ok(_) => continue,
			Err(e) => break assert!(matches!(e, FrameError::Io(_)), "{e:?}"),
		}
	}

	// A session Bob dialled is not ended by Alice dialling: both dialling at once would
	// otherwise end each other's.
	a.node.inner.sessions.lock().unwrap().clear();
	eventually(|| !b.node.is_connected(0) && a.node.store().lock(0).is_ok()).await;
	let a_addr = a.node.listen("127.0.0.1:0").await.unwrap();
	let mut chan = b.node.channel(0).unwrap().unwrap();
	chan.peer_addr = Some(a_addr.to_string());
	b.node.store().save(&chan).unwrap();
	b.node.pay(0, 1).await.unwrap();
	let Connection { reader: mut r, writer: mut w, .. } = dial_as(&a.keys, addr).await;
	let hello = Message::Hello {
		channel: 0,
		genesis: GENESIS,
		account: a.keys.account().clone(),
		nonce: 3,
	};
	w.send(&hello).await.unwrap();
	assert!(matches!(r.recv().await, Err(FrameError::Io(_))));
	assert!(b.node.is_connected(0));
	assert_eq!(b.node.pay(0, 1).await.unwrap().state.nonce, 4);
}

#[tokio::test]
async fn an_impostor_learns_nothing_and_holds_nothing() {
	let chain = Arc::new(OfflineChain::new(GENESIS, NOW));
	let (a, b) = (party(Alice, &chain, config()), party(Bob, &chain, config()));
	let charlie = Keys::from_pair(Charlie.pair());
	let addr = b.node.listen("127.0.0.1:0").await.unwrap();
	open(0, &a, &b, (1_000, 500), addr);
	a.node.pay(0, 10).await.unwrap();
	// Alice's session ends (idle); Bob's co-signed state is there to be stolen.
	a.node.inner.sessions.lock().unwrap().clear();
	eventually(|| !b.node.is_connected(0) && a.node.store().lock(0).is_ok()).await;

	// Charlie, authenticated as himself, says he is Alice and is behind: before this, Bob
	// answered with his Hello and the latest co-signed state, and held the channel for him.
	let mut impostor = dial_as(&charlie, addr).await;
	let hello = Message::Hello {
		channel: 0,
		genesis: GENESIS,
		account: a.keys.account().clone(),
		nonce: 0,
	};
	impostor.writer.send(&hello).await.unwrap();
	// While his connection is still open, the channel is free: Alice pays at once.
	let after = a.node.pay(0, 1).await.unwrap();
	assert_eq!(after.state.nonce, 2);
	assert!(matches!(impostor.reader.recv().await, Err(FrameError::Io(_))));

	// The other way: Alice dials the address she has for Bob and finds Charlie there. She
	// stops after the handshake: Charlie receives no Hello (not even the channel's nonce).
	let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
	let fake = listener.local_addr().unwrap();
	let mut chan = a.node.channel(0).unwrap().unwrap();
	chan.peer_addr = Some(fake.to_string());
	a.node.store().save(&chan).unwrap();
	a.node.inner.sessions.lock().unwrap().clear();
	eventually(|| a.node.store().lock(0).is_ok()).await;
	let charlie_side = tokio::spawn(async move {
		let (stream, _) = listener.accept().await.unwrap();
		let mut conn = transport::respond(stream, &Identity::new(&charlie)).await.unwrap();
		conn.reader.recv().await
	});
	let err = a.node.pay(0, 1).await.unwrap_err().to_string();
	assert!(err.contains("not the other party of channel 0"), "{err}");
	assert!(matches!(charlie_side.await.unwrap(), Err(FrameError::Io(_))));
	assert_eq!(state(&a, 0).nonce, 2);
}

/// Whether `stream` was closed by the other side within `wait` (rather than kept open).
async fn closed_within(stream: &mut TcpStream, wait: Duration) -> bool {
	let mut byte = [0u8; 1];
	match timeout(wait, stream.read(&mut byte)).await {
		Ok(read) => read.unwrap_or(0) == 0,
		Err(_) => false,
	}
}

#[tokio::test]
async fn one_host_cannot_hold_more_handshakes_open_than_its_share() {
	let chain = Arc::new(OfflineChain::new(GENESIS, NOW));
	let limits = InboundLimits { total: 8, per_network: 2 };
	let a = party(Alice, &chain, config());
	// Bob waits long for a handshake, so the stranger's connections outlast the test.
	let b = party(
		Bob,
		&chain,
		Config { inbound: limits, timeout: Duration::from_secs(60), ..config() },
	);
	let addr = b.node.listen("127.0.0.1:0").await.unwrap();
	open(0, &a, &b, (1_000, 500), addr);

	// A stranger opens connections and never starts the handshake: two are kept waiting for
	// it, the third from the same host is closed at once.
	let mut held =
		vec![TcpStream::connect(addr).await.unwrap(), TcpStream::connect(addr).await.unwrap()];
	let mut third = TcpStream::connect(addr).await.unwrap();
	assert!(closed_within(&mut third, Duration::from_secs(2)).await);
	assert!(!closed_within(&mut held[0], Duration::from_millis(300)).await);

	// Loopback is one host, so Alice is held back too until the stranger lets one go.
	assert!(a.node.pay(0, 1).await.is_err());
	drop(held.pop());
	let mut paid = None;
	for _ in 0..100 {
		if let Ok(p) = a.node.pay(0, 1).await {
			paid = Some(p);
			break;
		}
		tokio::time::sleep(Duration::from_millis(20)).await;
	}
	assert_eq!(paid.expect("a slot was freed").state.nonce, 1);

	// Her session, past its handshake, holds no slot: the host may open one more.
	let mut again = TcpStream::connect(addr).await.unwrap();
	assert!(!closed_within(&mut again, Duration::from_millis(300)).await);
	let mut over = TcpStream::connect(addr).await.unwrap();
	assert!(closed_within(&mut over, Duration::from_secs(2)).await);
	assert_eq!(a.node.pay(0, 1).await.unwrap().state.nonce, 2);
}

#[tokio::test]
async fn conditional_payment_to_an_invoice_reveals_the_preimage() {
	let chain = Arc::new(OfflineChain::new(GENESIS, NOW));
	let (a, b) = (party(Alice, &chain, config()), party(Bob, &chain, config()));
	let addr = b.node.listen("127.0.0.1:0").await.unwrap();
	open(0, &a, &b, (1_000, 500), addr);
	let lock = b.node.invoice(40).unwrap();
	let graph = Graph { edges: edges(0, &a, &b, 0) };
	let route = graph.find_route(a.keys.account(), b.keys.account(), 40, NOW, 30).unwrap();
	let preimage = a.node.pay_route(&route, lock).await.unwrap();
	assert_eq!(conditions::hash_lock(&preimage), lock);
	let sa = state(&a, 0);
	assert_eq!((sa.nonce, sa.balances, sa.pending), (2, (960, 540), (0, 0)));
	// An underpayment of an invoice is given back.
	let lock = b.node.invoice(40).unwrap();
	let route = graph.find_route(a.keys.account(), b.keys.account(), 39, NOW, 30).unwrap();
	assert!(a.node.pay_route(&route, lock).await.is_err());
	eventually(|| state(&a, 0).pending == (0, 0)).await;
	assert_eq!(state(&a, 0).balances, (960, 540));
}

#[tokio::test]
async fn an_invoice_in_an_asset_is_not_paid_in_another() {
	use polkadot_sdk::frame_support::traits::fungible::NativeOrWithId;
	use tpwallet_payment_channels_primitives::ChannelStatus;
	let chain = Arc::new(OfflineChain::new(GENESIS, NOW));
	let (a, b) = (party(Alice, &chain, config()), party(Bob, &chain, config()));
	let addr = b.node.listen("127.0.0.1:0").await.unwrap();
	open(0, &a, &b, (1_000, 500), addr);
	let info = |asset| crate::ChannelInfo {
		party_a: a.keys.account().clone(),
		party_b: b.keys.account().clone(),
		asset,
		deposits: (1_000, 500),
		status: ChannelStatus::Open,
	};
	chain.add_channel(0, info(NativeOrWithId::Native));
	let graph = Graph { edges: edges(0, &a, &b, 0) };
	let route = graph.find_route(a.keys.account(), b.keys.account(), 40, NOW, 30).unwrap();
	// Asked in asset 7, paid in TPW: the same number is another amount, given back.
	let in_asset = b.node.store().new_invoice(40, Some(NativeOrWithId::WithId(7))).unwrap();
	assert!(a.node.pay_route(&route, in_asset).await.is_err());
	eventually(|| state(&a, 0).pending == (0, 0)).await;
	assert_eq!(state(&a, 0).balances, (1_000, 500));
	// Asked in TPW: paid.
	let in_tpw = b.node.store().new_invoice(40, Some(NativeOrWithId::Native)).unwrap();
	let preimage = a.node.pay_route(&route, in_tpw).await.unwrap();
	assert_eq!(conditions::hash_lock(&preimage), in_tpw);
	assert_eq!(state(&a, 0).balances, (960, 540));
}

/// Alice -> Bob -> Charlie: channel 0 (Alice, Bob), channel 1 (Bob, Charlie); Bob charges 5.
async fn line(chain: &Arc<OfflineChain>) -> (Party, Party, Party, Graph) {
	let a = party(Alice, chain, config());
	let b = party(Bob, chain, Config { fee_base: 5, ..config() });
	let c = party(Charlie, chain, config());
	let b_addr = b.node.listen("127.0.0.1:0").await.unwrap();
	let c_addr = c.node.listen("127.0.0.1:0").await.unwrap();
	open(0, &a, &b, (1_000, 0), b_addr);
	open(1, &b, &c, (1_000, 0), c_addr);
	let mut graph = Graph::default();
	graph.edges.extend(edges(0, &a, &b, 0));
	graph.edges.extend(edges(1, &b, &c, 0));
	// Bob's fee applies on what he forwards to Charlie.
	graph
		.edges
		.iter_mut()
		.filter(|e| e.channel == 1 && e.from == *b.keys.account())
		.for_each(|e| e.fee_base = 5);
	(a, b, c, graph)
}

#[tokio::test]
async fn multi_hop_payment_pays_the_payee_and_the_forwarder() {
	let chain = Arc::new(OfflineChain::new(GENESIS, NOW));
	let (a, b, c, graph) = line(&chain).await;
	let lock = c.node.invoice(100).unwrap();
	let route = graph.find_route(a.keys.account(), c.keys.account(), 100, NOW, 30).unwrap();
	assert_eq!(route.fee, 5);
	assert!(route.hops[0].expiry > route.hops[1].expiry);
	let preimage = a.node.pay_route(&route, lock).await.unwrap();
	assert_eq!(conditions::hash_lock(&preimage), lock);
	// Alice paid 105, Bob kept 5, Charlie got 100; nothing is left pending anywhere.
	eventually(|| state(&b, 0).balances == (895, 105) && state(&c, 1).balances == (900, 100)).await;
	assert_eq!(state(&a, 0), state(&b, 0));
	assert_eq!(state(&b, 1), state(&c, 1));
	assert_eq!((state(&a, 0).pending, state(&c, 1).pending), ((0, 0), (0, 0)));
}

#[tokio::test]
async fn multi_hop_payment_without_invoice_fails_back_to_the_payer() {
	let chain = Arc::new(OfflineChain::new(GENESIS, NOW));
	let (a, b, c, graph) = line(&chain).await;
	let route = graph.find_route(a.keys.account(), c.keys.account(), 100, NOW, 30).unwrap();
	let err = a.node.pay_route(&route, [9; 32]).await.unwrap_err();
	assert!(err.to_string().contains("failed"), "{err:#}");
	eventually(|| state(&a, 0).pending == (0, 0) && state(&c, 1).pending == (0, 0)).await;
	assert_eq!(state(&a, 0).balances, (1_000, 0));
	assert_eq!(state(&b, 1).balances, (1_000, 0));
	// Too low a fee for Bob: refused at Bob, failed back.
	let mut cheap = route.clone();
	cheap.hops[0].amount = 101;
	let lock = c.node.invoice(100).unwrap();
	assert!(a.node.pay_route(&cheap, lock).await.is_err());
	eventually(|| state(&a, 0).pending == (0, 0)).await;
	assert_eq!(state(&c, 1).balances, (1_000, 0));
}

#[tokio::test]
async fn a_failed_route_is_learnt_and_another_one_pays() {
	let chain = Arc::new(OfflineChain::new(GENESIS, NOW));
	let (a, b, c, mut graph) = line(&chain).await;
	// Bob's side of channel 1 holds 50 but is advertised at 1,000 (stale news); Dave offers a
	// dearer way round.
	let d = party(Dave, &chain, Config { fee_base: 20, ..config() });
	let d_addr = d.node.listen("127.0.0.1:0").await.unwrap();
	let c_addr: SocketAddr =
		b.node.channel(1).unwrap().unwrap().peer_addr.unwrap().parse().unwrap();
	open(5, &b, &c, (50, 0), c_addr);
	open(2, &a, &d, (1_000, 0), d_addr);
	open(3, &d, &c, (1_000, 0), c_addr);
	for e in graph.edges.iter_mut().filter(|e| e.channel == 1) {
		e.channel = 5;
	}
	graph.edges.extend(edges(2, &a, &d, 0));
	graph.edges.extend(edges(3, &d, &c, 0));
	for e in graph.edges.iter_mut().filter(|e| e.channel == 3 && e.from == *d.keys.account()) {
		e.fee_base = 20;
	}
	let lock = c.node.invoice(100).unwrap();
	let mut mission = MissionControl::new(Estimator::default());
	let (me, to) = (a.keys.account(), c.keys.account());
	let paid =
		payment::pay(&a.node, &graph, &mut mission, to, 100, lock, NOW, 30, 3).await.unwrap();
	assert_eq!(conditions::hash_lock(&paid.preimage), lock);
	// First the cheap way, stopped at Bob's channel 5; then Dave's.
	let channels = |k: usize| -> Vec<ChannelId> {
		paid.attempts[k].route.hops.iter().map(|h| h.channel).collect()
	};
	assert_eq!(paid.attempts.len(), 2);
	assert_eq!((channels(0), paid.attempts[0].failed_at), (vec![0, 5], Some(1)));
	assert_eq!((channels(1), paid.attempts[1].failed_at), (vec![2, 3], None));
	eventually(|| state(&c, 3).balances == (900, 100) && state(&a, 2).balances == (880, 120)).await;
	assert_eq!(state(&a, 0).balances, (1_000, 0), "the failed attempt cost nothing");
	assert_eq!(state(&a, 0).pending, (0, 0));
	// What it learnt: Bob cannot pass 100 on; the next payment goes round at once.
	let secs = payment::now_secs();
	let bob = (5, b.keys.account().clone());
	assert_eq!(mission.probability(&bob, 1_000, 100, secs), 0.0);
	let avoid = Default::default();
	let next = payment::next_route(&graph, &mission, me, to, 100, (NOW, secs), 30, &avoid).unwrap();
	assert_eq!(next.hops[0].channel, 2);
	// And it survives a restart of the payer, through its store.
	payment::save_mission(a.node.store(), &mission, secs).unwrap();
	let reloaded = payment::load_mission(a.node.store()).unwrap();
	assert_eq!(reloaded.probability(&bob, 1_000, 100, secs), 0.0);
	// The payee refusing is not a route's fault: no other route is tried.
	let err =
		payment::pay(&a.node, &graph, &mut mission, to, 10, [7; 32], NOW, 30, 3).await.unwrap_err();
	assert!(err.to_string().contains("reached the payee"), "{err:#}");
}

/// A tower with `keys`, listening on loopback; what keeps its blobs, and its address.
async fn tower(keys: Sr25519Keyring, dir: &TempDir) -> (Arc<Keeper>, String) {
	let limits = Limits { quota: 100, capacity: 1_000 };
	let keeper = Arc::new(Keeper::new(
		&Keys::from_pair(keys.pair()),
		BlobStore::open(&dir.0, limits).unwrap(),
	));
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
	let addr = listener.local_addr().unwrap().to_string();
	tokio::spawn(keeper.clone().serve(listener));
	(keeper, addr)
}

#[tokio::test]
async fn superseded_states_reach_the_tower_sealed() {
	let chain = Arc::new(OfflineChain::new(GENESIS, NOW));
	let (real_dir, impostor_dir) = (TempDir::new("peer-tower"), TempDir::new("peer-impostor"));
	let (keeper, real) = tower(Sr25519Keyring::Ferdie, &real_dir).await;
	// Bob is told Ferdie's tower listens where Eve's does.
	let (impostor, fake) = tower(Sr25519Keyring::Eve, &impostor_dir).await;
	let ferdie = crate::keys::ss58(Keys::from_pair(Sr25519Keyring::Ferdie.pair()).account());
	let at = |addr: &str| Some(format!("{ferdie}@{addr}").parse::<TowerAddr>().unwrap());
	let a = party(Alice, &chain, Config { tower: at(&real), ..config() });
	let b = party(Bob, &chain, Config { tower: at(&fake), ..config() });
	let addr = b.node.listen("127.0.0.1:0").await.unwrap();
	open(0, &a, &b, (1_000, 0), addr);
	let mut signed = Vec::new();
	for _ in 0..4 {
		signed.push(a.node.pay(0, 10).await.unwrap().signed().unwrap());
	}
	// Alice handed over states 2 to 4, each sealed under her signature on the one before: from
	// state 1 the tower reaches state 4, and from state 4 nothing.
	assert!(a.node.flush_tower(Duration::from_secs(5)).await);
	let c = a.node.channel(0).unwrap().unwrap();
	let info = crate::ChannelInfo {
		party_a: c.party_a,
		party_b: c.party_b,
		asset: polkadot_sdk::frame_support::traits::fungible::NativeOrWithId::Native,
		deposits: c.chain_deposits,
		status: tpwallet_payment_channels_primitives::ChannelStatus::Open,
	};
	assert_eq!(keeper.blobs().len(), 3);
	assert_eq!(newest_after(&keeper.blobs(), &signed[0], &info, &GENESIS), Some(signed[3].clone()));
	assert_eq!(newest_after(&keeper.blobs(), &signed[3], &info, &GENESIS), None);
	// Bob's blobs went nowhere: the impostor's key is not Ferdie's. They wait in his outbox.
	assert!(!b.node.flush_tower(Duration::from_millis(300)).await);
	assert!(impostor.blobs().is_empty());
}

#[tokio::test]
async fn a_tower_serves_one_host_only_its_share_of_connections() {
	let dir = TempDir::new("peer-tower-limits");
	let keeper = Keeper::new(
		&Keys::from_pair(Sr25519Keyring::Ferdie.pair()),
		BlobStore::open(&dir.0, Limits { quota: 10, capacity: 10 }).unwrap(),
	)
	.limiting(InboundLimits { total: 4, per_network: 1 });
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
	let addr = listener.local_addr().unwrap();
	tokio::spawn(Arc::new(keeper).serve(listener));
	let mut first = TcpStream::connect(addr).await.unwrap();
	let mut second = TcpStream::connect(addr).await.unwrap();
	assert!(closed_within(&mut second, Duration::from_secs(2)).await);
	assert!(!closed_within(&mut first, Duration::from_millis(300)).await);
	// Once the first is gone, the host is served again.
	drop(first);
	let mut served = false;
	for _ in 0..50 {
		let mut next = TcpStream::connect(addr).await.unwrap();
		if !closed_within(&mut next, Duration::from_millis(100)).await {
			served = true;
			break;
		}
	}
	assert!(served);
}

#[tokio::test]
async fn pending_payments_are_claimed_or_taken_back_on_reconnect() {
	let chain = Arc::new(OfflineChain::new(GENESIS, NOW));
	let (a, b) = (party(Alice, &chain, config()), party(Bob, &chain, config()));
	let addr = b.node.listen("127.0.0.1:0").await.unwrap();
	open(0, &a, &b, (1_000, 500), addr);
	// While apart (say Bob crashed after countersigning), the channel holds two payments to
	// Bob: one he has the invoice for, one nobody can claim.
	let lock = b.node.invoice(30).unwrap();
	let (mut ca, mut cb) =
		(a.node.channel(0).unwrap().unwrap(), b.node.channel(0).unwrap().unwrap());
	let ctx = Context { now: NOW, min_expiry_delta: 0 };
	for (amount, hash_lock, expiry) in [(30, lock, NOW + 60), (10, [5; 32], NOW + 30)] {
		let payment = Condition { direction: Direction::AToB, amount, hash_lock, expiry };
		let update = Update::AddHtlc { payment, forward: Vec::new() };
		crate::protocol::tests::step(&a.keys, &mut ca, &b.keys, &mut cb, update, &ctx).unwrap();
	}
	a.node.store().save(&ca).unwrap();
	b.node.store().save(&cb).unwrap();
	assert_eq!(state(&a, 0).pending, (40, 0));
	// Reconnecting, Bob claims his with the invoice's preimage.
	a.node.connect(0).await.unwrap();
	eventually(|| state(&a, 0).pending == (10, 0)).await;
	// Before expiry Alice cannot take the other back; from its expiry on, she does.
	a.node.reconcile(0).await;
	assert_eq!(state(&a, 0).pending, (10, 0));
	chain.set_number(NOW + 30);
	a.node.reconcile(0).await;
	let s = state(&a, 0);
	assert_eq!((s.balances, s.pending), ((970, 530), (0, 0)));
	eventually(|| state(&b, 0) == s).await;
}

#[tokio::test]
async fn cooperative_close_signatures_end_the_channel() {
	let chain = Arc::new(OfflineChain::new(GENESIS, NOW));
	let (a, b) = (party(Alice, &chain, config()), party(Bob, &chain, config()));
	let addr = b.node.listen("127.0.0.1:0").await.unwrap();
	open(0, &a, &b, (1_000, 500), addr);
	a.node.pay(0, 30).await.unwrap();
	let (final_state, sig_a, sig_b) = a.node.close_signatures(0).await.unwrap();
	assert_eq!(final_state, state(&a, 0));
	let bytes = crate::protocol::payload(PayloadKind::Close, &GENESIS, &final_state);
	assert!(crate::keys::verify(&sig_a, &bytes, a.keys.account()));
	assert!(crate::keys::verify(&sig_b, &bytes, b.keys.account()));
	// Neither side signs anything newer, which the close could undercut.
	eventually(|| b.node.channel(0).unwrap().unwrap().closed).await;
	let err = a.node.pay(0, 1).await.unwrap_err();
	assert_eq!(err.downcast_ref::<ProtocolError>(), Some(&ProtocolError::Closed));
	let err = b.node.pay(0, 1).await.unwrap_err();
	assert_eq!(err.downcast_ref::<ProtocolError>(), Some(&ProtocolError::Closed));
}

#[test]
fn restart_resumes_from_the_store_and_recovers_a_lost_write() {
	let chain = Arc::new(OfflineChain::new(GENESIS, NOW));
	let (dir_a, dir_b) = (TempDir::new("restart-a"), TempDir::new("restart-b"));
	let make = |k: Sr25519Keyring, dir: &TempDir| {
		let keys = Keys::from_pair(k.pair());
		(Node::new(keys.clone(), Store::open(&dir.0).unwrap(), chain.clone(), config()), keys)
	};
	let older = {
		let rt = tokio::runtime::Runtime::new().unwrap();
		let older = rt.block_on(async {
			let ((a, ka), (b, kb)) = (make(Alice, &dir_a), make(Bob, &dir_b));
			let addr = b.listen("127.0.0.1:0").await.unwrap();
			let (pa, pb) = (ka.account().clone(), kb.account().clone());
			let mut ca = Channel::new(0, GENESIS, pa.clone(), pb.clone(), &pa, (100, 0)).unwrap();
			ca.peer_addr = Some(addr.to_string());
			a.store().save(&ca).unwrap();
			b.store()
				.save(&Channel::new(0, GENESIS, pa, pb.clone(), &pb, (100, 0)).unwrap())
				.unwrap();
			a.pay(0, 1).await.unwrap();
			let older = a.pay(0, 2).await.unwrap();
			a.pay(0, 3).await.unwrap();
			older
		});
		// Every task stops at once, as in a crash: only what was stored remains.
		drop(rt);
		older
	};
	// Alice also lost her last write (she crashed before storing what Bob countersigned).
	Store::open(&dir_a.0).unwrap().save(&older).unwrap();

	let rt = tokio::runtime::Runtime::new().unwrap();
	rt.block_on(async {
		let ((a, _), (b, _)) = (make(Alice, &dir_a), make(Bob, &dir_b));
		assert_eq!(
			(
				a.channel(0).unwrap().unwrap().state.nonce,
				b.channel(0).unwrap().unwrap().state.nonce
			),
			(2, 3)
		);
		let addr = b.listen("127.0.0.1:0").await.unwrap();
		let mut ca = a.channel(0).unwrap().unwrap();
		ca.peer_addr = Some(addr.to_string());
		a.store().save(&ca).unwrap();
		// Bob syncs Alice the state she signed; payments resume on top of it.
		let after = a.pay(0, 4).await.unwrap();
		assert_eq!((after.state.nonce, after.state.balances), (4, (90, 10)));
		assert_eq!(b.channel(0).unwrap().unwrap().state, after.state);
	});
}

#[tokio::test]
async fn idle_sessions_end_and_the_next_payment_dials_again() {
	let chain = Arc::new(OfflineChain::new(GENESIS, NOW));
	let quick = Config { idle: Duration::from_millis(200), ..config() };
	let (a, b) = (party(Alice, &chain, quick.clone()), party(Bob, &chain, quick));
	let addr = b.node.listen("127.0.0.1:0").await.unwrap();
	open(0, &a, &b, (1_000, 500), addr);
	a.node.pay(0, 1).await.unwrap();
	assert!(a.node.is_connected(0));
	eventually(|| !a.node.is_connected(0) && !b.node.is_connected(0)).await;
	// The channel is free for another process meanwhile.
	drop(a.node.store().lock(0).unwrap());
	assert_eq!(a.node.pay(0, 1).await.unwrap().state.nonce, 2);
}

#[tokio::test]
async fn the_counterparty_joins_from_the_chain_with_its_deposits() {
	use polkadot_sdk::frame_support::traits::fungible::NativeOrWithId;
	use tpwallet_payment_channels_primitives::ChannelStatus;
	let chain = Arc::new(OfflineChain::new(GENESIS, NOW));
	let (a, b) = (party(Alice, &chain, config()), party(Bob, &chain, config()));
	let addr = b.node.listen("127.0.0.1:0").await.unwrap();
	let (pa, pb) = (a.keys.account().clone(), b.keys.account().clone());
	// Alice recorded the channel when she opened it; Bob topped up since, and has no record.
	let mut ca = Channel::new(5, GENESIS, pa.clone(), pb.clone(), &pa, (1_000, 0)).unwrap();
	ca.peer_addr = Some(addr.to_string());
	a.node.store().save(&ca).unwrap();
	chain.add_channel(
		5,
		crate::ChannelInfo {
			party_a: pa,
			party_b: pb,
			asset: NativeOrWithId::Native,
			deposits: (1_000, 300),
			status: ChannelStatus::Open,
		},
	);
	let after = a.node.pay(5, 10).await.unwrap();
	assert_eq!((after.state.balances, after.state.deposits), ((990, 310), (1_000, 300)));
	eventually(|| b.node.channel(5).unwrap().is_some_and(|c| c.state == after.state)).await;
	// A channel the chain does not know is refused.
	let mut unknown = Channel::new(
		6,
		GENESIS,
		a.keys.account().clone(),
		b.keys.account().clone(),
		a.keys.account(),
		(1, 0),
	)
	.unwrap();
	unknown.peer_addr = Some(addr.to_string());
	a.node.store().save(&unknown).unwrap();
	assert!(a.node.pay(6, 1).await.is_err());
}

#[tokio::test]
async fn gossip_builds_each_graph_from_what_the_chain_confirms() {
	let chain = Arc::new(OfflineChain::new(GENESIS, NOW));
	let (a, b, c, _) = line(&chain).await;
	let account = |p: &Party| p.keys.account().clone();
	let info = |x: &Party, y: &Party| crate::ChannelInfo {
		party_a: account(x),
		party_b: account(y),
		asset: polkadot_sdk::frame_support::traits::fungible::NativeOrWithId::Native,
		deposits: (1_000, 0),
		status: tpwallet_payment_channels_primitives::ChannelStatus::Open,
	};
	chain.add_channel(0, info(&a, &b));
	chain.add_channel(1, info(&b, &c));
	let learned = |p: &Party| p.node.learned_graph(None).edges.len();
	// Bob and Charlie meet: each signs half of channel 1's announcement and publishes terms.
	b.node.connect(1).await.unwrap();
	eventually(|| learned(&b) == 2 && learned(&c) == 2).await;
	// Alice and Bob meet: Bob tells Alice of channel 1, and Charlie of channel 0.
	a.node.connect(0).await.unwrap();
	eventually(|| learned(&a) == 4 && learned(&c) == 4).await;
	// Each direction carries its own party's terms: Bob charges 5, Charlie nothing.
	let graph = a.node.learned_graph(None);
	let terms = |channel, from: &Party| {
		let e = graph.edges.iter().find(|e| e.channel == channel && e.from == account(from));
		e.map(|e| (e.fee_base, e.capacity)).unwrap()
	};
	assert_eq!((terms(1, &b), terms(1, &c), terms(0, &a)), ((5, 1_000), (0, 1_000), (0, 1_000)));
	// Alice pays Charlie along what gossip taught her.
	let lock = c.node.invoice(100).unwrap();
	let route = graph.find_route(&account(&a), &account(&c), 100, NOW, 30).unwrap();
	assert_eq!((route.hops.len(), route.fee), (2, 5));
	a.node.pay_route(&route, lock).await.unwrap();
	// What gossip taught survives a restart of the node (it is in the store).
	let again = Node::new(a.keys.clone(), a.node.store().clone(), chain.clone(), config());
	assert_eq!(again.learned_graph(None).edges.len(), 4);
	// A channel signed by both parties but not on chain is not taken, nor passed on.
	let (pa, pc) = (account(&a), account(&c));
	let mut ghost = info(&a, &c);
	let payload = crate::gossip::announcement_payload(&GENESIS, 9, (&pa, &pc), &ghost.asset);
	let ann = |info: &crate::ChannelInfo| {
		crate::gossip::Announcement::of(9, info, a.keys.sign(&payload), c.keys.sign(&payload))
	};
	b.node.take_gossip(None, vec![ann(&ghost)], Vec::new()).await;
	assert!(!guard(&b.node.inner.gossip).knows(9));
	// Nor one the chain shows between other parties.
	ghost.party_b = account(&b);
	chain.add_channel(9, ghost.clone());
	b.node.take_gossip(None, vec![ann(&info(&a, &c))], Vec::new()).await;
	assert!(!guard(&b.node.inner.gossip).knows(9));
	// Charlie asks Bob for news (after what was refused): channel 9 is not among it.
	c.node.refresh_gossip(Some(1), Duration::from_secs(5)).await;
	assert!(guard(&c.node.inner.gossip).knows(1));
	assert!(!guard(&c.node.inner.gossip).knows(9));
}

#[tokio::test]
async fn a_forwarder_publishes_a_dearer_rate_as_its_side_drains() {
	let chain = Arc::new(OfflineChain::new(GENESIS, NOW));
	let b = party(Bob, &chain, Config { fee_ppm: 1_000, ..config() });
	let (pa, pb) = (Keys::from_pair(Alice.pair()).account().clone(), b.keys.account().clone());
	// Bob is party B with 1,000 of his 1,000 deposit: the advertised rate.
	let mut chan = Channel::new(0, GENESIS, pa, pb.clone(), &pb, (1_000, 1_000)).unwrap();
	assert_eq!(b.node.liquidity_ppm(&chan), 1_000);
	assert_eq!(b.node.own_update(&chan).fee_ppm, 1_000);
	// Down to 250 of the 2,000 in the channel: 2.69× (3 × 0.75² more).
	chan.state.balances = (1_750, 250);
	let drained = b.node.liquidity_ppm(&chan);
	assert!(drained > 2_000 && drained < 4_000, "{drained}");
	assert_eq!(b.node.own_update(&chan).fee_ppm, drained);
	chan.state.balances = (2_000, 0);
	assert_eq!(b.node.liquidity_ppm(&chan), 4_000);
	// Nothing published: he forwards at the current rate.
	assert_eq!(b.node.forwarding_ppm(&chan), 4_000);
}
