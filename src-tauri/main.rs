//! The `e-confiance` executable: starts the desktop app.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    match econfiance_desktop::cli::handle() {
        econfiance_desktop::cli::Next::Run => econfiance_desktop::run(),
        econfiance_desktop::cli::Next::Exit(code) => std::process::exit(code),
    }
}
