//! The cross-check's canary (scripts/cross-check.sh --canary): with the `cross-canary`
//! feature, compiling for Windows or macOS stops on an error that exists only for that
//! target, which proves that the check of that target really compiles the app's code.

#[cfg(all(windows, target_arch = "x86_64", target_env = "msvc"))]
compile_error!("cross-target canary for x86_64-pc-windows-msvc");
#[cfg(all(windows, target_arch = "x86_64", target_env = "gnu"))]
compile_error!("cross-target canary for x86_64-pc-windows-gnu");
#[cfg(all(target_os = "macos", target_arch = "aarch64"))]
compile_error!("cross-target canary for aarch64-apple-darwin");
#[cfg(all(target_os = "macos", target_arch = "x86_64"))]
compile_error!("cross-target canary for x86_64-apple-darwin");
