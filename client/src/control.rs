//! The control socket of a running `tpw listen`: a Unix socket in its store directory
//! (`control.sock`, mode 0600: only the store's owner may use it) through which other `tpw`
//! commands, or any program, ask the listener to open, top up, pay and close, while its
//! sessions keep running. Without it, those commands would contend with the listener for the
//! channels' locks.
//!
//! One JSON object per line each way: a [`Request`], answered by `{"ok": <Done>}` or
//! `{"error": "<why>"}`; several requests may follow on one connection. A request line is at
//! most [`MAX_REQUEST`] bytes; a longer one is answered with an error and the connection
//! closed, and a malformed one with an error (the connection stays usable).

use crate::operations::{Done, Operator, Request};
use anyhow::{anyhow, bail, Context, Result};
use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};
use std::{
	os::unix::fs::{FileTypeExt, PermissionsExt},
	path::{Path, PathBuf},
	sync::Arc,
	time::Duration,
};
use tokio::{
	io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
	net::{UnixListener, UnixStream},
};

/// The socket's file name in the store directory.
pub const SOCKET: &str = "control.sock";
/// Longest request line, in bytes.
pub const MAX_REQUEST: usize = 64 * 1024;
/// Longest reply line [`ask`] reads.
const MAX_REPLY: usize = 1 << 20;
/// How long a connection may stay silent before a request (then it is closed).
const IDLE: Duration = Duration::from_secs(60);

/// The control socket of the listener running on the store in `store_dir`.
pub fn socket_path(store_dir: &Path) -> PathBuf {
	store_dir.join(SOCKET)
}

/// Carries out requests: the listener's [`Operator`] (tests use their own).
pub trait Handler: Send + Sync + 'static {
	fn handle(&self, request: Request) -> BoxFuture<'_, Result<Done>>;
}

impl Handler for Operator {
	fn handle(&self, request: Request) -> BoxFuture<'_, Result<Done>> {
		Box::pin(async move { self.perform(&request).await })
	}
}

/// A reply line.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Reply {
	Ok(Done),
	Error(String),
}

/// Binds the control socket at `path`, readable and writable by this user only. Refuses if a
/// listener already answers there (two listeners on one store would fork its channels) or if
/// something other than a socket is there; replaces a socket left by a listener that died.
pub async fn bind(path: &Path) -> Result<UnixListener> {
	if let Ok(meta) = std::fs::symlink_metadata(path) {
		if !meta.file_type().is_socket() {
			bail!("{} exists and is not a socket: not replacing it", path.display());
		}
		if UnixStream::connect(path).await.is_ok() {
			bail!(
				"another tpw listen serves this store (its control socket {} answers)",
				path.display()
			);
		}
		std::fs::remove_file(path)
			.with_context(|| format!("removing the stale socket {}", path.display()))?;
	}
	let listener =
		UnixListener::bind(path).with_context(|| format!("binding {}", path.display()))?;
	std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
		.with_context(|| format!("restricting {}", path.display()))?;
	Ok(listener)
}

/// Answers connections on `listener`, each in its own task, for as long as it runs.
pub async fn serve(listener: UnixListener, handler: Arc<dyn Handler>) {
	// Whoever owns the socket file (this process made it) may use it.
	let owner = listener
		.local_addr()
		.ok()
		.and_then(|a| a.as_pathname().and_then(|p| std::fs::metadata(p).ok()))
		.map(|m| std::os::unix::fs::MetadataExt::uid(&m));
	loop {
		match listener.accept().await {
			Ok((stream, _)) => {
				// The socket's mode is set just after bind: a connection made in between, by
				// another user, is refused here.
				if !stream.peer_cred().is_ok_and(|cred| Some(cred.uid()) == owner) {
					log::warn!("control socket: a connection from another user refused");
					continue;
				}
				let handler = handler.clone();
				tokio::spawn(async move {
					if let Err(e) = connection(stream, handler).await {
						log::debug!("control connection: {e:#}");
					}
				});
			}
			Err(e) => {
				log::warn!("control socket: {e}");
				tokio::time::sleep(Duration::from_millis(100)).await;
			}
		}
	}
}

