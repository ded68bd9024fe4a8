//! What differs between Linux, Windows and macOS, each decision a plain function of the OS
//! (and of the paths and texts it needs), so that one test run on any OS checks the answers
//! of all three. The shell asks [`Os::current`] and acts on the answer; it decides nothing.
//!
//! - [`launch_args`]: a launch's arguments split into options and links (macOS's `-psn_…`,
//!   Windows' quoted `argv[1]`);
//! - [`keyring_entry_bytes`]: an entry's size in the unit the OS's keyring limits;
//! - [`scheme_handler`]: whether `econfiance://` opens this copy of the app, from what the
//!   OS's registry, Launch Services or desktop database says;
//! - [`bring_forward`]: what a link or a notification's click does to the window;
//! - [`notification_identity`]: the identity the OS shows notifications under (not for a
//!   build run from its target folder, [`is_build_output`]);
//! - [`clear_cache_advice`]: how to clear the cache when the window cannot open.
//!
//! What counts as cache on each OS is [`crate::cache`]'s.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::Language;

/// A desktop OS the app ships for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Os {
    /// Linux (WebKitGTK, Secret Service, desktop entries).
    Linux,
    /// Windows (WebView2, Credential Manager, the registry).
    Windows,
    /// macOS (WKWebView, Keychain, Launch Services).
    MacOs,
}

impl Os {
    /// Every OS, for tests that check all three answers.
    pub const ALL: [Os; 3] = [Os::Linux, Os::Windows, Os::MacOs];

    /// The OS this build runs on (the BSDs are served as Linux).
    pub const fn current() -> Os {
        if cfg!(windows) {
            Os::Windows
        } else if cfg!(target_os = "macos") {
            Os::MacOs
        } else {
            Os::Linux
        }
    }
}

/// A launch's command line, sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LaunchArgs {
    /// The program name and the options, for the option parser.
    pub options: Vec<OsString>,
    /// `econfiance:` links, as raw bytes for the strict parser (quotes around a whole
    /// argument removed; nothing else changed).
    pub links: Vec<Vec<u8>>,
}

/// Splits a launch's arguments (program name first) into options and links.
///
/// - macOS adds `-psn_0_…` (a process serial number) to apps started from the Finder on
///   older systems: dropped, so that it never makes the option parser refuse the launch.
/// - Windows passes the link as `argv[1]`, `"%1"` in the registry's command: normally the
///   C runtime removes the quotes, but a command registered without them or a launcher that
///   quotes twice leaves them in; a link is recognised with or without them.
/// - An argument that is a link is never taken for an option, whatever the OS.
pub fn launch_args(os: Os, args: impl IntoIterator<Item = OsString>) -> LaunchArgs {
    let mut sorted = LaunchArgs::default();
    for (index, arg) in args.into_iter().enumerate() {
        if index == 0 {
            sorted.options.push(arg);
            continue;
        }
        let bytes = os_bytes(&arg);
        if os == Os::MacOs && bytes.starts_with(b"-psn_") {
            continue;
        }
        let unquoted = strip_quotes(os, &bytes);
        let head = String::from_utf8_lossy(&unquoted[..unquoted.len().min(16)]).into_owned();
        if crate::links::is_link_candidate(&head) {
            sorted.links.push(unquoted.to_vec());
        } else {
            sorted.options.push(arg);
        }
    }
    sorted
}

/// An argument's bytes: exact on Unix; on Windows (UTF-16) through UTF-8, where an unpaired
/// surrogate becomes U+FFFD, which the link parser refuses.
fn os_bytes(arg: &std::ffi::OsStr) -> Vec<u8> {
    #[cfg(unix)]
    {
        std::os::unix::ffi::OsStrExt::as_bytes(arg).to_vec()
    }
    #[cfg(not(unix))]
    {
        arg.to_string_lossy().into_owned().into_bytes()
    }
}

/// On Windows, one pair of double quotes around the whole argument (and the spaces a
/// launcher may leave around it) is not part of it.
fn strip_quotes(os: Os, bytes: &[u8]) -> &[u8] {
    if os != Os::Windows {
        return bytes;
    }
    let trimmed = bytes.trim_ascii();
    match trimmed {
        [b'"', inner @ .., b'"'] => inner,
        _ => bytes,
    }
}

