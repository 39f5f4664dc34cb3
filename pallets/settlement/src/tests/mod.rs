//! Unit tests on the mock: instructions, and clearing schemes.

mod instructions;
mod schemes;
