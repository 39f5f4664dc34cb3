//! Authenticated, encrypted peer connections.
//!
//! Every connection starts with a Noise handshake (`Noise_XX_25519_ChaChaPoly_SHA256`, the
//! pattern in which each side proves it holds its static key). A party's static Noise key is
//! bound to its chain account by an sr25519 signature ([`Binding`]), carried encrypted in the
//! handshake and checked against the static key the handshake authenticated. So when the
//! handshake completes each side knows which account is at the other end, and someone who
//! copies another party's binding cannot use it without that party's Noise secret.
//!
//! After the handshake each [`Message`] is the plaintext `u32` little-endian length + SCALE body
//! of `wire`, encrypted in chunks of at most 65,519 bytes (a Noise message is at most 65,535
//! bytes with its 16-byte tag), each chunk sent as a big-endian `u16` length and the ciphertext.
//! A chunk that fails to decrypt, a frame above [`wire::MAX_FRAME`] or a chunk running past its
//! frame ends the connection.

use crate::{
	keys::{self, Keys},
	wire::{self, FrameError, Message},
	AccountId, Signature,
};
use anyhow::{anyhow, bail, Context, Result};
use codec::{Decode, DecodeLimit, Encode};
use rand::{rngs::OsRng, RngCore};
use snow::{
	params::{CipherChoice, DHChoice, HashChoice},
	resolvers::{CryptoResolver, RingResolver},
	types::{Cipher, Dh, Hash, Random},
	HandshakeState, StatelessTransportState,
};
use std::{io, sync::Arc};
use tokio::{
	io::{AsyncReadExt, AsyncWriteExt},
	net::{
		tcp::{OwnedReadHalf, OwnedWriteHalf},
		TcpStream,
	},
};

/// The Noise protocol of every peer connection.
pub const NOISE_PARAMS: &str = "Noise_XX_25519_ChaChaPoly_SHA256";
/// Mixed into the handshake: both sides must speak this protocol and version.
const PROLOGUE: &[u8] = b"tpwallet-channel-transport/1";
/// Prefix of the payload an account signs to bind a Noise static key to itself.
const BINDING_TAG: &[u8] = b"tpwallet/noise-static-key/v1";
/// Largest Noise message, and the authentication tag each one carries.
const NOISE_MAX: usize = 65_535;
const TAG_LEN: usize = 16;
/// Largest plaintext in one Noise message.
const CHUNK: usize = NOISE_MAX - TAG_LEN;

/// An account's statement that a Noise static key speaks for it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Binding {
	pub account: AccountId,
	/// The account's signature of `BINDING_TAG ++ noise static public key`.
	pub sig: Signature,
}

impl Binding {
	fn payload(noise_key: &[u8]) -> Vec<u8> {
		[BINDING_TAG, noise_key].concat()
	}

	/// Whether this binding was signed by its account for `noise_key`.
	pub fn verifies(&self, noise_key: &[u8]) -> bool {
		keys::verify(&self.sig, &Self::payload(noise_key), &self.account)
	}
}

/// A node's transport identity: a Noise static key, fresh for each process, and the
/// account's signature binding it.
pub struct Identity {
	secret: [u8; 32],
	public: [u8; 32],
	binding: Binding,
}

impl Identity {
	/// A new static key for `keys`' account.
	pub fn new(keys: &Keys) -> Self {
		let mut secret = [0u8; 32];
		OsRng.fill_bytes(&mut secret);
		let public = x25519_dalek::x25519(secret, x25519_dalek::X25519_BASEPOINT_BYTES);
		let binding =
			Binding { account: keys.account().clone(), sig: keys.sign(&Binding::payload(&public)) };
		Self { secret, public, binding }
	}

	/// The account this identity speaks for.
	pub fn account(&self) -> &AccountId {
		&self.binding.account
	}

	/// The static Noise public key.
	pub fn noise_key(&self) -> &[u8; 32] {
		&self.public
	}

	fn builder(&self) -> snow::Builder<'_> {
		let params = NOISE_PARAMS.parse().expect("a valid constant Noise pattern; qed");
		snow::Builder::with_resolver(params, Box::new(Resolver))
			.prologue(PROLOGUE)
			.local_private_key(&self.secret)
	}

	/// This identity with another account's binding, for tests of stolen bindings.
	#[cfg(test)]
	pub(crate) fn with_binding(mut self, binding: Binding) -> Self {
		self.binding = binding;
		self
	}
}

impl Drop for Identity {
	fn drop(&mut self) {
		// Best effort: the secret does not outlive the identity in this struct.
		self.secret = [0; 32];
	}
}

/// An authenticated connection: the account at the other end, and the two directions.
pub struct Connection {
	pub peer: AccountId,
	pub reader: SecureReader,
	pub writer: SecureWriter,
}

