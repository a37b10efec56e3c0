//! `tencent-cloud-emulator [--port N] [--no-rate-limits] [limits]`: serves the emulator on
//! 127.0.0.1 until Ctrl-C (or SIGTERM), after printing its endpoint and the credentials it
//! accepts.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use tencent_cloud_emulator::{Emulator, credentials};

const USAGE: &str =
    "usage: tencent-cloud-emulator [--port N] [--no-rate-limits] [--request-log-bytes N]

Serves the Tencent Cloud API 3.0 emulator on 127.0.0.1 (port 0, the default, picks a free
port) until Ctrl-C. Point a client at the printed endpoint with scheme http.

  --request-log-bytes N   byte budget of the request log (default 8388608, 8 MiB)";

struct Options {
    port: u16,
    rate_limits: bool,
    request_log_bytes: Option<usize>,
    header_read_timeout: Option<u64>,
    idle_timeout: Option<u64>,
    max_connections: Option<usize>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        port: 0,
        rate_limits: true,
        request_log_bytes: None,
        header_read_timeout: None,
        idle_timeout: None,
        max_connections: None,
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => options.port = number(&arg, args.next())?,
            "--no-rate-limits" => options.rate_limits = false,
            "--request-log-bytes" => options.request_log_bytes = Some(number(&arg, args.next())?),
            "--header-read-timeout" => {
                options.header_read_timeout = Some(number(&arg, args.next())?);
            }
            "--idle-timeout" => options.idle_timeout = Some(number(&arg, args.next())?),
            "--max-connections" => options.max_connections = Some(number(&arg, args.next())?),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(options)
}

/// The value of a numeric flag.
fn number<T: std::str::FromStr>(flag: &str, value: Option<String>) -> Result<T, String> {
    let value = value.ok_or_else(|| format!("{flag} needs a value"))?;
    value
        .parse()
        .map_err(|_| format!("invalid value `{value}` for {flag}"))
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .init();
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("error: {message}\n");
            }
            eprintln!("{USAGE}");
            return if message.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    };
    let mut builder = Emulator::builder()
        .port(options.port)
        .rate_limits(options.rate_limits);
    if let Some(bytes) = options.request_log_bytes {
        builder = builder.request_log_max_bytes(bytes);
    }
    if let Some(secs) = options.header_read_timeout {
        builder = builder.header_read_timeout(Duration::from_secs(secs));
    }
    if let Some(secs) = options.idle_timeout {
        builder = builder.idle_timeout(Duration::from_secs(secs));
    }
    if let Some(max) = options.max_connections {
        builder = builder.max_connections(max);
    }
    let emulator = match builder.start().await {
        Ok(emulator) => emulator,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };

    // The handler must be in place before the banner: whoever reads "Press Ctrl-C" may send
    // SIGINT at once, and an unhandled SIGINT kills the process instead of stopping it.
    let stop = match StopSignal::install() {
        Ok(stop) => stop,
        Err(e) => {
            eprintln!("error: cannot handle Ctrl-C: {e}");
            return ExitCode::FAILURE;
        }
    };
    say(&banner(&emulator));
    stop.wait().await;
    say("Stopping.");
    emulator.shutdown().await;
    ExitCode::SUCCESS
}

/// Ctrl-C (and, on Unix, SIGTERM from a supervisor), registered when installed rather than
/// when first awaited as `tokio::signal::ctrl_c` would be.
#[cfg(unix)]
struct StopSignal {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl StopSignal {
    fn install() -> std::io::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Self {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    async fn wait(mut self) {
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
    }
}

#[cfg(windows)]
struct StopSignal(tokio::signal::windows::CtrlC);

#[cfg(windows)]
impl StopSignal {
    fn install() -> std::io::Result<Self> {
        tokio::signal::windows::ctrl_c().map(Self)
    }

    async fn wait(mut self) {
        self.0.recv().await;
    }
}

/// What the emulator serves and accepts, for the person who started it.
fn banner(emulator: &Emulator) -> String {
    let url = emulator.endpoint_url();
    let mut text = format!("Tencent Cloud API emulator listening on {url}\n");
    text += &format!(
        "(SDKs that take a host: endpoint {} with scheme http)\n",
        emulator.endpoint_host()
    );
    text += "Test credentials:\n";
    for (label, credential) in [
        ("primary", credentials::PRIMARY),
        ("secondary", credentials::SECONDARY),
        ("temporary", credentials::TEMPORARY),
    ] {
        text += &format!("  {label:<9} AppId {}\n", credential.app_id);
        text += &format!("            SecretId  {}\n", credential.secret_id);
        text += &format!("            SecretKey {}\n", credential.secret_key);
        if let Some(token) = credential.token {
            text += &format!("            Token     {token}\n");
        }
    }
    text += &format!(
        "Admin routes under {url}/_emulator/ (requests, faults, bindings, addresses, clock).\n"
    );
    text + "Press Ctrl-C to stop."
}

/// Prints a line; a closed stdout (e.g. piped into `head`) must not stop the server.
fn say(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{text}").and_then(|()| stdout.flush());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, String> {
        parse_args(args.iter().map(|a| (*a).to_owned()))
    }

    #[test]
    fn limits_flags() {
        let options = parse(&[
            "--header-read-timeout",
            "5",
            "--idle-timeout",
            "60",
            "--max-connections",
            "64",
            "--request-log-bytes",
            "1024",
        ])
        .unwrap();
        assert_eq!(options.header_read_timeout, Some(5));
        assert_eq!(options.idle_timeout, Some(60));
        assert_eq!(options.max_connections, Some(64));
        assert_eq!(options.request_log_bytes, Some(1024));
        let defaults = parse(&[]).unwrap();
        assert_eq!(defaults.max_connections, None);
        for bad in [
            &["--max-connections"][..],
            &["--idle-timeout", "soon"],
            &["--port", "-1"],
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}
