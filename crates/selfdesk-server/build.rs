// sqlx::migrate! and include_dir! embed these folders at compile time; rebuild when a
// file in them is added, removed or changed.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=seed");
}
