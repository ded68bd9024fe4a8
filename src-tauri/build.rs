//! Build script of the desktop app: Tauri's code generation, with the capabilities kept in
//! `src-tauri/capabilities` and one permission generated per app command (the commands of
//! `command_list.rs`).

/// `command_list.rs`'s entries, as the names of the commands.
macro_rules! app_commands {
    ($($module:ident :: $command:ident),* $(,)?) => {
        &[$(stringify!($command)),*]
    };
}

/// The app's IPC commands, from the one list.
const COMMANDS: &[&str] = include!("command_list.rs");

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/command_list.rs");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {e:#}");
    }
}
