//! The open-banking API's rows: TPPs, consents and their daily accesses, payments, and
//! authorisations. State changes are conditional updates (`… WHERE status = …`), so that two
//! requests racing each other cannot both move the same thing.

use crate::store::Store;
use anyhow::Result;
use tokio_postgres::Row;

/// A registered third-party provider.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TppRow {
	pub id: i64,
	pub name: String,
	/// `AIS` (account information), `PIS` (payment initiation).
	pub roles: Vec<String>,
	pub revoked: bool,
}

#[derive(Clone, Debug)]
pub struct ConsentRow {
	pub id: String,
	pub tpp: i64,
	/// The access as asked (JSON).
	pub access: String,
	/// The grants (JSON of `consent::Grant`s).
	pub grants: String,
	pub holder: String,
	pub recurring: bool,
	/// The last day's first millisecond.
	pub valid_until: u64,
	pub frequency_per_day: i32,
	pub status: String,
	/// When the status last changed (ms since the epoch).
	pub status_at: i64,
}

#[derive(Clone, Debug)]
pub struct PaymentRow {
	pub id: String,
	pub tpp: i64,
	pub request_id: String,
	pub request: String,
	pub debtor: String,
	pub pain001: Vec<u8>,
	/// `RCVD`, `CANC`, `RJCT` (its authorisation failed) or `authorised`.
	pub status: String,
	pub message: Option<i64>,
	pub reason: Option<String>,
}

#[derive(Clone, Debug)]
pub struct AuthorisationRow {
	pub id: String,
	pub consent: Option<String>,
	pub payment: Option<String>,
	pub challenge: String,
	pub signer: String,
	pub status: String,
	pub attempts: i32,
}

const CONSENT: &str = "id, tpp, access, grants, holder, recurring, valid_until, \
	frequency_per_day, status, (extract(epoch FROM status_at) * 1000)::bigint";

fn consent(row: &Row) -> Result<ConsentRow> {
	Ok(ConsentRow {
		id: row.get(0),
		tpp: row.get(1),
		access: row.get(2),
		grants: row.get(3),
		holder: row.get(4),
		recurring: row.get(5),
		valid_until: u64::try_from(row.get::<_, i64>(6))?,
		frequency_per_day: row.get(7),
		status: row.get(8),
		status_at: row.get(9),
	})
}

const PAYMENT: &str = "id, tpp, request_id, request, debtor, pain001, status, message, reason";

fn payment(row: &Row) -> PaymentRow {
	PaymentRow {
		id: row.get(0),
		tpp: row.get(1),
		request_id: row.get(2),
		request: row.get(3),
		debtor: row.get(4),
		pain001: row.get(5),
		status: row.get(6),
		message: row.get(7),
		reason: row.get(8),
	}
}

const AUTHORISATION: &str = "id, consent, payment, challenge, signer, status, attempts";

fn authorisation(row: &Row) -> AuthorisationRow {
	AuthorisationRow {
		id: row.get(0),
		consent: row.get(1),
		payment: row.get(2),
		challenge: row.get(3),
		signer: row.get(4),
		status: row.get(5),
		attempts: row.get(6),
	}
}

fn tpp(row: &Row) -> TppRow {
	TppRow { id: row.get(0), name: row.get(1), roles: row.get(2), revoked: row.get(3) }
}

impl Store {
	pub async fn create_tpp(&self, name: &str, roles: &[String], hash: &[u8; 32]) -> Result<i64> {
		let row = self
			.client
			.query_one(
				"INSERT INTO psd2_tpp (name, roles, token_hash) VALUES ($1, $2, $3) RETURNING id",
				&[&name, &roles, &&hash[..]],
			)
			.await?;
		Ok(row.get(0))
	}

	pub async fn tpps(&self) -> Result<Vec<TppRow>> {
		let rows = self
			.client
			.query("SELECT id, name, roles, revoked_at IS NOT NULL FROM psd2_tpp ORDER BY id", &[])
			.await?;
		Ok(rows.iter().map(tpp).collect())
	}

