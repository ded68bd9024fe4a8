//! Build script of the desktop app: Tauri's code generation, with the capabilities kept in
//! `src-tauri/capabilities` and one permission generated per app command.

fn main() {
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(&[
            "app_info",
            "set_language",
            "open_legal",
            "platform_status",
            "take_pending_links",
            "request_login_link",
            "submit_login_code",
            "password_login",
            "current_session",
            "logout",
            "request_password_reset",
            "confirm_password_reset",
            "demo_slots",
            "request_demo",
            "me",
            "submit_onboarding",
            "change_password",
            "sessions",
            "revoke_session",
            "revoke_other_sessions",
            "confirm_account_switch",
            "cancel_account_switch",
            "connection_check",
            "repair_scheme",
            "clear_cache",
            "support_draft",
            "save_support_draft",
            "diagnostics_report",
            "send_support",
            "unsent_support",
            "send_unsent_support",
            "forget_unsent_support",
            "my_tickets",
            "contract",
            "request_account_deletion",
            "export_my_data",
            "dashboard_snapshot",
            "dashboard_summary",
            "trust_index",
            "list_reviews",
            "save_reply",
            "delete_reply",
            "flag_review",
            "reply_draft",
            "save_reply_draft",
            "export_reviews",
            "preferences",
            "set_notifications",
            "set_tray",
            "set_theme",
            "set_autostart",
            "get_review",
        ]));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {e:#}");
    }
}
