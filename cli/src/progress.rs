//! Logging and progress for the command-line tools: `RUST_LOG` detail through `tracing`, and a
//! progress bar on a terminal driven by the prover's per-instance events.
//!
//! The prover emits an `info` event with the fields `stage`, `done`, `total` and `air` when it
//! commits a main trace and when it finishes an instance proof. On a terminal, [`init`] draws
//! those as a one-line bar on stderr, whatever `RUST_LOG` says; `RUST_LOG` (for example
//! `RUST_LOG=zisk_prover=debug`) adds the formatted events themselves, with sub-phase timings.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::sync::Mutex;

use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// Width of the bar in characters.
const BAR_WIDTH: usize = 30;

/// The fields of one progress event.
#[derive(Default, Debug, PartialEq, Eq)]
struct Progress {
    stage: String,
    air: String,
    done: u64,
    total: u64,
}

impl Visit for Progress {
    fn record_u64(&mut self, field: &Field, value: u64) {
        match field.name() {
            "done" => self.done = value,
            "total" => self.total = value,
            _ => {}
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.record_u64(field, value.max(0) as u64);
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.record_debug(field, &format_args!("{value}"));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        match field.name() {
            "stage" => self.stage = format!("{value:?}").trim_matches('"').to_string(),
            "air" => self.air = format!("{value:?}").trim_matches('"').to_string(),
            _ => {}
        }
    }
}

/// Renders one progress line (without the leading carriage return).
fn render(p: &Progress) -> String {
    let total = p.total.max(1);
    let filled = (p.done.min(total) as usize * BAR_WIDTH) / total as usize;
    let mut line = String::with_capacity(BAR_WIDTH + 64);
    let stage = match p.stage.as_str() {
        "commit" => "committing",
        "prove" => "proving",
        other => other,
    };
    let _ = write!(
        line,
        "{stage:<10} [{}{}] {}/{} {}",
        "#".repeat(filled),
        "-".repeat(BAR_WIDTH - filled),
        p.done,
        p.total,
        p.air
    );
    line
}

/// Draws the prover's progress events as a bar on stderr.
struct ProgressBar {
    /// Length of the line currently shown, to blank it when a shorter one replaces it.
    shown: Mutex<usize>,
}

impl<S: Subscriber> Layer<S> for ProgressBar {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        if !event.metadata().target().starts_with("zisk_prover") {
            return;
        }
        let mut p = Progress::default();
        event.record(&mut p);
        if p.total == 0 || p.stage.is_empty() {
            return;
        }
        let line = render(&p);
        let Ok(mut shown) = self.shown.lock() else {
            return;
        };
        let pad = shown.saturating_sub(line.len());
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r{line}{}", " ".repeat(pad));
        if p.done >= p.total {
            let _ = writeln!(err);
            *shown = 0;
        } else {
            *shown = line.len();
        }
        let _ = err.flush();
    }
}

/// Installs the global subscriber: `RUST_LOG`-filtered formatted events on stderr (nothing when
/// `RUST_LOG` is unset), plus the progress bar when stderr is a terminal.
pub fn init() {
    let fmt = std::env::var_os("RUST_LOG").map(|_| {
        tracing_subscriber::fmt::layer()
            .with_writer(std::io::stderr)
            .with_target(false)
            .with_ansi(std::io::stderr().is_terminal())
            .with_filter(EnvFilter::from_default_env())
    });
    let bar =
        (std::io::stderr().is_terminal() && std::env::var_os("RUST_LOG").is_none()).then(|| {
            ProgressBar {
                shown: Mutex::new(0),
            }
        });
    let _ = tracing_subscriber::registry()
        .with(fmt)
        .with(bar)
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_fills_in_proportion() {
        let p = Progress {
            stage: "prove".into(),
            air: "Main".into(),
            done: 5,
            total: 10,
        };
        let line = render(&p);
        assert!(line.starts_with("proving    ["), "{line}");
        assert!(line.contains(&format!("{}{}]", "#".repeat(15), "-".repeat(15))));
        assert!(line.ends_with("5/10 Main"), "{line}");
    }

    #[test]
    fn events_reach_the_bar_fields() {
        #[derive(Default)]
        struct Capture(Mutex<Vec<String>>);
        impl<S: Subscriber> Layer<S> for &'static Capture {
            fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
                let mut p = Progress::default();
                event.record(&mut p);
                if let Ok(mut v) = self.0.lock() {
                    v.push(render(&p));
                }
            }
        }
        let capture: &'static Capture = Box::leak(Box::default());
        let subscriber = tracing_subscriber::registry().with(capture);
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!(stage = "commit", done = 2usize, total = 4usize, air = %"Binary", "x");
        });
        let lines = capture.0.lock().map(|v| v.clone()).unwrap_or_default();
        assert_eq!(lines.len(), 1);
        assert!(lines[0].starts_with("committing ["), "{}", lines[0]);
        assert!(lines[0].ends_with("2/4 Binary"), "{}", lines[0]);
    }
}
