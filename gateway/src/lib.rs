//! The ISO 20022 gateway: what banks send (`pain.001` versions 3 and 9, `pacs.008` version 8)
//! read as untrusted input (no DTDs, size, depth and node limits), validated against the official
//! schemas (`xsd/`, vendored with their source), turned into credit transfers with the references
//! that make them idempotent, and routed to chain payments (token, accounts, units, travel-rule
//! digest); every refusal carries an ISO status reason code.

pub mod message;
pub mod model;
pub mod read;
pub mod reject;
pub mod route;
pub mod schema;
pub mod xml;

pub use message::MessageId;
pub use model::{AccountRef, Amount, Instruction, Message, Party};
pub use read::read;
pub use reject::Rejection;
pub use route::{route, Currencies, Directory, Token, Transfer};
pub use xml::Limits;