/// The size of a keyring entry in the unit its OS limits: Windows' Credential Manager
/// keeps the secret as UTF-16 (two bytes per code unit, four for a character outside the
/// basic plane); Secret Service and the Keychain keep the UTF-8 bytes.
pub fn keyring_entry_bytes(os: Os, text: &str) -> usize {
    match os {
        Os::Windows => text.encode_utf16().count() * 2,
        Os::Linux | Os::MacOs => text.len(),
    }
}

/// What the OS says opens `econfiance://` links, as the shell read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandlerFacts {
    /// Windows: the user's own choice in "Default apps" (the ProgId under
    /// `HKCU\Software\Microsoft\Windows\Shell\Associations\UrlAssociations\econfiance\UserChoice`,
    /// and that ProgId's command), which wins over the classes; then the `shell\open\command`
    /// of the scheme's key in the user's classes (`HKCU\Software\Classes\econfiance`: the
    /// NSIS install or a development build) and the machine's (`HKLM\…`: the MSI). The
    /// user's wins over the machine's.
    Windows {
        /// The ProgId the user chose, if any, and its command.
        user_choice: Option<(String, Option<String>)>,
        /// The command under HKCU, if the key exists.
        user: Option<String>,
        /// The command under HKLM, if the key exists.
        machine: Option<String>,
    },
    /// macOS: the application Launch Services opens the scheme with, if it answered, and the
    /// URL schemes the running bundle's `Info.plist` declares (empty outside a bundle).
    MacOs {
        /// The path of the application bundle Launch Services names, if any.
        launch_services: Option<PathBuf>,
        /// The schemes the running app's own bundle declares.
        bundle_schemes: Vec<String>,
    },
    /// Linux: the desktop entry `xdg-mime` names, against this build's own entry (the one a
    /// development build registers, named after the executable) and the installed
    /// package's.
    Linux {
        /// `xdg-mime query default x-scheme-handler/econfiance`.
        default_entry: Option<String>,
        /// The entry this executable registers for itself (`<exe>-handler.desktop`).
        own_entry: String,
        /// The entry the .deb and .rpm install (`e-confiance.desktop`).
        package_entry: String,
    },
    /// The OS could not be asked (on Linux: no `xdg-mime`); the reason is for logs.
    Unavailable(String),
}

/// Whether `econfiance://` opens this app, and if not, who it opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandlerVerdict {
    /// This executable opens the links.
    ThisApp,
    /// The installed copy (package or bundle) opens them: this app, as installed.
    InstalledCopy,
    /// The installed bundle declares the scheme, and Launch Services did not answer.
    DeclaredByBundle,
    /// Another program, or another copy of the app, opens them.
    Other(String),
    /// Nothing is registered.
    Nothing,
    /// The OS could not tell.
    Unknown,
}

/// Reads the OS's facts about the scheme's handler against the running executable.
pub fn scheme_handler(facts: &HandlerFacts, exe: &Path) -> HandlerVerdict {
    match facts {
        HandlerFacts::Windows {
            user_choice,
            user,
            machine,
        } => {
            // A choice of the econfiance class itself defers to the classes below.
            let chosen = user_choice
                .as_ref()
                .filter(|(prog_id, _)| !prog_id.eq_ignore_ascii_case(econfiance_api::link::SCHEME));
            let command = match chosen {
                Some((_, Some(command))) => command.as_str(),
                Some((prog_id, None)) => return HandlerVerdict::Other(prog_id.clone()),
                None => match user.as_deref().or(machine.as_deref()) {
                    Some(command) => command,
                    None => return HandlerVerdict::Nothing,
                },
            };
            match command_program(command) {
                Some(program) if same_windows_path(&program, exe) => HandlerVerdict::ThisApp,
                Some(program) => HandlerVerdict::Other(program),
                None => HandlerVerdict::Other(command.to_owned()),
            }
        }
        HandlerFacts::MacOs {
            launch_services,
            bundle_schemes,
        } => {
            let bundle = bundle_of(exe);
            match (launch_services, bundle) {
                (Some(app), Some(bundle)) if *app == bundle => HandlerVerdict::ThisApp,
                (Some(app), _) => HandlerVerdict::Other(app.display().to_string()),
                (None, Some(_))
                    if bundle_schemes
                        .iter()
                        .any(|s| s.eq_ignore_ascii_case(econfiance_api::link::SCHEME)) =>
                {
                    HandlerVerdict::DeclaredByBundle
                }
                (None, _) => HandlerVerdict::Nothing,
            }
        }
        HandlerFacts::Linux {
            default_entry,
            own_entry,
            package_entry,
        } => match default_entry.as_deref() {
            None | Some("") => HandlerVerdict::Nothing,
            Some(entry) if entry == own_entry => HandlerVerdict::ThisApp,
            Some(entry) if entry == package_entry => HandlerVerdict::InstalledCopy,
            Some(entry) => HandlerVerdict::Other(entry.to_owned()),
        },
        HandlerFacts::Unavailable(_) => HandlerVerdict::Unknown,
    }
}

