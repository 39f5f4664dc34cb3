//! Embeds the crate version and the commit in the node's version. The scripts build from a copy
//! of the clone without `.git` (scripts/env.sh) and give the commit in
//! `SUBSTRATE_CLI_GIT_COMMIT_HASH`; a plain `cargo build` in a clone reads it from git.
use substrate_build_script_utils::{generate_cargo_keys, rerun_if_git_head_changed};

fn main() {
	generate_cargo_keys();
	println!("cargo:rerun-if-env-changed=SUBSTRATE_CLI_GIT_COMMIT_HASH");
	if std::env::var_os("SUBSTRATE_CLI_GIT_COMMIT_HASH").is_none() {
		rerun_if_git_head_changed();
	}
}
