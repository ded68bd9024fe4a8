//! The end-to-end test harness: one isolated world per test.
//!
//! [`TestEnv::start`] gives a test its own X display (Xvfb), its own D-Bus session bus, a
//! real Secret Service keyring (gnome-keyring, unlocked) on that bus, private XDG folders,
//! the sandbox server on a free port with its own data folder, and tauri-driver on free
//! ports. [`TestEnv::launch`] starts the real app through WebDriver in that world. Nothing
//! is shared with other tests or with the user's own session: tests can run one after the
//! other without clashing on the single-instance bus name, the keyring, the scheme handler
//! or ports. Dropping the environment stops every process it started.
//!
//! Screenshots and process logs go to `test-artifacts/e2e/<test name>/` at the repository
//! root (or `$ECONFIANCE_E2E_ARTIFACTS/<test name>/`).

// The desktop stack these tests drive (Xvfb, D-Bus, gnome-keyring, WebKitWebDriver) is Linux's.
#![cfg(target_os = "linux")]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

/// How long a test waits for something to appear before failing.
pub const WAIT: Duration = Duration::from_secs(20);

/// Result type of the harness: any error, with context in its message.
pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// One test's isolated world.
pub struct TestEnv {
    /// The test's name (folder of its artifacts).
    pub name: String,
    root: tempfile::TempDir,
    children: Vec<(String, Child)>,
    /// `:N` of this test's Xvfb.
    pub display: String,
    /// Address of this test's session bus.
    pub bus_address: String,
    /// Base URL of this test's sandbox server.
    pub server_url: String,
    /// The sandbox server's certificate, trusted by the app through `ECONFIANCE_CA_FILE`.
    pub ca_file: PathBuf,
    /// The server's data folder (e.g. to write `status.json`).
    pub server_data: PathBuf,
    /// Where this test's screenshots and logs go.
    pub artifacts: PathBuf,
    driver_port: u16,
    extra_env: Vec<(String, String)>,
    /// Whether the app was started in this world (its folders then get the secret scan).
    launched: std::sync::atomic::AtomicBool,
}

/// How [`TestEnv::publish_update`] signs a package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signing {
    /// Signed with the sandbox key, as released.
    Genuine,
    /// Signed, then altered.
    Tampered,
    /// Genuine, but signed for this other version: a feed pairing the version it announces
    /// with another release's package.
    SignedAs(&'static str),
    /// Genuine, but signed without a version (as before the Tauri CLI recorded one).
    SignedWithoutVersion,
}

impl TestEnv {
    /// Starts the isolated world for the test `name` (French locale).
    pub fn start(name: &str) -> Result<Self> {
        Self::start_with(name, &[("LANG", "fr_FR.UTF-8"), ("LC_ALL", "fr_FR.UTF-8")])
    }

    /// Starts the isolated world with extra environment for the app (e.g. `LANG`).
    pub fn start_with(name: &str, extra_env: &[(&str, &str)]) -> Result<Self> {
        let root = tempfile::Builder::new()
            .prefix("econfiance-e2e-")
            .tempdir()?;
        let artifacts = artifacts_root().join(name);
        let _ = std::fs::remove_dir_all(&artifacts);
        std::fs::create_dir_all(&artifacts)?;
        for dir in ["data", "cache", "config", "run", "home"] {
            std::fs::create_dir_all(root.path().join(dir))?;
        }
        set_mode_700(&root.path().join("run"))?;

        let mut env = TestEnv {
            name: name.to_owned(),
            root,
            children: Vec::new(),
            display: String::new(),
            bus_address: String::new(),
            server_url: String::new(),
            ca_file: PathBuf::new(),
            server_data: PathBuf::new(),
            artifacts,
            driver_port: 0,
            launched: std::sync::atomic::AtomicBool::new(false),
            extra_env: extra_env
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        };
        env.start_display()?;
        env.start_bus()?;
        env.start_keyring()?;
        env.start_server()?;
        env.start_driver()?;
        Ok(env)
    }

    /// The environment every process of this world runs with.
    pub fn vars(&self) -> Vec<(String, String)> {
        let p = |d: &str| self.root.path().join(d).display().to_string();
        let mut vars = vec![
            ("DISPLAY".to_owned(), self.display.clone()),
            (
                "DBUS_SESSION_BUS_ADDRESS".to_owned(),
                self.bus_address.clone(),
            ),
            ("XDG_DATA_HOME".to_owned(), p("data")),
            ("XDG_CACHE_HOME".to_owned(), p("cache")),
            ("XDG_CONFIG_HOME".to_owned(), p("config")),
            ("XDG_RUNTIME_DIR".to_owned(), p("run")),
            ("HOME".to_owned(), p("home")),
            ("ECONFIANCE_SERVER_URL".to_owned(), self.server_url.clone()),
            (
                "ECONFIANCE_CA_FILE".to_owned(),
                self.ca_file.display().to_string(),
            ),
            (
                "ECONFIANCE_LOG".to_owned(),
                "info,econfiance=debug".to_owned(),
            ),
            ("NO_AT_BRIDGE".to_owned(), "1".to_owned()),
            // Xvfb offers only Mesa's software rasterizer, whose GL path crashed WebKit's
            // compositor thread once in a full run (general protection fault in
            // swrast_dri.so, seen in dmesg): the windows under test render without
            // accelerated compositing. (The safe-mode test sets it back to 0 to see the
            // app's own flag.)
            ("WEBKIT_DISABLE_COMPOSITING_MODE".to_owned(), "1".to_owned()),
        ];
        vars.extend(self.extra_env.iter().cloned());
        vars
    }