/// Whether a development build registers the scheme for itself at start: only when nothing
/// handles it or it already does, so that running a development build never takes the
/// links away from an installed copy (or from anything else).
pub fn development_build_registers(verdict: &HandlerVerdict) -> bool {
    matches!(verdict, HandlerVerdict::Nothing | HandlerVerdict::ThisApp)
}

/// The program of a Windows registry command: `"C:\…\e-confiance.exe" "%1"` or
/// `C:\…\e-confiance.exe %1`.
fn command_program(command: &str) -> Option<String> {
    let command = command.trim();
    if let Some(rest) = command.strip_prefix('"') {
        return rest.split('"').next().map(str::to_owned);
    }
    // Unquoted: the path runs up to ".exe" (it may contain spaces).
    let lower = command.to_ascii_lowercase();
    match lower.find(".exe") {
        Some(end) => Some(command[..end + 4].to_owned()),
        None => command.split_whitespace().next().map(str::to_owned),
    }
}

/// Windows paths compare without regard to case or to `/` against `\`.
fn same_windows_path(a: &str, b: &Path) -> bool {
    // `\\?\` (the verbatim prefix `current_exe` may carry) is not part of the path.
    let norm = |s: &str| {
        let s = s.replace('/', "\\").to_lowercase();
        s.strip_prefix(r"\\?\").map(str::to_owned).unwrap_or(s)
    };
    norm(a) == norm(&b.to_string_lossy())
}

/// The `.app` bundle an executable runs from (`…/X.app/Contents/MacOS/x`).
fn bundle_of(exe: &Path) -> Option<PathBuf> {
    let macos = exe.parent()?;
    let contents = macos.parent()?;
    let bundle = contents.parent()?;
    let is_bundle = macos.file_name()? == "MacOS"
        && contents.file_name()? == "Contents"
        && bundle.extension().is_some_and(|e| e == "app");
    is_bundle.then(|| bundle.to_path_buf())
}

/// One thing done to the app's window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowStep {
    /// Un-hide the whole application (macOS's Cmd-H hides the app, not the window).
    ShowApp,
    /// Show the window (hidden in the tray).
    Show,
    /// Restore it from the taskbar or the Dock.
    Unminimize,
    /// Give it the keyboard and bring it to the front.
    Focus,
}

/// What brings the window forward when a link arrives, a notification is clicked, or (on
/// macOS) the Dock icon is clicked while the window is hidden: shown, un-minimised, focused,
/// in that order (focusing a minimised window does not restore it on Windows).
pub fn bring_forward(os: Os) -> &'static [WindowStep] {
    match os {
        Os::MacOs => &[
            WindowStep::ShowApp,
            WindowStep::Show,
            WindowStep::Unminimize,
            WindowStep::Focus,
        ],
        Os::Linux | Os::Windows => &[WindowStep::Show, WindowStep::Unminimize, WindowStep::Focus],
    }
}

/// Under which identity notifications are sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationIdentity {
    /// The name shown (Linux's notification servers show the app name they are given).
    pub app_name: &'static str,
    /// Windows: the AppUserModelID, which must be the one the installers give the Start
    /// menu shortcut (Tauri's NSIS and MSI installers give it the app's identifier): a
    /// toast under an id no shortcut carries is dropped silently. So a copy that is not
    /// installed (a build run from its `target` folder) keeps the system's default id.
    pub windows_app_id: Option<String>,
    /// macOS: the bundle identifier notifications are sent as.
    pub macos_bundle_id: Option<String>,
}

