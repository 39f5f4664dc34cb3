//! The peer-to-peer messages of a channel session and their framing on TCP: each frame is a
//! little-endian `u32` length followed by that many bytes, the SCALE encoding of one
//! [`Message`]. Frames above [`MAX_FRAME`] and bytes that do not decode to exactly one message
//! are errors, never panics.

use crate::{
	protocol::Proposal, AccountId, ChannelId, Condition, Hash32, Nonce, Signature, SignedState,
};
use codec::{Decode, DecodeLimit, Encode};
use std::io;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// Largest frame accepted: far above any message (a state with a full conditions tree and a
/// route is a few kilobytes), low enough that a peer cannot make us allocate much.
pub const MAX_FRAME: u32 = 1 << 20;
/// Nesting depth allowed when decoding a frame.
const MAX_DEPTH: u32 = 32;

/// One message of a channel session.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum Message {
	/// First message each way: which channel, on which chain, from whom, and the nonce of the
	/// sender's latest co-signed state (the one behind is brought up to date with `Sync`).
	Hello { channel: ChannelId, genesis: Hash32, account: AccountId, nonce: Nonce },
	/// The sender's latest co-signed state and its conditional payments, newer than the
	/// receiver's.
	Sync { signed: SignedState, conditions: Vec<Condition> },
	/// A new state signed by the proposer.
	Propose(Proposal),
	/// The receiver's signature of the proposed state of `nonce`, sent once it is stored.
	Countersign { nonce: Nonce, sig: Signature },
	/// The proposer stored the co-signed state of `nonce`.
	Ack { nonce: Nonce },
	/// The proposal of `nonce` was refused.
	Reject { nonce: Nonce, reason: String },
	/// Asks to close cooperatively on the latest state of `nonce`, with the sender's close
	/// signature.
	CloseRequest { nonce: Nonce, sig: Signature },
	/// The receiver's close signature of the state of `nonce`.
	CloseSig { nonce: Nonce, sig: Signature },
	/// The sender's signature of the channel's announcement (see [`crate::gossip`]).
	AnnounceSig { sig: Signature },
	/// Channels and terms the sender learnt (at most [`crate::gossip::MAX_PER_MESSAGE`] of
	/// each are read).
	Gossip {
		announcements: Vec<crate::gossip::Announcement>,
		updates: Vec<crate::gossip::ChannelUpdate>,
	},
	/// Asks for the gossip whose updates are newer than `serial` (the sender holds the rest).
	GossipSince { serial: u64 },
	/// All the gossip a `GossipSince` asked for was sent.
	GossipSent,
	/// To a watchtower (`tower`): blobs to keep.
	TowerStore { blobs: Vec<crate::tower::Blob> },
	/// From a watchtower: the first `kept` of the batch are kept (the rest did not fit);
	/// room for this many more from the sender.
	TowerStored { kept: u32, room: u64 },
	/// From a watchtower: none kept, and why.
	TowerRefused { reason: String },
}

/// Why a frame could not be read.
#[derive(Debug)]
pub enum FrameError {
	/// The connection failed or closed.
	Io(io::Error),
	/// The frame is larger than [`MAX_FRAME`].
	TooLarge(u32),
	/// The bytes are not one message.
	Malformed(codec::Error),
	/// An encrypted chunk did not decrypt, or chunks do not make up whole frames (`transport`).
	Decrypt,
}

impl std::fmt::Display for FrameError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			FrameError::Io(e) => write!(f, "connection: {e}"),
			FrameError::TooLarge(n) => write!(f, "frame of {n} bytes exceeds {MAX_FRAME}"),
			FrameError::Malformed(e) => write!(f, "malformed message: {e}"),
			FrameError::Decrypt => write!(f, "a chunk failed authentication or broke framing"),
		}
	}
}

impl std::error::Error for FrameError {}

/// Writes `message` as one frame.
pub async fn write_frame<W: AsyncWrite + Unpin>(w: &mut W, message: &Message) -> io::Result<()> {
	let bytes = message.encode();
	let len = u32::try_from(bytes.len())
		.ok()
		.filter(|n| *n <= MAX_FRAME)
		.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "message too large"))?;
	// One write per frame: the length and body go out in one segment.
	let mut frame = Vec::with_capacity(4 + bytes.len());
	frame.extend_from_slice(&len.to_le_bytes());
	frame.extend_from_slice(&bytes);
	w.write_all(&frame).await?;
	w.flush().await
}

/// Reads one frame and decodes it.
pub async fn read_frame<R: AsyncRead + Unpin>(r: &mut R) -> Result<Message, FrameError> {
	let mut len = [0u8; 4];
	r.read_exact(&mut len).await.map_err(FrameError::Io)?;
	let len = u32::from_le_bytes(len);
	if len > MAX_FRAME {
		return Err(FrameError::TooLarge(len));
	}
	let mut body = vec![0u8; len as usize];
	r.read_exact(&mut body).await.map_err(FrameError::Io)?;
	decode(&body)
}

/// Decodes a frame body: exactly one message, nothing left over.
pub fn decode(body: &[u8]) -> Result<Message, FrameError> {
	Message::decode_all_with_depth_limit(MAX_DEPTH, &mut &body[..]).map_err(FrameError::Malformed)
}

#[cfg(test)]
mod tests {
	use super::*;
	use polkadot_sdk::sp_keyring::Sr25519Keyring;

	#[tokio::test]
	async fn frames_round_trip_and_bad_frames_are_errors() {
		let hello = Message::Hello {
			channel: 7,
			genesis: [1; 32],
			account: Sr25519Keyring::Alice.to_account_id(),
			nonce: 3,
		};
		let ack = Message::Ack { nonce: 9 };
		let mut buf = Vec::new();
		write_frame(&mut buf, &hello).await.unwrap();
		write_frame(&mut buf, &ack).await.unwrap();
		let mut r = &buf[..];
		assert_eq!(read_frame(&mut r).await.unwrap(), hello);
		assert_eq!(read_frame(&mut r).await.unwrap(), ack);
		assert!(matches!(read_frame(&mut r).await, Err(FrameError::Io(_))));

		// Too large, garbage, trailing bytes, truncated: errors.
		let huge = (MAX_FRAME + 1).to_le_bytes();
		assert!(matches!(read_frame(&mut &huge[..]).await, Err(FrameError::TooLarge(_))));
		let garbage = [3u8, 0, 0, 0, 0xff, 0xff, 0xff];
		assert!(matches!(read_frame(&mut &garbage[..]).await, Err(FrameError::Malformed(_))));
		let mut trailing = ack.encode();
		trailing.push(0);
		assert!(matches!(decode(&trailing), Err(FrameError::Malformed(_))));
		let truncated = &buf[..buf.len() - 1];
		let mut r = truncated;
		read_frame(&mut r).await.unwrap();
		assert!(matches!(read_frame(&mut r).await, Err(FrameError::Io(_))));
	}
}
