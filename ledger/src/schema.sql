-- tpw-ledger's tables. Created if missing at every start; never changed in place.
SET client_min_messages = warning;
-- One creator at a time: the service's tasks connect together, and concurrent CREATE OR REPLACE
-- of one function fails. The lock ends with the transaction.
BEGIN;
SELECT pg_advisory_xact_lock(7631553); -- 'tpwl'
CREATE TABLE IF NOT EXISTS ledger_cursor (
	id smallint PRIMARY KEY CHECK (id = 1),
	block bigint NOT NULL,
	block_hash bytea NOT NULL,
	seq bigint NOT NULL,
	head bytea NOT NULL
);
-- Every event of every booked block, as the runtime emitted it (fields SCALE-encoded).
CREATE TABLE IF NOT EXISTS chain_event (
	block bigint NOT NULL,
	event_index bigint NOT NULL,
	block_hash bytea NOT NULL,
	phase text NOT NULL,
	pallet text NOT NULL,
	name text NOT NULL,
	fields bytea NOT NULL,
	-- The object a held-transfer pallet's event concerns (its first field), else NULL.
	object text,
	PRIMARY KEY (block, event_index)
);
CREATE INDEX IF NOT EXISTS chain_event_object ON chain_event (pallet, object) WHERE object IS NOT NULL;
-- Every extrinsic of every booked block, by its hash (blake2-256 of its encoding): timelines.
CREATE TABLE IF NOT EXISTS chain_extrinsic (
	block bigint NOT NULL,
	extrinsic_index integer NOT NULL,
	hash bytea NOT NULL,
	PRIMARY KEY (block, extrinsic_index)
);
CREATE INDEX IF NOT EXISTS chain_extrinsic_hash ON chain_extrinsic (hash);
CREATE TABLE IF NOT EXISTS journal_entry (
	seq bigint PRIMARY KEY,
	block bigint NOT NULL,
	phase text NOT NULL,
	event_index bigint NOT NULL,
	kind text NOT NULL,
	hash bytea NOT NULL
);
CREATE INDEX IF NOT EXISTS journal_entry_block ON journal_entry (block);
CREATE TABLE IF NOT EXISTS journal_line (
	seq bigint NOT NULL REFERENCES journal_entry (seq),
	line integer NOT NULL,
	account text NOT NULL,
	-- The holder (SS58) of a `holder/…` account, else NULL: an account's lines by index.
	holder text,
	debit numeric(39, 0) NOT NULL CHECK (debit >= 0),
	credit numeric(39, 0) NOT NULL CHECK (credit >= 0),
	PRIMARY KEY (seq, line)
);
CREATE INDEX IF NOT EXISTS journal_line_account ON journal_line (account);
CREATE INDEX IF NOT EXISTS journal_line_holder ON journal_line (holder, seq);
-- Each account's balance (debits − credits of its lines), kept in the transaction that books
-- the lines: what the API and reconciliation read, without summing the journal's history. A
-- projection: rebuilt from the journal, checked against the chain at every block that touches it.
CREATE TABLE IF NOT EXISTS account_balance (
	account text PRIMARY KEY,
	holder text,
	balance numeric(40, 0) NOT NULL
);
CREATE INDEX IF NOT EXISTS account_balance_holder ON account_balance (holder);
-- What limits a token holder's available units besides holds (`terms.rs`): frozen, and the
-- lock-up schedules as JSON. Kept as storage holds them after the last block that touched the
-- holder; a holder with no terms has no row.
CREATE TABLE IF NOT EXISTS holder_terms (
	holder text NOT NULL,
	asset bigint NOT NULL,
	frozen boolean NOT NULL,
	lockups jsonb NOT NULL,
	block bigint NOT NULL,
	PRIMARY KEY (holder, asset)
);
-- A token's pause (or `pallet-assets` freeze) and minimum balance, as of the last block that
-- touched it.
CREATE TABLE IF NOT EXISTS token_terms (
	asset bigint PRIMARY KEY,
	paused boolean NOT NULL,
	min_balance numeric(39, 0) NOT NULL,
	block bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS reconciliation_alert (
	id bigserial PRIMARY KEY,
	block bigint NOT NULL,
	account text NOT NULL,
	kind text NOT NULL,
	ledger numeric(39, 0) NOT NULL,
	chain numeric(39, 0) NOT NULL,
	noted_at timestamptz NOT NULL DEFAULT now()
);
-- API keys: only a SHA-256 of each key is kept. `accounts` NULL: every account (an operator's
-- key); otherwise the holders (SS58) the key may read and subscribe to.
CREATE TABLE IF NOT EXISTS api_key (
	id bigserial PRIMARY KEY,
	name text NOT NULL,
	key_hash bytea NOT NULL UNIQUE,
	accounts text[],
	created_at timestamptz NOT NULL DEFAULT now(),
	revoked_at timestamptz
);
-- Webhook subscriptions: entries that touch one of `accounts` (NULL: any the key may read) and
-- whose kind is one of `kinds` (NULL: any) are delivered to `url`, signed with `secret`.
CREATE TABLE IF NOT EXISTS webhook_subscription (
	id bigserial PRIMARY KEY,
	api_key bigint NOT NULL REFERENCES api_key (id),
	url text NOT NULL,
	secret text NOT NULL,
	accounts text[],
	kinds text[],
	created_at timestamptz NOT NULL DEFAULT now(),
	deleted_at timestamptz
);
-- The transactional outbox: one row per (subscription, entry), written in the transaction that
-- books the entry; the dispatcher delivers it at least once, then marks it delivered, or dead
-- after the last attempt.
CREATE TABLE IF NOT EXISTS webhook_delivery (
	subscription bigint NOT NULL REFERENCES webhook_subscription (id),
	seq bigint NOT NULL REFERENCES journal_entry (seq),
	attempts integer NOT NULL DEFAULT 0,
	next_attempt timestamptz NOT NULL DEFAULT now(),
	delivered_at timestamptz,
	dead_at timestamptz,
	last_error text,
	PRIMARY KEY (subscription, seq)
);
CREATE INDEX IF NOT EXISTS webhook_delivery_due ON webhook_delivery (next_attempt)
	WHERE delivered_at IS NULL AND dead_at IS NULL;
-- What a subscription's deliveries are: `json` (the journal's entries, the alerts) or `iso20022`
-- (an entry as the camt.054 notification of each account it moved; the gateway's transfers'
-- pacs.002 status reports, for operators' keys).
ALTER TABLE webhook_subscription ADD COLUMN IF NOT EXISTS format text NOT NULL DEFAULT 'json'
	CHECK (format IN ('json', 'iso20022'));
-- The journal's head anchored on chain (ledger/src/anchor.rs): a finalized block whose body holds
-- a remark of `head` at entry `seq`, signed by `account`.
CREATE TABLE IF NOT EXISTS audit_anchor (
	seq bigint PRIMARY KEY,
	head bytea NOT NULL,
	block bigint NOT NULL,
	block_hash bytea NOT NULL,
	account text NOT NULL,
	anchored_at timestamptz NOT NULL DEFAULT now()
);
-- The accounts each object of a held-transfer pallet (a review case, a swap, a channel, an
-- instruction) was seen with, by its first field: where a later event about it, which names fewer
-- parties, may have paid held units (docs/ledger-events.md §2). Derived from the log.
CREATE TABLE IF NOT EXISTS mover_party (
	pallet text NOT NULL,
	object text NOT NULL,
	account text NOT NULL,
	PRIMARY KEY (pallet, object, account)
);
-- This ledger's identity (random, made once): what the event stream's messages carry, so that a
-- stream holding another ledger's entries (a database rebuilt, a second ledger) is refused
-- instead of being skipped or duplicated.
CREATE TABLE IF NOT EXISTS ledger_info (
	id smallint PRIMARY KEY CHECK (id = 1),
	ledger text NOT NULL
);
INSERT INTO ledger_info (id, ledger) VALUES (1, replace(gen_random_uuid()::text, '-', ''))
	ON CONFLICT (id) DO NOTHING;
-- The alerts' outbox: reconciliation alerts for the subscriptions of operators' keys that take
-- every kind or `Reconciliation.Alert`, written with the alert.
CREATE TABLE IF NOT EXISTS alert_delivery (
	subscription bigint NOT NULL REFERENCES webhook_subscription (id),
	alert bigint NOT NULL REFERENCES reconciliation_alert (id),
	attempts integer NOT NULL DEFAULT 0,
	next_attempt timestamptz NOT NULL DEFAULT now(),
	delivered_at timestamptz,
	dead_at timestamptz,
	last_error text,
	PRIMARY KEY (subscription, alert)
);
-- The event stream's outbox is the journal itself: entries after `seq` are still to publish.
CREATE TABLE IF NOT EXISTS stream_cursor (
	id smallint PRIMARY KEY CHECK (id = 1),
	seq bigint NOT NULL
);
-- Each booked block's timestamp (ms since the epoch): the periods of account reports.
CREATE TABLE IF NOT EXISTS block_time (
	block bigint PRIMARY KEY,
	time bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS block_time_time ON block_time (time);
-- The ISO 20022 gateway (ledger/src/iso/). The institution's directory: an account as payment
-- messages name it (`iban:…`, `acct:<BIC8>:<scheme>:<id>`, `proxy:<type>:<id>`) to a chain
-- account, with the name its reports give the account's owner.
CREATE TABLE IF NOT EXISTS iso_directory (
	key text PRIMARY KEY,
	account text NOT NULL,
	owner text,
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS iso_directory_account ON iso_directory (account);
-- The currency table: an ISO 4217 code to the token that carries it.
CREATE TABLE IF NOT EXISTS iso_currency (
	currency text PRIMARY KEY CHECK (currency ~ '^[A-Z]{3}$'),
	asset bigint NOT NULL UNIQUE,
	decimals smallint NOT NULL CHECK (decimals BETWEEN 0 AND 18),
	updated_at timestamptz NOT NULL DEFAULT now()
);
-- Every payment message received, as received (its transfers are read from it again for the
-- status reports), refused ones included.
CREATE TABLE IF NOT EXISTS iso_message (
	id bigserial PRIMARY KEY,
	msg_id text,
	kind text,
	created text,
	raw bytea NOT NULL,
	sha256 bytea NOT NULL,
	-- Why the whole message was refused (ISO code and words), or NULL.
	reason_code text,
	reason text,
	received_at timestamptz NOT NULL DEFAULT now(),
	-- Where it came from: `api` (and the key's id) or `folder` (and the file's name).
	source text NOT NULL
);
CREATE INDEX IF NOT EXISTS iso_message_msg_id ON iso_message (msg_id);
-- One row per credit transfer of a message: refused before submission, or submitted and then
-- settled (in a finalized block) or refused on chain.
CREATE TABLE IF NOT EXISTS iso_payment (
	id bigserial PRIMARY KEY,
	message bigint NOT NULL REFERENCES iso_message (id),
	-- Its place in the message's transfers.
	position integer NOT NULL,
	end_to_end_id text NOT NULL,
	status text NOT NULL CHECK (status IN ('rejected', 'submitted', 'settled', 'pending')),
	reason_code text,
	reason text,
	debtor text,
	creditor text,
	asset bigint,
	units numeric(39, 0),
	travel_rule bytea,
	extrinsic bytea,
	-- The last block that may include the extrinsic (its mortality).
	valid_until bigint,
	block bigint,
	extrinsic_index integer,
	-- The block's timestamp (ms since the epoch); for a transfer held for review, the time of
	-- the block that ended the review.
	block_time bigint,
	-- The compliance pallet's review case of a transfer held for review (`pending`).
	review_case text,
	accepted_at timestamptz NOT NULL DEFAULT now(),
	decided_at timestamptz,
	UNIQUE (message, position)
);
CREATE INDEX IF NOT EXISTS iso_payment_open ON iso_payment (id) WHERE status IN ('submitted', 'pending');
CREATE INDEX IF NOT EXISTS iso_payment_extrinsic ON iso_payment (extrinsic);
-- The status reports' outbox: one row per (iso20022 subscription of an operator's key, decided
-- transfer, status reported), written when the transfer is decided (a transfer held for review
-- is reported twice: pending, then how its review ended).
CREATE TABLE IF NOT EXISTS report_delivery (
	id bigserial PRIMARY KEY,
	subscription bigint NOT NULL REFERENCES webhook_subscription (id),
	payment bigint NOT NULL REFERENCES iso_payment (id),
	status text NOT NULL,
	attempts integer NOT NULL DEFAULT 0,
	next_attempt timestamptz NOT NULL DEFAULT now(),
	delivered_at timestamptz,
	dead_at timestamptz,
	last_error text,
	UNIQUE (subscription, payment, status)
);
-- Idempotency: each key (`e2e:<MsgId>:<EndToEndId>`, `uetr:<UETR>`) pays once.
CREATE TABLE IF NOT EXISTS iso_payment_key (
	key text PRIMARY KEY,
	payment bigint NOT NULL REFERENCES iso_payment (id)
);
-- The open-banking API (ledger/src/psd2/). Third-party providers: a name, roles (`AIS`, `PIS`)
-- and the SHA-256 of a token shown once.
CREATE TABLE IF NOT EXISTS psd2_tpp (
	id bigserial PRIMARY KEY,
	name text NOT NULL,
	roles text[] NOT NULL,
	token_hash bytea NOT NULL UNIQUE,
	created_at timestamptz NOT NULL DEFAULT now(),
	revoked_at timestamptz
);
-- Consents: the access as the TPP asked (JSON), the accounts it grants (JSON, normalised), the
-- holder whose key authorises it, the last day it may be used (ms since the epoch).
CREATE TABLE IF NOT EXISTS psd2_consent (
	id text PRIMARY KEY,
	tpp bigint NOT NULL REFERENCES psd2_tpp (id),
	access text NOT NULL,
	grants text NOT NULL,
	holder text NOT NULL,
	recurring boolean NOT NULL,
	valid_until bigint NOT NULL,
	frequency_per_day integer NOT NULL,
	status text NOT NULL CHECK (status IN ('received', 'valid', 'rejected', 'expired', 'terminatedByTpp')),
	created_at timestamptz NOT NULL DEFAULT now(),
	status_at timestamptz NOT NULL DEFAULT now()
);
-- Accesses a day without the holder present, per consent (`day`: YYYY-MM-DD, UTC).
CREATE TABLE IF NOT EXISTS psd2_access (
	consent text NOT NULL REFERENCES psd2_consent (id),
	day text NOT NULL,
	count integer NOT NULL,
	PRIMARY KEY (consent, day)
);
-- Payments initiated: the request as sent (JSON), the pain.001 it was written as, and, once the
-- holder authorised it, the gateway's message (whose transfer carries its status from then on).
CREATE TABLE IF NOT EXISTS psd2_payment (
	id text PRIMARY KEY,
	tpp bigint NOT NULL REFERENCES psd2_tpp (id),
	request_id text NOT NULL,
	request text NOT NULL,
	debtor text NOT NULL,
	pain001 bytea NOT NULL,
	status text NOT NULL CHECK (status IN ('RCVD', 'CANC', 'RJCT', 'authorised')),
	message bigint REFERENCES iso_message (id),
	reason text,
	created_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (tpp, request_id)
);
-- Authorisations (strong customer authentication) of a consent or a payment: the challenge the
-- holder's key must sign, and the wrong signatures so far.
CREATE TABLE IF NOT EXISTS psd2_authorisation (
	id text PRIMARY KEY,
	consent text REFERENCES psd2_consent (id),
	payment text REFERENCES psd2_payment (id),
	challenge text NOT NULL,
	signer text NOT NULL,
	status text NOT NULL CHECK (status IN ('scaMethodSelected', 'finalised', 'failed')),
	attempts integer NOT NULL DEFAULT 0,
	created_at timestamptz NOT NULL DEFAULT now(),
	CHECK ((consent IS NULL) <> (payment IS NULL))
);
-- The log and the journal are append-only: an UPDATE or DELETE is refused (an administrator
-- who disables this is what the hash chain and `tpw-ledger audit verify` are for).
CREATE OR REPLACE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END $$;
DO $$
DECLARE t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['chain_event', 'chain_extrinsic', 'journal_entry', 'journal_line'] LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = t || '_append_only') THEN
			EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I '
				'FOR EACH ROW EXECUTE FUNCTION ledger_append_only()', t || '_append_only', t);
		END IF;
	END LOOP;
END $$;
COMMIT;