/// Answers the requests of one connection, in order.
async fn connection(stream: UnixStream, handler: Arc<dyn Handler>) -> Result<()> {
	let (reader, mut writer) = stream.into_split();
	let mut reader = BufReader::new(reader);
	loop {
		let line = match tokio::time::timeout(IDLE, read_line(&mut reader, MAX_REQUEST)).await {
			Err(_) | Ok(Ok(None)) => return Ok(()),
			Ok(Ok(Some(line))) => line,
			Ok(Err(e)) => {
				write_reply(&mut writer, &Reply::Error(format!("{e:#}"))).await?;
				return Ok(());
			}
		};
		let reply = match serde_json::from_slice::<Request>(&line) {
			Err(e) => Reply::Error(format!("bad request: {e}")),
			Ok(request) => match handler.handle(request).await {
				Ok(done) => Reply::Ok(done),
				Err(e) => Reply::Error(format!("{e:#}")),
			},
		};
		write_reply(&mut writer, &reply).await?;
	}
}

async fn write_reply(writer: &mut (impl AsyncWriteExt + Unpin), reply: &Reply) -> Result<()> {
	let mut line = serde_json::to_vec(reply)?;
	line.push(b'\n');
	writer.write_all(&line).await?;
	Ok(())
}

/// One line of at most `max` bytes, without its newline; `None` at the end of the stream.
async fn read_line(
	reader: &mut (impl AsyncBufRead + Unpin),
	max: usize,
) -> Result<Option<Vec<u8>>> {
	let mut line = Vec::new();
	let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
	let read = (&mut *reader).take(limit).read_until(b'\n', &mut line).await?;
	if read == 0 {
		return Ok(None);
	}
	if line.last() == Some(&b'\n') {
		line.pop();
	} else if line.len() > max {
		bail!("line longer than {max} bytes");
	}
	Ok(Some(line))
}