/// Runs the handshake as the side that dialled.
pub async fn initiate(stream: TcpStream, me: &Identity) -> Result<Connection> {
	let mut hs = me.builder().build_initiator().context("noise")?;
	let (mut r, mut w) = stream.into_split();
	let mut buf = vec![0u8; NOISE_MAX];
	// -> e
	let n = hs.write_message(&[], &mut buf).context("noise")?;
	send_raw(&mut w, &buf[..n]).await?;
	// <- e, ee, s, es: the responder's binding
	let peer = read_binding(&mut hs, &mut r).await?;
	// -> s, se: ours
	let n = hs.write_message(&me.binding.encode(), &mut buf).context("noise")?;
	send_raw(&mut w, &buf[..n]).await?;
	finish(hs, peer, r, w)
}

/// Runs the handshake as the side that accepted.
pub async fn respond(stream: TcpStream, me: &Identity) -> Result<Connection> {
	let mut hs = me.builder().build_responder().context("noise")?;
	let (mut r, mut w) = stream.into_split();
	let mut buf = vec![0u8; NOISE_MAX];
	// -> e
	let first = recv_raw(&mut r).await?;
	hs.read_message(&first, &mut buf).map_err(|e| anyhow!("handshake: {e}"))?;
	// <- e, ee, s, es: our binding
	let n = hs.write_message(&me.binding.encode(), &mut buf).context("noise")?;
	send_raw(&mut w, &buf[..n]).await?;
	// -> s, se: the initiator's binding
	let peer = read_binding(&mut hs, &mut r).await?;
	finish(hs, peer, r, w)
}

/// Reads a handshake message carrying the other side's binding and checks it against the static
/// key the handshake just authenticated.
async fn read_binding(hs: &mut HandshakeState, r: &mut OwnedReadHalf) -> Result<AccountId> {
	let message = recv_raw(r).await?;
	let mut payload = vec![0u8; NOISE_MAX];
	let n = hs.read_message(&message, &mut payload).map_err(|e| anyhow!("handshake: {e}"))?;
	let binding = Binding::decode_all_with_depth_limit(4, &mut &payload[..n])
		.map_err(|e| anyhow!("handshake: malformed account binding: {e}"))?;
	let key = hs.get_remote_static().ok_or_else(|| anyhow!("handshake: no static key"))?;
	if !binding.verifies(key) {
		bail!("handshake: the account binding is not signed for this connection's key");
	}
	Ok(binding.account)
}

fn finish(
	hs: HandshakeState,
	peer: AccountId,
	r: OwnedReadHalf,
	w: OwnedWriteHalf,
) -> Result<Connection> {
	let state = Arc::new(hs.into_stateless_transport_mode().context("noise")?);
	Ok(Connection {
		peer,
		reader: SecureReader { r, state: state.clone(), nonce: 0 },
		writer: SecureWriter { w, state, nonce: 0 },
	})
}

/// A handshake message: `u16` big-endian length, then the bytes.
async fn send_raw(w: &mut OwnedWriteHalf, bytes: &[u8]) -> Result<()> {
	let len = u16::try_from(bytes.len()).context("handshake message too long")?;
	let mut out = Vec::with_capacity(2 + bytes.len());
	out.extend_from_slice(&len.to_be_bytes());
	out.extend_from_slice(bytes);
	w.write_all(&out).await.context("handshake: sending")?;
	w.flush().await.context("handshake: sending")
}

async fn recv_raw(r: &mut OwnedReadHalf) -> Result<Vec<u8>> {
	let mut len = [0u8; 2];
	r.read_exact(&mut len).await.context("handshake: reading")?;
	let mut bytes = vec![0u8; u16::from_be_bytes(len) as usize];
	r.read_exact(&mut bytes).await.context("handshake: reading")?;
	Ok(bytes)
}

/// The sending direction of a connection.
pub struct SecureWriter {
	w: OwnedWriteHalf,
	state: Arc<StatelessTransportState>,
	nonce: u64,
}

impl SecureWriter {
	/// Encrypts and sends `message` (one write for all its chunks).
	pub async fn send(&mut self, message: &Message) -> io::Result<()> {
		let body = message.encode();
		let len = u32::try_from(body.len())
			.ok()
			.filter(|n| *n <= wire::MAX_FRAME)
			.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "message too large"))?;
		let mut plain = Vec::with_capacity(4 + body.len());
		plain.extend_from_slice(&len.to_le_bytes());
		plain.extend_from_slice(&body);
		let chunks = plain.len().div_ceil(CHUNK);
		let mut out = vec![0u8; plain.len() + chunks * (2 + TAG_LEN)];
		let mut at = 0;
		for chunk in plain.chunks(CHUNK) {
			let sealed = chunk.len() + TAG_LEN;
			out[at..at + 2].copy_from_slice(&(sealed as u16).to_be_bytes());
			let n = self
				.state
				.write_message(self.nonce, chunk, &mut out[at + 2..at + 2 + sealed])
				.map_err(|e| io::Error::other(format!("noise: {e}")))?;
			self.nonce += 1;
			at += 2 + n;
		}
		self.w.write_all(&out[..at]).await?;
		self.w.flush().await
	}
}

