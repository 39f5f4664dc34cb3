//! Links libxml2, the XSD validator (`schema.rs`): the system library from Debian's
//! `libxml2-dev` (scripts/setup.sh installs it when missing).

fn main() {
	println!("cargo:rustc-link-lib=xml2");
	println!("cargo:rerun-if-changed=build.rs");
}
