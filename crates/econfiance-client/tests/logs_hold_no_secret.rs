//! Handling a deep link logs what happened, and never the code or token it carries.

use std::io::Write;
use std::sync::{Arc, Mutex};

use econfiance_client::links::handle_link;
use econfiance_client::Language;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn handling_links_never_logs_codes_or_tokens() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber_for(move || writer.clone());
    tracing::subscriber::with_default(subscriber, || {
        let callback = b"econfiance://auth/callback?request=rq_0123456789abcdef&code=K7M4-QX2P";
        handle_link(callback, |_| false, Language::Fr);
        handle_link(callback, |_| true, Language::Fr);
        let reset = b"econfiance://auth/reset?request=rq_0123456789abcdef&token=SECRETTOKEN_abcdefghijklmnopqrstuvwxyz";
        handle_link(reset, |_| true, Language::Fr);
        handle_link(
            b"econfiance://auth/callback?request=rq_0123456789abcdef&code=K7M4-QX2P&x=1",
            |_| true,
            Language::Fr,
        );
    });
    let logs = String::from_utf8(capture.0.lock().expect("lock").clone()).expect("utf-8");
    assert!(
        logs.contains("deep link accepted"),
        "the events are logged: {logs}"
    );
    assert!(
        logs.contains("deep link refused"),
        "the refusals are logged: {logs}"
    );
    assert!(
        logs.contains("rq_0123456789abcdef"),
        "the request id may be logged: {logs}"
    );
    assert!(
        !logs.contains("K7M4"),
        "a login code leaked into the logs: {logs}"
    );
    assert!(
        !logs.contains("SECRETTOKEN"),
        "a reset token leaked into the logs: {logs}"
    );
}

fn tracing_subscriber_for(
    make: impl Fn() -> Capture + Send + Sync + 'static,
) -> impl tracing::Subscriber + Send + Sync {
    tracing_subscriber::fmt()
        .with_writer(make)
        .with_ansi(false)
        .with_max_level(tracing::Level::TRACE)
        .finish()
}
