//! The ISO 20022 gateway's service, beside the books it shares a database and an API server
//! with: payment messages in (`intake`, from the API or a watched folder: `folder`), their transfers followed to finality (`settle`), status
//! reports and account reports out (`outbound`), and the REST endpoints (`api`). What a message
//! means and how each report is written is the `tpwallet-gateway` library's, which does no I/O.

pub mod api;
pub mod books;
pub mod folder;
pub mod intake;
pub mod outbound;
pub mod settle;
