//! A second launch (the OS opening an `econfiance://` link while the app runs) hands its
//! arguments to the running app before it starts anything of its own — no GTK, no WebKit,
//! no plugins — over the single-instance plugin's D-Bus interface, the same call the plugin
//! would make later in the start-up. This is what a link costs when the app is open
//! (measured in BENCHMARKS.md, "Engines": link opened by the OS, app running).
//! `ECONFIANCE_EARLY_HANDOFF=0` leaves it to the plugin (to measure the difference).

/// Hands this launch's arguments to a running instance; true when one took them (this
/// process should then exit). False when none runs or the call failed: start normally (the
/// single-instance plugin still catches a race).
#[cfg(target_os = "linux")]
pub fn forward_to_running_instance() -> bool {
    if std::env::var_os("ECONFIANCE_EARLY_HANDOFF").is_some_and(|v| v == "0") {
        return false;
    }
    // The plugin's names: "<identifier>.SingleInstance", its path with / for the dots.
    let name = format!("{}.SingleInstance", crate::cli::IDENTIFIER);
    let path = format!("/{}", name.replace('.', "/").replace('-', "_"));
    let Ok(connection) = zbus::blocking::Connection::session() else {
        return false;
    };
    let owned = zbus::blocking::fdo::DBusProxy::new(&connection)
        .ok()
        .and_then(|dbus| {
            let bus_name = zbus::names::BusName::try_from(name.as_str()).ok()?;
            dbus.name_has_owner(bus_name).ok()
        })
        .unwrap_or(false);
    if !owned {
        return false;
    }
    let argv: Vec<String> = std::env::args_os()
        .map(|arg| arg.to_string_lossy().into_owned())
        .collect();
    let cwd = std::env::current_dir()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    connection
        .call_method(
            Some(name.as_str()),
            path.as_str(),
            Some("org.SingleInstance.DBus"),
            "ExecuteCallback",
            &(argv, cwd),
        )
        .is_ok()
}

/// Elsewhere the single-instance plugin does the handing over.
#[cfg(not(target_os = "linux"))]
pub fn forward_to_running_instance() -> bool {
    false
}