	/// The TPP a token (by its hash) identifies, unless unknown or revoked.
	pub async fn tpp_by_token(&self, hash: &[u8; 32]) -> Result<Option<TppRow>> {
		let row = self
			.client
			.query_opt(
				"SELECT id, name, roles, false FROM psd2_tpp \
				 WHERE token_hash = $1 AND revoked_at IS NULL",
				&[&&hash[..]],
			)
			.await?;
		Ok(row.as_ref().map(tpp))
	}

	/// Revokes TPP `id`; `false` if there is none or it was revoked already.
	pub async fn revoke_tpp(&self, id: i64) -> Result<bool> {
		let n = self
			.client
			.execute(
				"UPDATE psd2_tpp SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL",
				&[&id],
			)
			.await?;
		Ok(n == 1)
	}

	/// Records a consent and its authorisation (one statement: both or neither).
	pub async fn insert_consent(
		&self,
		c: &ConsentRow,
		authorisation_id: &str,
		challenge: &str,
	) -> Result<()> {
		self.client
			.execute(
				"WITH c AS (INSERT INTO psd2_consent (id, tpp, access, grants, holder, recurring, \
				 valid_until, frequency_per_day, status) \
				 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'received') RETURNING id) \
				 INSERT INTO psd2_authorisation (id, consent, challenge, signer, status) \
				 SELECT $9, c.id, $10, $5, 'scaMethodSelected' FROM c",
				&[
					&c.id,
					&c.tpp,
					&c.access,
					&c.grants,
					&c.holder,
					&c.recurring,
					&i64::try_from(c.valid_until)?,
					&c.frequency_per_day,
					&authorisation_id,
					&challenge,
				],
			)
			.await?;
		Ok(())
	}

	pub async fn consent(&self, id: &str) -> Result<Option<ConsentRow>> {
		let sql = format!("SELECT {CONSENT} FROM psd2_consent WHERE id = $1");
		self.client.query_opt(&sql, &[&id]).await?.as_ref().map(consent).transpose()
	}

	/// Moves consent `id` from `from` to `to`; `false` if it was not in `from`.
	pub async fn move_consent(&self, id: &str, from: &[&str], to: &str) -> Result<bool> {
		let from: Vec<String> = from.iter().map(|s| s.to_string()).collect();
		let n = self
			.client
			.execute(
				"UPDATE psd2_consent SET status = $3, status_at = now() \
				 WHERE id = $1 AND status = ANY($2)",
				&[&id, &from, &to],
			)
			.await?;
		Ok(n == 1)
	}

	/// Counts one access to `consent` on `day` without the holder present; `false` if that
	/// would be more than `limit`.
	pub async fn count_access(&self, consent: &str, day: &str, limit: i32) -> Result<bool> {
		let row = self
			.client
			.query_opt(
				"INSERT INTO psd2_access (consent, day, count) VALUES ($1, $2, 1) \
				 ON CONFLICT (consent, day) DO UPDATE SET count = psd2_access.count + 1 \
				 WHERE psd2_access.count < $3 RETURNING count",
				&[&consent, &day, &limit],
			)
			.await?;
		Ok(row.is_some())
	}

	/// Records a payment and its authorisation (one statement: both or neither); the payment
	/// already recorded under the TPP's request id when there is one (a retried request).
	pub async fn insert_payment(
		&self,
		p: &PaymentRow,
		authorisation_id: &str,
		challenge: &str,
	) -> Result<Result<(), PaymentRow>> {
		let inserted = self
			.client
			.execute(
				"WITH p AS (INSERT INTO psd2_payment (id, tpp, request_id, request, debtor, \
				 pain001, status) VALUES ($1, $2, $3, $4, $5, $6, 'RCVD') \
				 ON CONFLICT (tpp, request_id) DO NOTHING RETURNING id) \
				 INSERT INTO psd2_authorisation (id, payment, challenge, signer, status) \
				 SELECT $7, p.id, $8, $5, 'scaMethodSelected' FROM p",
				&[
					&p.id,
					&p.tpp,
					&p.request_id,
					&p.request,
					&p.debtor,
					&p.pain001,
					&authorisation_id,
					&challenge,
				],
			)
			.await?;
		if inserted == 1 {
			return Ok(Ok(()));
		}
		let sql = format!("SELECT {PAYMENT} FROM psd2_payment WHERE tpp = $1 AND request_id = $2");
		let earlier = self.client.query_one(&sql, &[&p.tpp, &p.request_id]).await?;
		Ok(Err(payment(&earlier)))
	}

