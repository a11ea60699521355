fn main() {
    // refinery embeds the migrations at compile time; make cargo notice new files.
    println!("cargo:rerun-if-changed=migrations");
}