/// The receiving direction of a connection.
pub struct SecureReader {
	r: OwnedReadHalf,
	state: Arc<StatelessTransportState>,
	nonce: u64,
}

impl SecureReader {
	/// Reads, decrypts and decodes the next message.
	pub async fn recv(&mut self) -> Result<Message, FrameError> {
		let mut plain = self.chunk().await?;
		let len = plain
			.get(..4)
			.map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
			.ok_or(FrameError::Decrypt)?;
		if len > wire::MAX_FRAME {
			return Err(FrameError::TooLarge(len));
		}
		let total = 4 + len as usize;
		while plain.len() < total {
			plain.extend_from_slice(&self.chunk().await?);
		}
		if plain.len() != total {
			// Each message starts a chunk of its own: bytes past the frame are not ours.
			return Err(FrameError::Decrypt);
		}
		wire::decode(&plain[4..])
	}

	/// One decrypted chunk.
	async fn chunk(&mut self) -> Result<Vec<u8>, FrameError> {
		let mut len = [0u8; 2];
		self.r.read_exact(&mut len).await.map_err(FrameError::Io)?;
		let len = u16::from_be_bytes(len) as usize;
		if len < TAG_LEN {
			return Err(FrameError::Decrypt);
		}
		let mut sealed = vec![0u8; len];
		self.r.read_exact(&mut sealed).await.map_err(FrameError::Io)?;
		let mut plain = vec![0u8; len];
		let n = self
			.state
			.read_message(self.nonce, &sealed, &mut plain)
			.map_err(|_| FrameError::Decrypt)?;
		self.nonce += 1;
		plain.truncate(n);
		Ok(plain)
	}
}

/// Curve25519 from `x25519-dalek`, ciphers and hashes from `ring` (what the node's own
/// networking builds `snow` with, so nothing more is compiled).
struct Resolver;

impl CryptoResolver for Resolver {
	fn resolve_rng(&self) -> Option<Box<dyn Random>> {
		Some(Box::new(SystemRng))
	}

	fn resolve_dh(&self, choice: &DHChoice) -> Option<Box<dyn Dh>> {
		matches!(choice, DHChoice::Curve25519)
			.then(|| Box::new(X25519 { secret: [0; 32], public: [0; 32] }) as Box<dyn Dh>)
	}

	fn resolve_hash(&self, choice: &HashChoice) -> Option<Box<dyn Hash>> {
		RingResolver.resolve_hash(choice)
	}

	fn resolve_cipher(&self, choice: &CipherChoice) -> Option<Box<dyn Cipher>> {
		RingResolver.resolve_cipher(choice)
	}
}

struct SystemRng;

impl rand::RngCore for SystemRng {
	fn next_u32(&mut self) -> u32 {
		OsRng.next_u32()
	}
	fn next_u64(&mut self) -> u64 {
		OsRng.next_u64()
	}
	fn fill_bytes(&mut self, dest: &mut [u8]) {
		OsRng.fill_bytes(dest)
	}
	fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand::Error> {
		OsRng.try_fill_bytes(dest)
	}
}

impl rand::CryptoRng for SystemRng {}
impl Random for SystemRng {}

struct X25519 {
	secret: [u8; 32],
	public: [u8; 32],
}

impl Dh for X25519 {
	fn name(&self) -> &'static str {
		"25519"
	}
	fn pub_len(&self) -> usize {
		32
	}
	fn priv_len(&self) -> usize {
		32
	}
	fn set(&mut self, privkey: &[u8]) {
		// snow passes exactly `priv_len` bytes.
		let mut secret = [0u8; 32];
		let n = privkey.len().min(32);
		secret[..n].copy_from_slice(&privkey[..n]);
		self.secret = secret;
		self.public = x25519_dalek::x25519(secret, x25519_dalek::X25519_BASEPOINT_BYTES);
	}
	fn generate(&mut self, rng: &mut dyn Random) {
		let mut secret = [0u8; 32];
		rng.fill_bytes(&mut secret);
		self.set(&secret);
	}
	fn pubkey(&self) -> &[u8] {
		&self.public
	}
	fn privkey(&self) -> &[u8] {
		&self.secret
	}
	fn dh(&self, pubkey: &[u8], out: &mut [u8]) -> Result<(), snow::Error> {
		let public: [u8; 32] =
			pubkey.get(..32).and_then(|b| b.try_into().ok()).ok_or(snow::Error::Dh)?;
		let shared = x25519_dalek::x25519(self.secret, public);
		out.get_mut(..32).ok_or(snow::Error::Dh)?.copy_from_slice(&shared);
		Ok(())
	}
}