	pub async fn psd2_payment(&self, id: &str) -> Result<Option<PaymentRow>> {
		let sql = format!("SELECT {PAYMENT} FROM psd2_payment WHERE id = $1");
		Ok(self.client.query_opt(&sql, &[&id]).await?.as_ref().map(payment))
	}

	/// Moves payment `id` from `from` to `to`, with a reason; `false` if it was not in `from`.
	pub async fn move_payment(
		&self,
		id: &str,
		from: &str,
		to: &str,
		reason: Option<&str>,
	) -> Result<bool> {
		let n = self
			.client
			.execute(
				"UPDATE psd2_payment SET status = $3, reason = coalesce($4, reason) \
				 WHERE id = $1 AND status = $2",
				&[&id, &from, &to, &reason],
			)
			.await?;
		Ok(n == 1)
	}

	/// The gateway's message that payment `id` became.
	pub async fn link_payment(&self, id: &str, message: i64) -> Result<()> {
		self.client
			.execute("UPDATE psd2_payment SET message = $2 WHERE id = $1", &[&id, &message])
			.await?;
		Ok(())
	}

	/// The authorisations of a consent or a payment.
	pub async fn authorisations(
		&self,
		consent: Option<&str>,
		payment: Option<&str>,
	) -> Result<Vec<AuthorisationRow>> {
		let sql = format!(
			"SELECT {AUTHORISATION} FROM psd2_authorisation \
			 WHERE consent IS NOT DISTINCT FROM $1 AND payment IS NOT DISTINCT FROM $2 \
			 ORDER BY created_at"
		);
		let rows = self.client.query(&sql, &[&consent, &payment]).await?;
		Ok(rows.iter().map(authorisation).collect())
	}

	pub async fn authorisation(&self, id: &str) -> Result<Option<AuthorisationRow>> {
		let sql = format!("SELECT {AUTHORISATION} FROM psd2_authorisation WHERE id = $1");
		Ok(self.client.query_opt(&sql, &[&id]).await?.as_ref().map(authorisation))
	}

	/// A wrong signature for authorisation `id`: its status after counting it (`failed` at
	/// `max` attempts), or `None` if it was no longer open.
	pub async fn wrong_signature(&self, id: &str, max: i32) -> Result<Option<(String, i32)>> {
		let row = self
			.client
			.query_opt(
				"UPDATE psd2_authorisation SET attempts = attempts + 1, status = CASE \
				 WHEN attempts + 1 >= $2 THEN 'failed' ELSE status END \
				 WHERE id = $1 AND status = 'scaMethodSelected' RETURNING status, attempts",
				&[&id, &max],
			)
			.await?;
		Ok(row.map(|r| (r.get(0), r.get(1))))
	}

	/// Authorisation `id` finalised; `false` if it was no longer open.
	pub async fn finalise(&self, id: &str) -> Result<bool> {
		let n = self
			.client
			.execute(
				"UPDATE psd2_authorisation SET status = 'finalised' \
				 WHERE id = $1 AND status = 'scaMethodSelected'",
				&[&id],
			)
			.await?;
		Ok(n == 1)
	}

	/// Authorisation `id` open again (the payment could not be handed to the gateway).
	pub async fn reopen(&self, id: &str) -> Result<()> {
		self.client
			.execute(
				"UPDATE psd2_authorisation SET status = 'scaMethodSelected' \
				 WHERE id = $1 AND status = 'finalised'",
				&[&id],
			)
			.await?;
		Ok(())
	}
}
