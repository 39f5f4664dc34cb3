//! The open-banking API, shaped after the Berlin Group's NextGenPSD2 framework (version 1.3):
//! third-party providers (TPPs), registered by the operator and holding a token, read accounts,
//! balances and transactions under a consent the account's holder authorised, and initiate SEPA
//! credit transfers the holder authorised. Strong customer authentication is a signature by the
//! holder's own chain key (sr25519) over a challenge that says what is approved; a payment then
//! takes the ISO 20022 gateway's road (`crate::iso`), as the `pain.001` it is written as.
//!
//! `consent` and `sca` are pure (the rules of a consent, the challenges and their signatures);
//! `books` holds the TPPs, consents, payments and authorisations; `api` the routes, `accounts`
//! the account-information and `payments` the payment-initiation endpoints; errors are the
//! framework's `tppMessages` (`error`).

pub mod accounts;
pub mod api;
pub mod books;
pub mod consent;
pub mod error;
pub mod payments;
pub mod sca;