    /// A command that runs inside this world.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.envs(self.vars());
        cmd
    }

    /// The private `XDG_DATA_HOME` of this world.
    pub fn data_home(&self) -> PathBuf {
        self.root.path().join("data")
    }

    /// The private `XDG_CACHE_HOME` of this world.
    pub fn cache_home(&self) -> PathBuf {
        self.root.path().join("cache")
    }

    /// The private `XDG_CONFIG_HOME` of this world.
    pub fn config_home(&self) -> PathBuf {
        self.root.path().join("config")
    }

    /// Starts the real app through WebDriver and waits for its window to answer.
    pub async fn launch(&self, args: &[&str]) -> Result<Client> {
        self.launch_binary(&app_binary()?, args).await
    }

    /// Starts `binary` (another build of the app, e.g. a benchmark's) with `args` under the
    /// WebDriver, as [`TestEnv::launch`] does the app under test.
    pub async fn launch_binary(&self, binary: &Path, args: &[&str]) -> Result<Client> {
        self.launched
            .store(true, std::sync::atomic::Ordering::SeqCst);
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".to_owned(),
            serde_json::json!({
                "application": binary.display().to_string(),
                "args": args,
            }),
        );
        let url = format!("http://127.0.0.1:{}", self.driver_port);
        let connect = || async {
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&url)
                .await
        };
        match connect().await {
            Ok(client) => Ok(client),
            // The driver dropped the new-session request (seen once in many runs: the
            // connection closed with no answer): said, then tried once more from a world
            // with no app left running. A second failure fails the test.
            Err(
                e @ (fantoccini::error::NewSessionError::FailedC(_)
                | fantoccini::error::NewSessionError::Failed(_)
                | fantoccini::error::NewSessionError::Lost(_)),
            ) => {
                eprintln!("e2e: the driver dropped the new session ({e}); trying once more");
                self.kill_apps()?;
                Ok(connect().await?)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Opens `url` as the desktop would (`gio open`), within this world.
    pub fn gio_open(&self, url: &str) -> Result<ExitStatus> {
        // gio hands its stdout/stderr to the app it may start: keep them off our pipes.
        let status = self
            .command("gio")
            .args(["open", url])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()?;
        Ok(status)
    }

    /// How many app processes run on this world's display.
    pub fn app_process_count(&self) -> Result<usize> {
        Ok(self.app_pids()?.len())
    }

    /// Memory of the app, in KiB: the proportional set size (PSS) summed over the app's
    /// processes and all their descendants (WebKit's web and network processes).
    pub fn app_memory_pss_kib(&self) -> Result<u64> {
        let roots = self.app_pids()?;
        if roots.is_empty() {
            return Err("no app process to measure".into());
        }
        pss_of_tree_kib(&roots)
    }

    /// The app processes running on this world's display.
    pub fn app_pids(&self) -> Result<Vec<u32>> {
        // Any build of the app (a benchmark compares two), by its file name.
        let binary = std::fs::canonicalize(app_binary()?)?;
        let mut pids = Vec::new();
        for (pid, path) in processes()? {
            let Ok(exe) = std::fs::read_link(path.join("exe")) else {
                continue;
            };
            if exe.file_name() != binary.file_name() {
                continue;
            }
            let environ = std::fs::read(path.join("environ")).unwrap_or_default();
            let wanted = format!("DISPLAY={}", self.display);
            if environ
                .split(|b| *b == 0)
                .any(|var| var == wanted.as_bytes())
            {
                pids.push(pid);
            }
        }
        Ok(pids)
    }

    /// How many visible (mapped) windows titled "e-confiance" this world's display shows.
    /// GTK also creates an unmapped "client leader" window per process, hence `--onlyvisible`.
    pub fn app_window_count(&self) -> Result<usize> {
        let out = self
            .command("xdotool")
            .args(["search", "--onlyvisible", "--name", "^e-confiance$"])
            .output()?;
        let text = String::from_utf8_lossy(&out.stdout);
        std::fs::write(self.artifacts.join("windows.txt"), text.as_bytes())?;
        Ok(text.lines().filter(|l| !l.trim().is_empty()).count())
    }

    /// Answers the OS's save dialog titled `title` (GTK's file chooser, which the app runs
    /// from Rust) as a user does: types `path` into its name field and presses Enter.
    pub async fn answer_save_dialog(&self, title: &str, path: &Path) -> Result<()> {
        let deadline = Instant::now() + WAIT;
        let window = loop {
            let out = self
                .command("xdotool")
                .args(["search", "--onlyvisible", "--name", title])
                .output()?;
            let found = String::from_utf8_lossy(&out.stdout)
                .lines()
                .next()
                .map(str::to_owned);
            if let Some(window) = found {
                break window;
            }
            if Instant::now() >= deadline {
                return Err(format!("no save dialog titled {title:?} appeared").into());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        // Let the dialog finish drawing and give its name field the focus.
        tokio::time::sleep(Duration::from_millis(800)).await;
        let text = path.to_str().ok_or("a UTF-8 path")?;
        for args in [
            vec!["windowfocus", window.as_str()],
            vec!["key", "--clearmodifiers", "ctrl+a"],
            vec!["type", "--delay", "15", text],
            vec!["key", "Return"],
        ] {
            let status = self.command("xdotool").args(&args).status()?;
            if !status.success() {
                return Err(format!("xdotool {args:?} failed: {status}").into());
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        Ok(())
    }

    /// Answers the OS's open dialog titled `title` as a user would: its location field
    /// (Ctrl+L), the path, Enter.
    pub async fn answer_open_dialog(&self, title: &str, path: &Path) -> Result<()> {
        let deadline = Instant::now() + WAIT;
        let window = loop {
            let out = self
                .command("xdotool")
                .args(["search", "--onlyvisible", "--name", title])
                .output()?;
            if let Some(window) = String::from_utf8_lossy(&out.stdout).lines().next() {
                break window.to_owned();
            }
            if Instant::now() >= deadline {
                return Err(format!("no open dialog titled {title:?} appeared").into());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        tokio::time::sleep(Duration::from_millis(800)).await;
        let text = path.to_str().ok_or("a UTF-8 path")?;
        for args in [
            vec!["windowfocus", window.as_str()],
            vec!["key", "--clearmodifiers", "ctrl+l"],
            vec!["type", "--delay", "15", text],
            vec!["key", "Return"],
        ] {
            let status = self.command("xdotool").args(&args).status()?;
            if !status.success() {
                return Err(format!("xdotool {args:?} failed: {status}").into());
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        Ok(())
    }

    /// Saves a screenshot of the whole display under `name.png` in the artifacts folder.
    pub fn screenshot(&self, name: &str) -> Result<PathBuf> {
        std::thread::sleep(Duration::from_millis(1500));
        let path = self.artifacts.join(format!("{name}.png"));
        let status = self
            .command("import")
            .args(["-window", "root"])
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()?;
        if !status.success() {
            return Err(format!("screenshot {name} failed: {status}").into());
        }
        Ok(path)
    }

    /// Waits until `css` matches an element whose text contains `text`; returns that text.
    pub async fn wait_for_text(&self, client: &Client, css: &str, text: &str) -> Result<String> {
        let deadline = Instant::now() + WAIT;
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Ok(elements) = client.find_all(Locator::Css(css)).await {
                for element in elements {
                    if let Ok(found) = element.text().await {
                        if found.contains(text) {
                            return Ok(found);
                        }
                        last = found;
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!("`{css}` never showed `{text}` (last text: `{last}`)").into())
    }

    /// Runs an admin command of the sandbox server on this world's data folder, e.g.
    /// `["status", "degraded", "--fr", "…"]`.
    pub fn server_admin(&self, args: &[&str]) -> Result<()> {
        let status = Command::new(sibling_binary("econfiance-server")?)
            .arg("--data-dir")
            .arg(&self.server_data)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()?;
        if !status.success() {
            return Err(format!("econfiance-server {args:?} failed: {status}").into());
        }
        Ok(())
    }

    /// Fails when any of `secrets`, or any secret the server witnessed in this world so far
    /// (every login code, reset token, access and refresh token it issued, every PKCE
    /// verifier and password it received: [`TestEnv::witnessed_secrets`]), is found in a
    /// file of this world's data, cache, config or home folders — where the app keeps its
    /// data, cache, settings and logs, WebKit's storage included — in UTF-8 or UTF-16.
    /// Checks first that the scan does see the log. Every scenario that started the app
    /// runs it once more at its end (when the world is dropped).
    pub fn assert_no_secret_in_files(&self, secrets: &[&str]) -> Result<()> {
        std::thread::sleep(Duration::from_millis(300));
        if self.files_containing(&["e-confiance starting"])?.is_empty() {
            return Err("the scan does not see the app's log file".into());
        }
        let leaks = self.files_holding_secrets(secrets)?;
        if leaks.is_empty() {
            Ok(())
        } else {
            Err(format!("a token or code was written to {leaks:?}").into())
        }
    }

    /// The files of the app's folders holding any of `secrets` or of the secrets the server
    /// witnessed (codes also without their dash, as people type them).
    fn files_holding_secrets(&self, secrets: &[&str]) -> Result<Vec<PathBuf>> {
        let witnessed = self.witnessed_secrets()?;
        let mut needles: Vec<String> = Vec::new();
        let all = secrets
            .iter()
            .copied()
            .chain(witnessed.iter().map(String::as_str));
        for secret in all.filter(|s| s.len() >= 8) {
            needles.push(secret.to_owned());
            if secret.contains('-') && secret.len() <= 12 {
                needles.push(secret.replace('-', ""));
            }
        }
        let refs: Vec<&str> = needles.iter().map(String::as_str).collect();
        self.files_containing(&refs)
    }

    /// Runs an admin command of the sandbox server and returns what it printed on stdout
    /// (e.g. `["demo", "list"]`).
    pub fn server_admin_output(&self, args: &[&str]) -> Result<String> {
        let out = Command::new(sibling_binary("econfiance-server")?)
            .arg("--data-dir")
            .arg(&self.server_data)
            .args(args)
            .stderr(Stdio::null())
            .output()?;
        if !out.status.success() {
            return Err(format!("econfiance-server {args:?} failed: {}", out.status).into());
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Ends the app processes of this world that WebDriver does not own (started by the
    /// OS through `gio open`).
    pub fn kill_apps(&self) -> Result<()> {
        for pid in self.app_pids()? {
            let _ = Command::new("kill").arg(pid.to_string()).status();
        }
        wait_until("the app processes to end", || {
            self.app_pids().map(|p| p.is_empty()).unwrap_or(false)
        })
    }

    /// A login on the server with a password, as another device would do it: returns the
    /// token answer (`access_token`, `refresh_token`, `session_id`, …).
    pub async fn password_session(&self, email: &str, password: &str) -> Result<serde_json::Value> {
        let answer: serde_json::Value = self
            .https()?
            .post(format!("{}/v1/auth/token", self.server_url))
            .json(&serde_json::json!({
                "grant_type": "password",
                "email": email,
                "password": password,
                "device": {"name": "Autre ordinateur", "os": "Windows", "app_version": "0.1.0"},
            }))
            .send()
            .await?
            .json()
            .await?;
        if answer.get("access_token").is_none() {
            return Err(format!("password login refused: {answer}").into());
        }
        Ok(answer)
    }

    /// `GET path` on the server with a bearer token: status and JSON body.
    pub async fn api_get(&self, path: &str, access: &str) -> Result<(u16, serde_json::Value)> {
        let response = self
            .https()?
            .get(format!("{}{path}", self.server_url))
            .bearer_auth(access)
            .send()
            .await?;
        let status = response.status().as_u16();
        Ok((status, response.json().await.unwrap_or_default()))
    }

    /// An HTTPS client that trusts this world's sandbox server.
    pub fn https(&self) -> Result<reqwest::Client> {
        let pem = std::fs::read(&self.ca_file)?;
        Ok(reqwest::Client::builder()
            .use_rustls_tls()
            .tls_built_in_root_certs(false)
            .add_root_certificate(reqwest::Certificate::from_pem(&pem)?)
            .build()?)
    }

    /// Waits for a mail to `to` in the sandbox outbox whose text contains `needle`, and
    /// returns the https link it carries (landing page) and its text.
    pub async fn wait_for_mail(&self, to: &str, needle: &str) -> Result<String> {
        let http = self.https()?;
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            let page = http
                .get(format!("{}/dev/mailbox", self.server_url))
                .send()
                .await?
                .text()
                .await?;
            // Newest first: the first article to `to` that matches.
            for article in page.split("<article").skip(1) {
                if article.contains(&format!("À : {to}")) && article.contains(needle) {
                    return Ok(unescape(article));
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!("no mail to {to} containing `{needle}`").into())
    }

    /// The `econfiance://` URL that the landing page at `url` opens.
    pub async fn deep_link_of_landing_page(&self, url: &str) -> Result<String> {
        let page = self.https()?.get(url).send().await?.text().await?;
        let start = page
            .find("href=\"econfiance://")
            .ok_or("no deep link on the landing page")?
            + 6;
        let end = start + page[start..].find('"').ok_or("unterminated href")?;
        Ok(unescape(&page[start..end]))
    }

    /// The session entry of the app in this world's keyring, read from outside the app
    /// with `secret-tool` (None when there is none).
    pub fn keyring_session_entry(&self) -> Result<Option<String>> {
        self.keyring_entry("session")
    }

    /// An entry of the app in this world's keyring, read with `secret-tool`.
    pub fn keyring_entry(&self, name: &str) -> Result<Option<String>> {
        let out = self
            .command("secret-tool")
            .args([
                "lookup",
                "service",
                "fr.econfiance.desktop",
                "username",
                name,
            ])
            .output()?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        Ok((out.status.success() && !text.is_empty()).then_some(text))
    }

    /// The files of this world (data, cache, config, home — WebKit's storage included)
    /// that hold any of `needles`, in UTF-8 or UTF-16 (WebKit keeps page storage as
    /// UTF-16).
    pub fn files_containing(&self, needles: &[&str]) -> Result<Vec<PathBuf>> {
        let mut found = Vec::new();
        let mut stack: Vec<PathBuf> = ["data", "cache", "config", "home"]
            .iter()
            .map(|d| self.root.path().join(d))
            .collect();
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                if kind.is_dir() {
                    stack.push(path);
                } else if kind.is_file() {
                    let bytes = std::fs::read(&path).unwrap_or_default();
                    if needles
                        .iter()
                        .any(|n| !n.is_empty() && holds_text(&bytes, n))
                    {
                        found.push(path);
                    }
                }
            }
        }
        Ok(found)
    }

    /// Locks this world's keyring collection, as a screen lock or a reboot would.
    pub fn lock_keyring(&self) -> Result<()> {
        let status = self
            .command("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.secrets",
                "/org/freedesktop/secrets",
                "org.freedesktop.Secret.Service.Lock",
                "array:objpath:/org/freedesktop/secrets/collection/login",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()?;
        if !status.success() {
            return Err(format!("could not lock the keyring: {status}").into());
        }
        Ok(())
    }

    /// Waits until exactly `count` elements match `css`.
    pub async fn wait_for_count(&self, client: &Client, css: &str, count: usize) -> Result<()> {
        let deadline = Instant::now() + WAIT;
        let mut last = usize::MAX;
        while Instant::now() < deadline {
            if let Ok(elements) = client.find_all(Locator::Css(css)).await {
                last = elements.len();
                if last == count {
                    return Ok(());
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!("`{css}` matched {last} elements, never {count}").into())
    }

    fn spawn(&mut self, label: &str, mut cmd: Command) -> Result<()> {
        let log = std::fs::File::create(self.artifacts.join(format!("{label}.log")))?;
        // Standard output too: an app started by the driver writes its page's console
        // there (the benchmarks' marks).
        cmd.stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        let child = cmd
            .spawn()
            .map_err(|e| format!("cannot start {label}: {e}"))?;
        self.children.push((label.to_owned(), child));
        Ok(())
    }

    fn start_display(&mut self) -> Result<()> {
        // -displayfd 1: Xvfb picks a free display and writes its number to stdout.
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(self.artifacts.join("xvfb.log"))?)
            .spawn()
            .map_err(|e| format!("cannot start Xvfb (apt-get install xvfb): {e}"))?;
        let line = read_first_line(&mut child)?;
        self.display = format!(":{}", line.trim());
        self.children.push(("xvfb".to_owned(), child));
        Ok(())
    }

    fn start_bus(&mut self) -> Result<()> {
        let mut child = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--nopidfile", "--print-address=1"])
            .env("XDG_RUNTIME_DIR", self.root.path().join("run"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(self.artifacts.join("dbus.log"))?)
            .spawn()
            .map_err(|e| format!("cannot start dbus-daemon (apt-get install dbus-daemon): {e}"))?;
        self.bus_address = read_first_line(&mut child)?.trim().to_owned();
        self.children.push(("dbus".to_owned(), child));
        Ok(())
    }

    fn start_keyring(&mut self) -> Result<()> {
        let mut cmd = self.command("gnome-keyring-daemon");
        cmd.args(["--foreground", "--unlock", "--components=secrets"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(self.artifacts.join("keyring.log"))?);
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("cannot start gnome-keyring-daemon: {e}"))?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(b"e2e-keyring-password")?;
        }
        self.children.push(("keyring".to_owned(), child));
        // The Secret Service name appears on the bus once the daemon is up.
        wait_until("the keyring on the session bus", || {
            self.command("dbus-send")
                .args([
                    "--session",
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ])
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).contains("boolean true"))
                .unwrap_or(false)
        })
    }

    fn start_server(&mut self) -> Result<()> {
        self.server_data = self.root.path().join("server");
        self.start_server_on("127.0.0.1:0", "server")
    }

    /// Starts a notification server (dunst) on this world's bus and display, and a
    /// `dbus-monitor` that records every notification sent; returns the record's path.
    pub fn start_notification_server(&mut self) -> Result<PathBuf> {
        let cmd = self.command("dunst");
        self.spawn("dunst", cmd)?;
        wait_until("dunst to own org.freedesktop.Notifications", || {
            self.command("dbus-send")
                .args([
                    "--session",
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.Notifications",
                ])
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).contains("boolean true"))
                .unwrap_or(false)
        })?;
        let record = self.artifacts.join("notifications.log");
        let mut cmd = self.command("dbus-monitor");
        cmd.args([
            "--session",
            "interface='org.freedesktop.Notifications',member='Notify'",
        ]);
        let out = std::fs::File::create(&record)?;
        cmd.stdin(Stdio::null()).stdout(out).stderr(Stdio::null());
        let child = cmd
            .spawn()
            .map_err(|e| format!("cannot start dbus-monitor: {e}"))?;
        self.children.push(("dbus-monitor".to_owned(), child));
        std::thread::sleep(Duration::from_millis(300));
        Ok(record)
    }

    /// Starts a system-tray host on this world's session bus (`scripts/tray_host.py`: it
    /// owns `org.kde.StatusNotifierWatcher`, as a desktop panel does); returns the file
    /// where it records each tray item that registers ("<bus name> <object path>").
    pub fn start_tray_host(&mut self) -> Result<PathBuf> {
        let record = self.artifacts.join("tray-items.txt");
        std::fs::write(&record, b"")?;
        let mut cmd = self.command("/usr/bin/python3");
        cmd.arg(manifest_dir().join("scripts/tray_host.py"))
            .arg(&record);
        self.spawn("tray-host", cmd)?;
        wait_until("the tray host to own org.kde.StatusNotifierWatcher", || {
            self.gdbus(&[
                "call",
                "--dest",
                "org.freedesktop.DBus",
                "--object-path",
                "/org/freedesktop/DBus",
                "--method",
                "org.freedesktop.DBus.NameHasOwner",
                "org.kde.StatusNotifierWatcher",
            ])
            .map(|o| o.contains("true"))
            .unwrap_or(false)
        })?;
        Ok(record)
    }

    /// Runs `gdbus SUBCOMMAND --session ARGS…` on this world's bus; returns its output, or
    /// an error with gdbus's message.
    pub fn gdbus(&self, args: &[&str]) -> Result<String> {
        let (subcommand, rest) = args.split_first().ok_or("gdbus needs a subcommand")?;
        let out = self
            .command("gdbus")
            .arg(subcommand)
            .arg("--session")
            .args(rest)
            .output()?;
        if !out.status.success() {
            return Err(format!(
                "gdbus {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Asks the app's window to close as a window manager's close button does
    /// (WM_DELETE_WINDOW, through `scripts/close_window.py`); returns how many windows
    /// were asked.
    pub fn close_app_window(&self) -> Result<usize> {
        let out = self
            .command("/usr/bin/python3")
            .arg(manifest_dir().join("scripts/close_window.py"))
            .arg("e-confiance")
            .output()?;
        if !out.status.success() {
            return Err(format!(
                "close_window.py failed: {}",
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().parse()?)
    }

    /// Clicks the newest notification (its default action), as a person would.
    pub fn click_notification(&self) -> Result<()> {
        let status = self.command("dunstctl").arg("action").status()?;
        if !status.success() {
            return Err(format!("dunstctl action failed: {status}").into());
        }
        Ok(())
    }

    /// Publishes a release of the app on this world's server with
    /// `scripts/publish-sandbox-update.sh` (the package copied into `<data>/updates`, signed
    /// with the sandbox key for `version`). `Signing::Tampered` then alters the published
    /// package, as a compromised mirror would.
    pub fn publish_update(
        &self,
        version: &str,
        notes_fr: &str,
        package: &Path,
        signing: Signing,
    ) -> Result<()> {
        let signed_as = match signing {
            Signing::SignedAs(other) => other,
            _ => version,
        };
        let out = Command::new(manifest_dir().join("../../scripts/publish-sandbox-update.sh"))
            .arg(package)
            .args([signed_as, notes_fr])
            .env("ECONFIANCE_SANDBOX_DIR", &self.server_data)
            .output()?;
        if !out.status.success() {
            return Err(format!(
                "publish-sandbox-update.sh: {}",
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        let name = package.file_name().ok_or("package without a name")?;
        let published = self.server_data.join("updates").join(name);
        if let Signing::SignedAs(_) = signing {
            // The feed announces `version` all the same.
            let path = self.server_data.join("updates").join("release.json");
            let mut release: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path)?)?;
            release["version"] = serde_json::Value::from(version);
            std::fs::write(&path, serde_json::to_vec_pretty(&release)?)?;
        }
        if signing == Signing::SignedWithoutVersion {
            let out = Command::new(manifest_dir().join("../../ui/node_modules/.bin/tauri"))
                .args(["signer", "sign", "--private-key-path"])
                .arg(manifest_dir().join("../../packaging/updater/sandbox.key"))
                .args(["--password", ""])
                .arg(&published)
                .env("CI", "true")
                .output()?;
            if !out.status.success() {
                return Err(format!(
                    "tauri signer sign: {}",
                    String::from_utf8_lossy(&out.stderr)
                )
                .into());
            }
        }
        if signing == Signing::Tampered {
            std::fs::OpenOptions::new()
                .append(true)
                .open(self.server_data.join("updates").join(name))?
                .write_all(b"tampered")?;
        }
        Ok(())
    }

    /// Stops this world's server (the app then finds it down).
    pub fn stop_server(&mut self) -> Result<()> {
        for (label, child) in self.children.iter_mut() {
            if label.starts_with("server") {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
        self.children
            .retain(|(label, _)| !label.starts_with("server"));
        Ok(())
    }

    /// Starts the server again on the same address, with the same data and certificate.
    pub fn restart_server(&mut self) -> Result<()> {
        let listen = self
            .server_url
            .trim_start_matches("https://")
            .trim_end_matches('/')
            .to_owned();
        let label = format!("server-{}", self.children.len());
        self.start_server_on(&listen, &label)
    }

    /// Every secret the server issued or received in this world, as its witness file
    /// (`--sandbox-secrets-witness`, outside the app's folders) lists them.
    pub fn witnessed_secrets(&self) -> Result<Vec<String>> {
        let text = match std::fs::read_to_string(self.witness_file()) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(e.into()),
        };
        let mut secrets = Vec::new();
        for line in text.lines() {
            let entry: serde_json::Value = serde_json::from_str(line)?;
            if let Some(value) = entry["value"].as_str() {
                secrets.push(value.to_owned());
            }
        }
        Ok(secrets)
    }

    fn witness_file(&self) -> PathBuf {
        self.server_data.join("secrets-witness.jsonl")
    }

    fn start_server_on(&mut self, listen: &str, label: &str) -> Result<()> {
        let log_path = self.artifacts.join(format!("{label}.log"));
        let mut cmd = Command::new(sibling_binary("econfiance-server")?);
        cmd.arg("--data-dir").arg(&self.server_data).args([
            "serve",
            "--listen",
            listen,
            "--sandbox",
            "--mail-mode",
            "outbox",
            // A short "Renvoyer" cooldown, so that tests can wait it out.
            "--resend-cooldown-secs",
            "4",
            // E-mail alerts looked for every second, so that tests need not wait.
            "--alerts-every-secs",
            "1",
        ]);
        cmd.arg("--sandbox-secrets-witness")
            .arg(self.witness_file());
        self.spawn(label, cmd)?;
        let mut url = None;
        let mut cert = None;
        wait_until("the sandbox server to listen", || {
            let log = std::fs::read_to_string(&log_path).unwrap_or_default();
            for line in log.lines() {
                if let Some(rest) = line.strip_prefix("econfiance-server: listening on ") {
                    url = Some(rest.trim().to_owned());
                }
                if let Some(rest) = line.strip_prefix("econfiance-server: certificate ") {
                    cert = Some(PathBuf::from(rest.trim()));
                }
            }
            url.is_some() && cert.is_some()
        })?;
        self.server_url = url.unwrap_or_default();
        self.ca_file = cert.unwrap_or_default();
        Ok(())
    }

    fn start_driver(&mut self) -> Result<()> {
        let port = free_port()?;
        let native = free_port()?;
        let mut cmd = self.command(tauri_driver()?);
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ]);
        self.spawn("tauri-driver", cmd)?;
        self.driver_port = port;
        // tauri-driver accepts connections before WebKitWebDriver (which it proxies to)
        // is ready; a session asked for too early is cut off. Wait for a real answer.
        // Starting WebKitWebDriver can take long on a loaded machine (seen past 20 s while a
        // release build ran alongside): a minute before giving up.
        wait_until_within(
            "tauri-driver and WebKitWebDriver to answer",
            Duration::from_secs(60),
            || driver_status_ok(port),
        )
    }
}

impl Drop for TestEnv {
    fn drop(&mut self) {
        // Stop in reverse order: driver (and the app it started), server, keyring, bus, display.
        while let Some((_, mut child)) = self.children.pop() {
            let _ = child.kill();
            let _ = child.wait();
        }
        // Every scenario that started the app ends with the secret scan, over everything
        // the server witnessed, once the app has stopped writing (a scenario already failing
        // is not failed twice). Whether the scan sees the app's log is checked by every
        // mid-scenario scan; here a scenario may have taken the log away (a full disk).
        if std::thread::panicking() || !self.launched.load(std::sync::atomic::Ordering::SeqCst) {
            return;
        }
        match self.files_holding_secrets(&[]) {
            Ok(leaks) if leaks.is_empty() => {}
            Ok(leaks) => panic!(
                "end-of-scenario secret scan of {}: a token or code was written to {leaks:?}",
                self.name
            ),
            Err(e) => panic!("end-of-scenario secret scan of {}: {e}", self.name),
        }
    }
}

/// Milliseconds since the Unix epoch (the clock of the page's performance marks).
pub fn now_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
}

/// The wall-clock time of the first performance mark `name` (`ui/src/lib/marks.ts`:
/// "econfiance-mark NAME EPOCH_MS", printed by the engine) in `log` at or after `after` ms.
pub fn find_mark(log: &Path, name: &str, after: u128) -> Option<u128> {
    let text = std::fs::read_to_string(log).ok()?;
    let needle = format!("econfiance-mark {name} ");
    text.lines().find_map(|line| {
        let rest = &line[line.find(&needle)? + needle.len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse::<u128>().ok().filter(|t| *t >= after)
    })
}

/// What the mark `name` (made at or after `after`) says was on screen: its `key=digits`
/// word (e.g. `count=1000`), if it has one.
pub fn mark_detail(log: &Path, name: &str, after: u128, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(log).ok()?;
    let needle = format!("econfiance-mark {name} ");
    let word = format!("{key}=");
    text.lines().find_map(|line| {
        let rest = &line[line.find(&needle)? + needle.len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse::<u128>().ok().filter(|t| *t >= after)?;
        let value = &rest[rest.find(&word)? + word.len()..];
        Some(value.chars().take_while(char::is_ascii_digit).collect())
    })
}

/// Undoes the HTML escaping of `&amp;` and the like (enough for links and codes).
/// Types `text` into the field `data-testid=testid` (cleared first), once it is there.
pub async fn fill(app: &Client, testid: &str, text: &str) -> Result<()> {
    let field = app
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(&format!("[data-testid=\"{testid}\"]")))
        .await
        .map_err(|e| format!("no field `{testid}`: {e}"))?;
    field.clear().await?;
    field.send_keys(text).await?;
    Ok(())
}

/// Chooses the option `value` of the select `data-testid=testid`, as a person would (the
/// select changes, then says so); waits for the select and that option (20 s at most).
pub async fn choose(app: &Client, testid: &str, value: &str) -> Result<()> {
    let deadline = Instant::now() + WAIT;
    loop {
        let chosen = app
            .execute(
                "const s = document.querySelector(`[data-testid=\"${arguments[0]}\"]`);
                 if (!s || ![...s.options].some(o => o.value === arguments[1])) return false;
                 s.value = arguments[1];
                 s.dispatchEvent(new Event('change', {bubbles: true}));
                 return true;",
                vec![testid.into(), value.into()],
            )
            .await?;
        if chosen == serde_json::Value::Bool(true) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("no option `{value}` in `{testid}`").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Chooses the option of select `testid` whose text contains `text`, as [`choose`] does
/// (20 s at most for the select and the option to be there).
pub async fn choose_text(app: &Client, testid: &str, text: &str) -> Result<()> {
    let deadline = Instant::now() + WAIT;
    loop {
        let chosen = app
            .execute(
                "const s = document.querySelector(`[data-testid=\"${arguments[0]}\"]`);
                 const o = s && [...s.options].find(o => o.textContent.includes(arguments[1]));
                 if (!o) return false;
                 s.value = o.value;
                 s.dispatchEvent(new Event('change', {bubbles: true}));
                 return true;",
                vec![testid.into(), text.into()],
            )
            .await?;
        if chosen == serde_json::Value::Bool(true) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("no option reading `{text}` in `{testid}`").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// In the inbox on screen, searches `text` and opens review `id` among those found.
pub async fn open_review(env: &TestEnv, app: &Client, text: &str, id: &str) -> Result<()> {
    fill(app, "review-search", text).await?;
    app.wait()
        .at_most(WAIT)
        .for_element(Locator::Css(&format!(
            "[data-testid=review-row][data-id=\"{id}\"]"
        )))
        .await?
        .click()
        .await?;
    env.wait_for_count(app, "[data-testid=review-detail]", 1)
        .await
}

/// Waits until the text of `data-testid=testid`, digits only, is `expected` (20 s at most).
pub async fn wait_for_number(app: &Client, testid: &str, expected: u64) -> Result<()> {
    let css = format!("[data-testid=\"{testid}\"]");
    let deadline = Instant::now() + WAIT;
    loop {
        let shown = match app.find(Locator::Css(&css)).await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        let digits: String = shown.chars().filter(char::is_ascii_digit).collect();
        if digits == expected.to_string() {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("`{testid}` shows {shown:?}, not {expected}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Clicks the element `data-testid=testid` once it is there and can be clicked (a list
/// may render a row before it is measured and shown, or replace it while it is clicked).
pub async fn click(app: &Client, testid: &str) -> Result<()> {
    let css = format!("[data-testid=\"{testid}\"]");
    let deadline = Instant::now() + WAIT;
    loop {
        let tried = match app.find(Locator::Css(&css)).await {
            Ok(element) => {
                // Bring it into view first: WebKit's driver does not always scroll nested
                // scrolling panes for it.
                let target = serde_json::to_value(&element).unwrap_or_default();
                let _ = app
                    .execute(
                        "arguments[0].scrollIntoView({block: 'center'})",
                        vec![target],
                    )
                    .await;
                element.click().await.map(|_| ())
            }
            Err(e) => Err(e),
        };
        match tried {
            Ok(()) => return Ok(()),
            Err(e) if Instant::now() >= deadline => {
                return Err(format!("nothing to click at `{testid}`: {e}").into())
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

/// Every process of the machine, as (pid, its /proc folder).
fn processes() -> Result<Vec<(u32, PathBuf)>> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir("/proc")? {
        let path = entry?.path();
        if let Some(pid) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.parse::<u32>().ok())
        {
            all.push((pid, path));
        }
    }
    Ok(all)
}

/// The proportional set size (PSS), in KiB, summed over `roots` and all their descendants.
pub fn pss_of_tree_kib(roots: &[u32]) -> Result<u64> {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    for (pid, path) in processes()? {
        // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces.
        let Ok(stat) = std::fs::read_to_string(path.join("stat")) else {
            continue;
        };
        let after = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
        if let Some(ppid) = after.split_whitespace().nth(1).and_then(|p| p.parse().ok()) {
            parents.push((pid, ppid));
        }
    }
    let mut tree = roots.to_vec();
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(
            parents
                .iter()
                .filter(|(_, pp)| *pp == parent)
                .map(|(p, _)| *p),
        );
        i += 1;
    }
    let mut total = 0;
    for pid in tree {
        let Ok(rollup) = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")) else {
            continue;
        };
        total += rollup
            .lines()
            .find_map(|l| l.strip_prefix("Pss:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or(0);
    }
    Ok(total)
}

/// Logs the app in with an e-mail and a password from the login screen, once the platform
/// status says the server answers, and waits for the signed-in view.
pub async fn log_in_with_password(
    env: &TestEnv,
    app: &Client,
    email: &str,
    password: &str,
) -> Result<()> {
    env.wait_for_text(app, "[data-testid=platform-status]", "tout fonctionne")
        .await?;
    fill(app, "email", email).await?;
    click(app, "toggle-password").await?;
    env.wait_for_count(app, "[data-testid=password]", 1).await?;
    fill(app, "password", password).await?;
    click(app, "password-login").await?;
    env.wait_for_text(app, "[data-testid=signed-in-email]", email)
        .await?;
    Ok(())
}

/// A string field of a JSON document (e.g. a keyring entry: an object, or a list of them,
/// whose first item is read).
pub fn json_field(json: &str, field: &str) -> Result<String> {
    let value: serde_json::Value = serde_json::from_str(json.trim())?;
    let found = match &value {
        serde_json::Value::Array(items) => items.first().and_then(|i| i.get(field)).cloned(),
        other => other.get(field).cloned(),
    };
    found
        .and_then(|v| v.as_str().map(str::to_owned))
        .ok_or_else(|| format!("no `{field}` in the entry").into())
}

pub fn unescape(html: &str) -> String {
    html.replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
}

/// The first `https://…` link in `text`.
pub fn first_https_link(text: &str) -> Option<String> {
    let start = text.find("https://")?;
    let rest = &text[start..];
    let end = rest
        .find(|c: char| c == '"' || c == '<' || c.is_whitespace())
        .unwrap_or(rest.len());
    Some(rest[..end].to_owned())
}

/// The `XXXX-XXXX` login code in a mail's text.
pub fn login_code(text: &str) -> Option<String> {
    let at = text.find("code dans l'application : ")? + "code dans l'application : ".len();
    text.get(at..at + 9).map(str::to_owned)
}

/// Where screenshots and logs go.
pub fn artifacts_root() -> PathBuf {
    std::env::var_os("ECONFIANCE_E2E_ARTIFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir().join("../../test-artifacts/e2e"))
}

/// This crate's folder, as `cargo test` says at run time (the target folder may be shared
/// by several checkouts, so the compile-time value can name another one).
fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

/// The app binary under test: `$ECONFIANCE_APP_BIN`, else `e-confiance` beside this test.
pub fn app_binary() -> Result<PathBuf> {
    match std::env::var_os("ECONFIANCE_APP_BIN") {
        Some(path) => Ok(PathBuf::from(path)),
        None => sibling_binary("e-confiance"),
    }
}

/// A binary of this workspace, built in the same target folder as the running test.
fn sibling_binary(name: &str) -> Result<PathBuf> {
    let exe = std::env::current_exe()?;
    // target/<profile>/deps/<test> → target/<profile>/<name>
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .ok_or("cannot locate the target folder")?;
    let path = dir.join(name);
    if !path.exists() {
        return Err(format!(
            "{} is missing: build it first (scripts/test.sh does)",
            path.display()
        )
        .into());
    }
    Ok(path)
}

fn tauri_driver() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("TAURI_DRIVER") {
        return Ok(PathBuf::from(path));
    }
    let home_bin = PathBuf::from(
        std::env::var("CARGO_HOME")
            .unwrap_or_else(|_| format!("{}/.cargo", std::env::var("HOME").unwrap_or_default())),
    )
    .join("bin/tauri-driver");
    if home_bin.exists() {
        return Ok(home_bin);
    }
    Ok(PathBuf::from("tauri-driver"))
}

/// Whether `GET /status` through tauri-driver answers 200 (WebKitWebDriver is up).
fn driver_status_ok(port: u16) -> bool {
    use std::io::Read;
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request =
        format!("GET /status HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 16];
    match stream.read(&mut head) {
        Ok(n) => String::from_utf8_lossy(&head[..n]).starts_with("HTTP/1.1 200"),
        Err(_) => false,
    }
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn read_first_line(child: &mut Child) -> Result<String> {
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let mut reader = BufReader::new(stdout);
        let _ = reader.read_line(&mut line);
        let _ = tx.send(line);
        // Keep draining so the child never blocks on a full pipe.
        let mut sink = String::new();
        while reader.read_line(&mut sink).map(|n| n > 0).unwrap_or(false) {
            sink.clear();
        }
    });
    let line = rx.recv_timeout(WAIT)?;
    if line.trim().is_empty() {
        return Err("the process printed nothing".into());
    }
    Ok(line)
}

fn wait_until(what: &str, ready: impl FnMut() -> bool) -> Result<()> {
    wait_until_within(what, WAIT, ready)
}

fn wait_until_within(what: &str, limit: Duration, mut ready: impl FnMut() -> bool) -> Result<()> {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if ready() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(format!("timed out waiting for {what}").into())
}

fn set_mode_700(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))?;
    Ok(())
}

/// Whether `bytes` hold `text` encoded as UTF-8, UTF-16LE or UTF-16BE.
pub fn holds_text(bytes: &[u8], text: &str) -> bool {
    let utf16le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let utf16be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    [text.as_bytes(), &utf16le, &utf16be]
        .iter()
        .any(|needle| !needle.is_empty() && bytes.windows(needle.len()).any(|w| w == *needle))
}

#[cfg(test)]
mod tests {
    use super::holds_text;

    #[test]
    fn a_secret_is_found_in_utf8_and_in_either_utf16() {
        let secret = "K7M4-QX2P";
        let mut file = b"prefix ".to_vec();
        file.extend(secret.encode_utf16().flat_map(u16::to_le_bytes));
        assert!(
            holds_text(&file, secret),
            "UTF-16LE, as WebKit's storage keeps it"
        );
        let be: Vec<u8> = secret.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert!(holds_text(&be, secret));
        assert!(holds_text(b"code=K7M4-QX2P;", secret));
        assert!(!holds_text(b"code=K7M4-QX2Q;", secret));
    }
}