impl Drop for X25519 {
	fn drop(&mut self) {
		self.secret = [0; 32];
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use polkadot_sdk::sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie};
	use tokio::net::TcpListener;

	async fn pair() -> (TcpStream, TcpStream) {
		let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
		let addr = listener.local_addr().unwrap();
		let (dialled, accepted) = tokio::join!(TcpStream::connect(addr), listener.accept());
		(dialled.unwrap(), accepted.unwrap().0)
	}

	fn identity(k: polkadot_sdk::sp_keyring::Sr25519Keyring) -> Identity {
		Identity::new(&Keys::from_pair(k.pair()))
	}

	#[tokio::test]
	async fn both_sides_learn_the_authenticated_account_and_messages_round_trip() {
		let (a, b) = (identity(Alice), identity(Bob));
		let (s1, s2) = pair().await;
		let (ca, cb) = tokio::join!(initiate(s1, &a), respond(s2, &b));
		let (mut ca, mut cb) = (ca.unwrap(), cb.unwrap());
		assert_eq!(ca.peer, Bob.to_account_id());
		assert_eq!(cb.peer, Alice.to_account_id());
		// Small and multi-chunk messages, both ways, in order.
		let big = Message::Reject { nonce: 1, reason: "x".repeat(200_000) };
		let small = Message::Ack { nonce: 9 };
		ca.writer.send(&big).await.unwrap();
		ca.writer.send(&small).await.unwrap();
		assert_eq!(cb.reader.recv().await.unwrap(), big);
		assert_eq!(cb.reader.recv().await.unwrap(), small);
		cb.writer.send(&small).await.unwrap();
		assert_eq!(ca.reader.recv().await.unwrap(), small);
		// Above the frame limit: refused before anything is sent.
		let huge = Message::Reject { nonce: 1, reason: "x".repeat(wire::MAX_FRAME as usize) };
		assert!(ca.writer.send(&huge).await.is_err());
	}

	#[tokio::test]
	async fn a_copied_binding_does_not_authenticate() {
		// Charlie presents Alice's binding with his own Noise key: both directions refuse.
		let alice = identity(Alice);
		let thief = identity(Charlie).with_binding(alice.binding.clone());
		let (s1, s2) = pair().await;
		let bob = identity(Bob);
		let (dial, accept) = tokio::join!(initiate(s1, &thief), respond(s2, &bob));
		let err = accept.err().expect("the responder refuses").to_string();
		assert!(err.contains("not signed for this connection's key"), "{err}");
		drop(dial);
		let (s1, s2) = pair().await;
		let thief = identity(Charlie).with_binding(alice.binding.clone());
		let (dial, _accept) = tokio::join!(initiate(s1, &bob), respond(s2, &thief));
		assert!(dial.err().unwrap().to_string().contains("not signed for this connection's key"));
	}

	#[tokio::test]
	async fn tampered_and_hostile_bytes_end_the_connection() {
		// Plaintext where a handshake is expected: refused.
		let (mut s1, s2) = pair().await;
		s1.write_all(&[0, 5, 1, 2, 3, 4, 5]).await.unwrap();
		drop(s1);
		assert!(respond(s2, &identity(Bob)).await.is_err());

		// A flipped ciphertext bit, a chunk shorter than its tag, a frame above the limit.
		for attack in 0..3 {
			let (a, b) = (identity(Alice), identity(Bob));
			let (s1, s2) = pair().await;
			let (ca, cb) = tokio::join!(initiate(s1, &a), respond(s2, &b));
			let (ca, mut cb) = (ca.unwrap(), cb.unwrap());
			let SecureWriter { mut w, state, nonce } = ca.writer;
			let bytes = match attack {
				0 => {
					let mut out = vec![0u8; 64];
					let n =
						state.write_message(nonce, &[4, 0, 0, 0, 1, 2, 3, 4], &mut out).unwrap();
					out[5] ^= 1;
					[&(n as u16).to_be_bytes()[..], &out[..n]].concat()
				}
				1 => vec![0, 3, 1, 2, 3],
				_ => {
					let mut out = vec![0u8; 64];
					let too_long = (wire::MAX_FRAME + 1).to_le_bytes();
					let n = state.write_message(nonce, &too_long, &mut out).unwrap();
					[&(n as u16).to_be_bytes()[..], &out[..n]].concat()
				}
			};
			w.write_all(&bytes).await.unwrap();
			let err = cb.reader.recv().await.unwrap_err();
			match attack {
				2 => assert!(matches!(err, FrameError::TooLarge(_)), "{err}"),
				_ => assert!(matches!(err, FrameError::Decrypt), "{err}"),
			}
		}
	}
}
