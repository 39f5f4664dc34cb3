//! The ISO 20022 gateway: what banks send (`pain.001` versions 3 and 9, `pacs.008` version 8)
//! read as untrusted input (no DTDs, size, depth and node limits), validated against the official
//! schemas (`xsd/`, vendored with their source), turned into credit transfers with the references
//! that make them idempotent, and routed to chain payments (token, accounts, units, travel-rule
//! digest); every refusal carries an ISO status reason code. Back to the bank: payment status
//! reports (`pain.002`, `pacs.002`) and account reports (`camt.052`, `camt.053`, `camt.054`), written here
//! and checked against their schemas by the tests.

pub mod elements;
pub mod initiation;
pub mod message;
pub mod model;
pub mod read;
pub mod reasons;
pub mod reject;
pub mod report;
pub mod route;
pub mod schema;
pub mod status;
pub mod time;
pub mod write;
pub mod xml;

pub use initiation::{pain001, Initiation};
pub use message::MessageId;
pub use model::{AccountRef, Amount, Code, Instruction, Message, Party};
pub use read::read;
pub use reject::Rejection;
pub use report::{Account, Balance, BalanceType, Entry, Kind, References, Report, ReportError};
pub use route::{route, Currencies, Directory, Token, Transfer};
pub use status::{ChainRef, Header, TxReport, TxStatus};
pub use time::Timestamp;
pub use xml::Limits;
