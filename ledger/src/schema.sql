-- tpw-ledger's tables. Created if missing at every start; never changed in place.
SET client_min_messages = warning;
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
	PRIMARY KEY (block, event_index)
);
CREATE TABLE IF NOT EXISTS journal_entry (
	seq bigint PRIMARY KEY,
	block bigint NOT NULL,
	phase text NOT NULL,
	event_index bigint NOT NULL,
	kind text NOT NULL,
	hash bytea NOT NULL
);
CREATE TABLE IF NOT EXISTS journal_line (
	seq bigint NOT NULL REFERENCES journal_entry (seq),
	line integer NOT NULL,
	account text NOT NULL,
	debit numeric(39, 0) NOT NULL CHECK (debit >= 0),
	credit numeric(39, 0) NOT NULL CHECK (credit >= 0),
	PRIMARY KEY (seq, line)
);
CREATE INDEX IF NOT EXISTS journal_line_account ON journal_line (account);
CREATE TABLE IF NOT EXISTS reconciliation_alert (
	id bigserial PRIMARY KEY,
	block bigint NOT NULL,
	account text NOT NULL,
	kind text NOT NULL,
	ledger numeric(39, 0) NOT NULL,
	chain numeric(39, 0) NOT NULL,
	noted_at timestamptz NOT NULL DEFAULT now()
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
	FOREACH t IN ARRAY ARRAY['chain_event', 'journal_entry', 'journal_line'] LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = t || '_append_only') THEN
			EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I '
				'FOR EACH ROW EXECUTE FUNCTION ledger_append_only()', t || '_append_only', t);
		END IF;
	END LOOP;
END $$;
