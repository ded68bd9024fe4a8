//! The `e-confiance` executable: starts the desktop app.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    econfiance_desktop::run();
}
