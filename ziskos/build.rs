//! Sets `cfg(zisk_zkvm)` when building for the ZisK zkVM target (`target_os = "zkvm"`,
//! `target_vendor = "zisk"`), which rustc's check-cfg does not know as a vendor.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(zisk_zkvm)");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let vendor = std::env::var("CARGO_CFG_TARGET_VENDOR").unwrap_or_default();
    if os == "zkvm" && vendor == "zisk" {
        println!("cargo::rustc-cfg=zisk_zkvm");
    }
}