/// The notification identity of the app `identifier` running from `exe` on `os`.
pub fn notification_identity(os: Os, identifier: &str, exe: &Path) -> NotificationIdentity {
    NotificationIdentity {
        app_name: "e-confiance",
        windows_app_id: (os == Os::Windows && !is_build_output(exe)).then(|| identifier.to_owned()),
        macos_bundle_id: (os == Os::MacOs).then(|| identifier.to_owned()),
    }
}

/// Whether `exe` runs from a Cargo build folder (`…/target/debug/…`, `…/target/release/…`,
/// or a target triple's folder), rather than from where an installer put it.
pub fn is_build_output(exe: &Path) -> bool {
    let parts: Vec<String> = exe
        .to_string_lossy()
        .split(['/', '\\'])
        .map(str::to_ascii_lowercase)
        .collect();
    // `target/debug`, `target/<triple>/release`, or a target folder of another name
    // (`CARGO_TARGET_DIR=…/econfiance-target`).
    parts.iter().enumerate().any(|(i, part)| {
        matches!(part.as_str(), "debug" | "release")
            && parts[..i]
                .iter()
                .rev()
                .take(2)
                .any(|folder| folder == "target" || folder.ends_with("-target"))
    })
}

/// How to clear the cache when the window cannot open, for the app at `exe`: a Windows
/// release has no console, and macOS users do not start apps from a terminal, so each OS
/// gets the way that works there.
pub fn clear_cache_advice(os: Os, exe: &Path, lang: Language) -> String {
    let exe = exe.display();
    match (os, lang) {
        (Os::Linux, Language::Fr) => {
            "Fermez l'application, puis lancez « e-confiance --clear-cache » dans un terminal."
                .to_owned()
        }
        (Os::Linux, Language::En) => {
            "Close the app, then run \"e-confiance --clear-cache\" in a terminal.".to_owned()
        }
        (Os::Windows, Language::Fr) => format!(
            "Fermez l'application, appuyez sur Windows + R, collez \"{exe}\" --clear-cache puis validez : une fenêtre dira ce qui a été vidé."
        ),
        (Os::Windows, Language::En) => format!(
            "Close the app, press Windows + R, paste \"{exe}\" --clear-cache and press Enter: a window will tell what was cleared."
        ),
        (Os::MacOs, Language::Fr) => format!(
            "Quittez l'application (Cmd + Q), ouvrez le Terminal (Applications > Utilitaires), collez '{exe}' --clear-cache puis appuyez sur Entrée."
        ),
        (Os::MacOs, Language::En) => format!(
            "Quit the app (Cmd + Q), open Terminal (Applications > Utilities), paste '{exe}' --clear-cache and press Return."
        ),
    }
}

/// Whether `--clear-cache` tells its result in a window rather than on the terminal: a
/// Windows release build has no console to print to.
pub fn clear_cache_reports_in_a_window(os: Os, release_build: bool) -> bool {
    os == Os::Windows && release_build
}

/// What the machine says about its graphics, for [`gpu_compositing_off`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GraphicsFacts {
    /// A GPU device the display can render with (Linux: a DRM render node,
    /// `/dev/dri/renderD*`).
    pub render_node: bool,
    /// Software GL asked for (`LIBGL_ALWAYS_SOFTWARE=1`, or Mesa's `GALLIUM_DRIVER=llvmpipe`
    /// or `softpipe`).
    pub software_gl_forced: bool,
}

impl GraphicsFacts {
    /// This machine's facts (the render node is looked for on Linux only).
    pub fn detect() -> Self {
        let env = |key: &str| std::env::var(key).unwrap_or_default();
        let render_node = cfg!(target_os = "linux")
            && std::fs::read_dir("/dev/dri").is_ok_and(|dir| {
                dir.flatten()
                    .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
            });
        Self {
            render_node,
            software_gl_forced: env("LIBGL_ALWAYS_SOFTWARE") == "1"
                || matches!(env("GALLIUM_DRIVER").as_str(), "llvmpipe" | "softpipe"),
        }
    }
}