/// Asks the listener whose control socket is `path` to carry out `request`: `Ok(None)` if no
/// listener runs there (no socket, or one left by a listener that died), else what it did, or
/// `Err` with why it did not.
pub async fn ask(path: &Path, request: &Request) -> Result<Option<Done>> {
	let stream = match UnixStream::connect(path).await {
		Ok(stream) => stream,
		Err(e)
			if matches!(
				e.kind(),
				std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused
			) =>
		{
			return Ok(None)
		}
		Err(e) => return Err(e).with_context(|| format!("connecting to {}", path.display())),
	};
	let (reader, mut writer) = stream.into_split();
	let mut line = serde_json::to_vec(request)?;
	line.push(b'\n');
	writer.write_all(&line).await.context("sending the request")?;
	let mut reader = BufReader::new(reader);
	let line = read_line(&mut reader, MAX_REPLY)
		.await?
		.ok_or_else(|| anyhow!("the listener closed the connection without answering"))?;
	match serde_json::from_slice(&line).context("reading the listener's reply")? {
		Reply::Ok(done) => Ok(Some(done)),
		Reply::Error(why) => bail!("{why}"),
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{operations::ChannelSummary, store::tests::TempDir};
	use std::sync::Mutex;

	/// Records requests; pays by echoing the amount as the nonce, refuses closes.
	#[derive(Default)]
	struct Recorder(Mutex<Vec<Request>>);

	impl Handler for Recorder {
		fn handle(&self, request: Request) -> BoxFuture<'_, Result<Done>> {
			Box::pin(async move {
				self.0.lock().unwrap().push(request.clone());
				match request {
					Request::Pay { channel, amount, .. } => Ok(Done::Paid(ChannelSummary {
						channel,
						nonce: amount as u64,
						balances: (0, amount),
						pending: (0, 0),
						conditional: 0,
						side: "A".into(),
						closed: false,
						peer_addr: None,
					})),
					_ => bail!("channel is closed"),
				}
			})
		}
	}

	async fn started(dir: &TempDir) -> (PathBuf, Arc<Recorder>) {
		let path = socket_path(&dir.0);
		let recorder = Arc::new(Recorder::default());
		let listener = bind(&path).await.unwrap();
		tokio::spawn(serve(listener, recorder.clone()));
		(path, recorder)
	}

	/// Sends raw bytes on a fresh connection and reads what comes back until it closes.
	async fn raw(path: &Path, bytes: &[u8], lines: usize) -> Vec<String> {
		let stream = UnixStream::connect(path).await.unwrap();
		let (reader, mut writer) = stream.into_split();
		writer.write_all(bytes).await.unwrap();
		let mut reader = BufReader::new(reader);
		let mut out = Vec::new();
		for _ in 0..lines {
			match read_line(&mut reader, MAX_REPLY).await.unwrap() {
				Some(line) => out.push(String::from_utf8(line).unwrap()),
				None => break,
			}
		}
		out
	}

	#[tokio::test]
	async fn requests_are_carried_out_and_errors_come_back_named() {
		let dir = TempDir::new("control");
		let (path, recorder) = started(&dir).await;
		let mode = std::fs::metadata(&path).unwrap().permissions().mode();
		assert_eq!(mode & 0o777, 0o600);

		let pay = Request::Pay { channel: 4, amount: 9, count: 1 };
		match ask(&path, &pay).await.unwrap() {
			Some(Done::Paid(chan)) => assert_eq!((chan.channel, chan.nonce), (4, 9)),
			other => panic!("{other:?}"),
		}
		let err = ask(&path, &Request::Close { channel: 4 }).await.unwrap_err();
		assert_eq!(err.to_string(), "channel is closed");
		assert_eq!(*recorder.0.lock().unwrap(), vec![pay, Request::Close { channel: 4 }]);

		// Nobody there: the caller does the work itself.
		let other = TempDir::new("control-none");
		assert!(ask(&socket_path(&other.0), &Request::Close { channel: 1 })
			.await
			.unwrap()
			.is_none());
	}

	#[tokio::test]
	async fn hostile_lines_are_refused_and_carry_out_nothing() {
		let dir = TempDir::new("control-hostile");
		let (path, recorder) = started(&dir).await;

		// Malformed, unknown, ill-typed, extra fields: each answered with an error, and the
		// connection still serves the good request after them.
		let lines = b"not json\n{\"pay\":{\"channel\":1,\"amount\":-1,\"count\":1}}\n\
			{\"steal\":{}}\n{\"pay\":{\"channel\":1,\"amount\":1,\"count\":1,\"x\":0}}\n\
			\xff\xfe\n{\"pay\":{\"channel\":1,\"amount\":2,\"count\":1}}\n";
		let replies = raw(&path, lines, 6).await;
		assert_eq!(replies.len(), 6);
		for reply in &replies[..5] {
			assert!(reply.starts_with("{\"error\":\"bad request"), "{reply}");
		}
		assert!(replies[5].starts_with("{\"ok\":{\"paid\""), "{}", replies[5]);

		// Too long: an error, then the connection ends, without reading the rest.
		let mut long = vec![b'x'; MAX_REQUEST + 1];
		long.extend_from_slice(b"\n{\"pay\":{\"channel\":1,\"amount\":3,\"count\":1}}\n");
		let replies = raw(&path, &long, 3).await;
		assert_eq!(replies.len(), 1);
		assert!(replies[0].contains("longer than 65536 bytes"), "{}", replies[0]);

		// Only the one good request was carried out.
		assert_eq!(
			*recorder.0.lock().unwrap(),
			vec![Request::Pay { channel: 1, amount: 2, count: 1 }]
		);
	}

	#[tokio::test]
	async fn one_listener_per_store_and_stale_sockets_are_replaced() {
		let dir = TempDir::new("control-bind");
		let path = socket_path(&dir.0);
		// Left by a listener that died: bound once, never served, listener dropped.
		drop(bind(&path).await.unwrap());
		assert!(path.exists());
		assert!(ask(&path, &Request::Close { channel: 1 }).await.unwrap().is_none());
		let listener = bind(&path).await.unwrap();
		let err = bind(&path).await.unwrap_err();
		assert!(err.to_string().contains("another tpw listen serves this store"), "{err}");
		drop(listener);
		// Not a socket: left alone.
		let file = dir.0.join("not-a-socket");
		std::fs::write(&file, b"keep me").unwrap();
		assert!(bind(&file).await.is_err());
		assert_eq!(std::fs::read(&file).unwrap(), b"keep me");
	}
}
