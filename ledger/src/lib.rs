//! tpw-ledger: the chain's native and token balances as an event-sourced double-entry journal in
//! PostgreSQL. It books every finalized block exactly once (the cursor moves in the block's own
//! transaction), keeps every event of the block in an append-only log, hash-chains the journal
//! so that a rewritten row is found (`audit verify`), and reconciles the books with on-chain
//! storage after each block. The chart of accounts and the event mapping: [`postings`] and
//! `docs/ledger-events.md`. Outside, it answers a REST API ([`api`]), delivers webhooks from a
//! transactional outbox ([`webhooks`]), publishes every entry to NATS JetStream ([`stream`]) and,
//! with [`iso`], is an ISO 20022 gateway: payment messages in, status and account reports out.

pub mod anchor;
pub mod api;
pub mod audit;
pub mod events;
pub mod export;
pub mod extrinsic;
pub mod ingest;
pub mod iso;
pub mod keys;
pub mod onchain;
pub mod pending;
pub mod postings;
pub mod problem;
pub mod psd2;
pub mod queries;
pub mod store;
pub mod stream;
pub mod terms;
pub mod timeline;
pub mod vanished;
pub mod views;
pub mod webhooks;