/// Whether the webview's GPU compositing is turned off. Only WebKitGTK (Linux) has the
/// setting, and only where GL is software (no render node, or software GL forced): there
/// WebKit's GPU path runs on Mesa's software rasterizer and costs more than painting
/// without it (BENCHMARKS.md, "Engines"). With a GPU, WebKit's default stays (smooth
/// scrolling, less CPU). WebView2 and WKWebView choose for themselves.
pub fn gpu_compositing_off(os: Os, facts: GraphicsFacts) -> bool {
    os == Os::Linux && (!facts.render_node || facts.software_gl_forced)
}

/// How a second launch (the OS opening a link while the app runs) reaches the running app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Handoff {
    /// The launched process calls the running app over the session bus before any window
    /// work (no GTK, no webview), and exits once the running app has the link.
    SessionBus {
        /// The bus name the running app owns.
        name: String,
        /// The object that takes the arguments.
        path: String,
        /// Its interface and method: `ExecuteCallback(argv: as, cwd: s)`.
        interface: &'static str,
    },
    /// The OS hands the link to the running app itself (macOS: no second process), or
    /// the single-instance plugin does it once the app is built (Windows: a named mutex
    /// and a window message, which need the window classes registered).
    AfterBuild,
}

/// How a second launch of app `identifier` on `os` hands its link over: on Linux, the
/// single-instance plugin's own bus name and object (`{identifier}.SingleInstance`, the
/// path its dots and dashes made `/` and `_`), called before Tauri builds anything — the
/// same call the plugin makes once GTK and the plugins are up, so the running app sees no
/// difference; if nobody owns the name (the app is closed), the launch goes on and starts
/// the app.
pub fn handoff(os: Os, identifier: &str) -> Handoff {
    match os {
        Os::Linux => {
            let name = format!("{identifier}.SingleInstance");
            let path = format!("/{}", name.replace('.', "/").replace('-', "_"));
            Handoff::SessionBus {
                name,
                path,
                interface: "org.SingleInstance.DBus",
            }
        }
        Os::MacOs | Os::Windows => Handoff::AfterBuild,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINK: &str = "econfiance://auth/callback?request=rq_0123456789abcdef&code=K7M4-QX2P";

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn a_link_is_found_on_every_os_and_never_taken_for_an_option() {
        for os in Os::ALL {
            let sorted = launch_args(os, args(&["e-confiance", LINK]));
            assert_eq!(sorted.links, vec![LINK.as_bytes().to_vec()], "{os:?}");
            assert_eq!(sorted.options, args(&["e-confiance"]), "{os:?}");
        }
    }

    #[test]
    fn macos_process_serial_numbers_are_dropped_only_on_macos() {
        let first_launch = args(&["e-confiance", "-psn_0_1234567"]);
        let mac = launch_args(Os::MacOs, first_launch.clone());
        assert_eq!(mac.options, args(&["e-confiance"]));
        assert!(mac.links.is_empty());
        // Elsewhere it is an unknown option, for the parser to refuse with its message.
        let linux = launch_args(Os::Linux, first_launch);
        assert_eq!(linux.options, args(&["e-confiance", "-psn_0_1234567"]));
    }

    #[test]
    fn windows_links_arrive_quoted_or_not() {
        let quoted = format!("\"{LINK}\"");
        for raw in [LINK.to_owned(), quoted.clone(), format!(" {quoted} ")] {
            let sorted = launch_args(Os::Windows, args(&["C:\\e-confiance.exe", &raw]));
            assert_eq!(sorted.links, vec![LINK.as_bytes().to_vec()], "{raw:?}");
        }
        // On Linux and macOS quotes are part of the argument: the parser sees them (and
        // refuses the link with its message) rather than a silently different link.
        let linux = launch_args(Os::Linux, args(&["e-confiance", &quoted]));
        assert!(linux.links.is_empty());
        assert_eq!(linux.options.len(), 2);
    }

    #[test]
    fn options_and_links_mix() {
        let sorted = launch_args(Os::Linux, args(&["e-confiance", "--safe-mode", LINK]));
        assert_eq!(sorted.options, args(&["e-confiance", "--safe-mode"]));
        assert_eq!(sorted.links.len(), 1);
    }

    #[test]
    fn keyring_entries_are_measured_in_the_oss_unit() {
        assert_eq!(keyring_entry_bytes(Os::Linux, "abc"), 3);
        assert_eq!(keyring_entry_bytes(Os::MacOs, "abc"), 3);
        assert_eq!(keyring_entry_bytes(Os::Windows, "abc"), 6);
        // "é" is 2 UTF-8 bytes and one UTF-16 unit; "😀" is 4 and two units.
        assert_eq!(keyring_entry_bytes(Os::Linux, "é😀"), 6);
        assert_eq!(keyring_entry_bytes(Os::Windows, "é😀"), 6);
        // An ASCII entry of 1,500 bytes fits Linux's limit but not Windows'.
        let entry = "x".repeat(1500);
        assert!(keyring_entry_bytes(Os::Linux, &entry) <= crate::vault::MAX_ENTRY_BYTES);
        assert!(keyring_entry_bytes(Os::Windows, &entry) > crate::vault::MAX_ENTRY_BYTES);
    }

    #[test]
    fn windows_handler_is_read_from_the_user_then_the_machine() {
        let exe = Path::new(r"C:\Program Files\e-confiance\e-confiance.exe");
        let msi = Some(r#""C:\Program Files\e-confiance\e-confiance.exe" "%1""#.to_owned());
        let nsis =
            Some(r#""C:\Users\marie\AppData\Local\e-confiance\e-confiance.exe" "%1""#.to_owned());
        let windows =
            |user_choice, user: &Option<String>, machine: &Option<String>| HandlerFacts::Windows {
                user_choice,
                user: user.clone(),
                machine: machine.clone(),
            };
        // The MSI registers per machine only: HKLM alone is enough.
        let facts = windows(None, &None, &msi);
        assert_eq!(scheme_handler(&facts, exe), HandlerVerdict::ThisApp);
        // A per-user registration wins over the machine's.
        let facts = windows(None, &nsis, &msi);
        assert!(matches!(
            scheme_handler(&facts, exe),
            HandlerVerdict::Other(p) if p.ends_with(r"Local\e-confiance\e-confiance.exe")
        ));
        // The user's choice in "Default apps" wins over both…
        let browser = Some((
            "MSEdgeHTM".to_owned(),
            Some(r#""C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe" --single-argument %1"#.to_owned()),
        ));
        assert!(matches!(
            scheme_handler(&windows(browser, &None, &msi), exe),
            HandlerVerdict::Other(p) if p.ends_with("msedge.exe")
        ));
        let unreadable = Some(("SomeApp.Url".to_owned(), None));
        assert_eq!(
            scheme_handler(&windows(unreadable, &None, &msi), exe),
            HandlerVerdict::Other("SomeApp.Url".into())
        );
        // …unless the choice is the econfiance class itself.
        let own_class = Some(("econfiance".to_owned(), None));
        assert_eq!(
            scheme_handler(&windows(own_class, &None, &msi), exe),
            HandlerVerdict::ThisApp
        );
        // Case and separators do not matter; unquoted commands are read too.
        let unquoted = Some(r"c:/program files/E-CONFIANCE/e-confiance.exe %1".to_owned());
        let facts = windows(None, &unquoted, &None);
        assert_eq!(scheme_handler(&facts, exe), HandlerVerdict::ThisApp);
        let verbatim = Path::new(r"\\?\C:\Program Files\e-confiance\e-confiance.exe");
        assert_eq!(scheme_handler(&facts, verbatim), HandlerVerdict::ThisApp);
        assert_eq!(
            scheme_handler(&windows(None, &None, &None), exe),
            HandlerVerdict::Nothing
        );
    }

    #[test]
    fn a_development_build_never_takes_the_links_from_an_installed_copy() {
        let dev = Path::new(r"C:\src\econfiance\target\debug\e-confiance.exe");
        let installed = HandlerFacts::Windows {
            user_choice: None,
            user: None,
            machine: Some(r#""C:\Program Files\e-confiance\e-confiance.exe" "%1""#.to_owned()),
        };
        assert!(!development_build_registers(&scheme_handler(
            &installed, dev
        )));
        let nothing = HandlerFacts::Windows {
            user_choice: None,
            user: None,
            machine: None,
        };
        assert!(development_build_registers(&scheme_handler(&nothing, dev)));
        // Linux, as the shell reads it: the installed package's entry is the default.
        let linux = |default: &str| HandlerFacts::Linux {
            default_entry: Some(default.to_owned()),
            own_entry: "e-confiance-handler.desktop".into(),
            package_entry: "e-confiance.desktop".into(),
        };
        let exe = Path::new("/usr/bin/e-confiance");
        assert_eq!(
            scheme_handler(&linux("e-confiance.desktop"), exe),
            HandlerVerdict::InstalledCopy
        );
        assert!(!development_build_registers(&scheme_handler(
            &linux("e-confiance.desktop"),
            exe
        )));
        assert!(development_build_registers(&scheme_handler(
            &linux("e-confiance-handler.desktop"),
            exe
        )));
        assert!(!development_build_registers(&HandlerVerdict::Unknown));
    }

    #[test]
    fn macos_reports_launch_services_or_the_bundles_own_declaration() {
        let exe = Path::new("/Applications/e-confiance.app/Contents/MacOS/e-confiance");
        let answered = HandlerFacts::MacOs {
            launch_services: Some(PathBuf::from("/Applications/e-confiance.app")),
            bundle_schemes: vec!["econfiance".into()],
        };
        assert_eq!(scheme_handler(&answered, exe), HandlerVerdict::ThisApp);
        // A correctly installed app is never "unknown": its bundle declares the scheme.
        let silent = HandlerFacts::MacOs {
            launch_services: None,
            bundle_schemes: vec!["econfiance".into()],
        };
        assert_eq!(
            scheme_handler(&silent, exe),
            HandlerVerdict::DeclaredByBundle
        );
        let other_copy = HandlerFacts::MacOs {
            launch_services: Some(PathBuf::from("/Users/marie/Downloads/e-confiance.app")),
            bundle_schemes: vec!["econfiance".into()],
        };
        assert!(matches!(
            scheme_handler(&other_copy, exe),
            HandlerVerdict::Other(p) if p.contains("Downloads")
        ));
        // A binary outside a bundle declares nothing.
        let loose = HandlerFacts::MacOs {
            launch_services: None,
            bundle_schemes: vec![],
        };
        assert_eq!(
            scheme_handler(&loose, Path::new("/src/target/debug/e-confiance")),
            HandlerVerdict::Nothing
        );
    }

    #[test]
    fn linux_compares_the_default_desktop_entry() {
        let exe = Path::new("/usr/bin/e-confiance");
        let facts = |default: Option<&str>| HandlerFacts::Linux {
            default_entry: default.map(str::to_owned),
            own_entry: "e-confiance-handler.desktop".into(),
            package_entry: "e-confiance.desktop".into(),
        };
        assert_eq!(
            scheme_handler(&facts(Some("e-confiance-handler.desktop")), exe),
            HandlerVerdict::ThisApp
        );
        assert_eq!(
            scheme_handler(&facts(Some("firefox.desktop")), exe),
            HandlerVerdict::Other("firefox.desktop".into())
        );
        assert_eq!(scheme_handler(&facts(None), exe), HandlerVerdict::Nothing);
        assert_eq!(
            scheme_handler(&HandlerFacts::Unavailable("no xdg-mime".into()), exe),
            HandlerVerdict::Unknown
        );
    }

    #[test]
    fn a_link_brings_the_window_forward_on_every_os() {
        for os in Os::ALL {
            let steps = bring_forward(os);
            let at = |s| steps.iter().position(|x| *x == s);
            let (show, restore, focus) = (
                at(WindowStep::Show).expect("shown"),
                at(WindowStep::Unminimize).expect("restored"),
                at(WindowStep::Focus).expect("focused"),
            );
            assert!(show < focus && restore < focus, "{os:?}: focus comes last");
        }
        assert!(bring_forward(Os::MacOs).contains(&WindowStep::ShowApp));
        assert!(!bring_forward(Os::Windows).contains(&WindowStep::ShowApp));
    }

    #[test]
    fn notifications_carry_the_apps_identity() {
        let id = "fr.econfiance.desktop";
        let installed = Path::new(r"C:\Program Files\e-confiance\e-confiance.exe");
        let windows = notification_identity(Os::Windows, id, installed);
        assert_eq!(windows.windows_app_id.as_deref(), Some(id));
        assert_eq!(windows.macos_bundle_id, None);
        // A build run from its target folder has no shortcut with that id: a toast under it
        // would be dropped, so it keeps the system's default.
        for build in [
            r"C:\src\econfiance\target\debug\e-confiance.exe",
            r"C:\src\econfiance\target\x86_64-pc-windows-msvc\release\e-confiance.exe",
            r"C:\Users\dev\.cache\econfiance-target\debug\e-confiance.exe",
        ] {
            let dev = notification_identity(Os::Windows, id, Path::new(build));
            assert_eq!(dev.windows_app_id, None, "{build}");
        }
        let mac = notification_identity(
            Os::MacOs,
            id,
            Path::new("/Applications/e-confiance.app/Contents/MacOS/e-confiance"),
        );
        assert_eq!(mac.macos_bundle_id.as_deref(), Some(id));
        assert_eq!(mac.windows_app_id, None);
        let linux = notification_identity(Os::Linux, id, Path::new("/usr/bin/e-confiance"));
        assert_eq!(linux.app_name, "e-confiance");
        assert_eq!((linux.windows_app_id, linux.macos_bundle_id), (None, None));
        // An installed app whose path merely mentions "release" is not a build.
        assert!(!is_build_output(Path::new(
            r"C:\Program Files\release\e-confiance.exe"
        )));
    }

    #[test]
    fn the_clear_cache_advice_is_one_each_os_can_follow() {
        let win = Path::new(r"C:\Users\marie\AppData\Local\e-confiance\e-confiance.exe");
        let fr = clear_cache_advice(Os::Windows, win, Language::Fr);
        assert!(fr.contains("Windows + R") && fr.contains(r"Local\e-confiance\e-confiance.exe"));
        assert!(!fr.contains("terminal"), "{fr}");
        let mac = Path::new("/Applications/e-confiance.app/Contents/MacOS/e-confiance");
        let en = clear_cache_advice(Os::MacOs, mac, Language::En);
        assert!(en.contains("Terminal") && en.contains("/Applications/e-confiance.app"));
        let linux = clear_cache_advice(Os::Linux, Path::new("/usr/bin/e-confiance"), Language::Fr);
        assert!(linux.contains("e-confiance --clear-cache"));
        assert!(clear_cache_reports_in_a_window(Os::Windows, true));
        assert!(!clear_cache_reports_in_a_window(Os::Windows, false));
        assert!(!clear_cache_reports_in_a_window(Os::MacOs, true));
        assert!(!clear_cache_reports_in_a_window(Os::Linux, true));
    }

    #[test]
    fn gpu_compositing_is_turned_off_only_on_linux_with_software_gl() {
        let gpu = GraphicsFacts {
            render_node: true,
            software_gl_forced: false,
        };
        let no_gpu = GraphicsFacts {
            render_node: false,
            software_gl_forced: false,
        };
        let forced = GraphicsFacts {
            render_node: true,
            software_gl_forced: true,
        };
        assert!(!gpu_compositing_off(Os::Linux, gpu));
        assert!(gpu_compositing_off(Os::Linux, no_gpu));
        assert!(gpu_compositing_off(Os::Linux, forced));
        for os in [Os::Windows, Os::MacOs] {
            for facts in [gpu, no_gpu, forced] {
                assert!(!gpu_compositing_off(os, facts), "{os:?} {facts:?}");
            }
        }
    }

    #[test]
    fn a_second_launch_calls_the_running_app_over_the_bus_on_linux_only() {
        assert_eq!(
            handoff(Os::Linux, "fr.econfiance.desktop"),
            Handoff::SessionBus {
                name: "fr.econfiance.desktop.SingleInstance".into(),
                path: "/fr/econfiance/desktop/SingleInstance".into(),
                interface: "org.SingleInstance.DBus",
            }
        );
        // A dash is not allowed in an object path: the plugin makes it `_`, and so do we.
        assert!(matches!(
            handoff(Os::Linux, "fr.e-confiance.app"),
            Handoff::SessionBus { path, .. } if path == "/fr/e_confiance/app/SingleInstance"
        ));
        assert_eq!(
            handoff(Os::MacOs, "fr.econfiance.desktop"),
            Handoff::AfterBuild
        );
        assert_eq!(
            handoff(Os::Windows, "fr.econfiance.desktop"),
            Handoff::AfterBuild
        );
    }
}
