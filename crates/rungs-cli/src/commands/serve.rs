//! `rungs serve`: the web app and the JSON API.

use rungs_app::App;
use rungs_store::Storage;
use rungs_web::{Server, WebState};

use crate::Outcome;
use crate::commands::demo;
use crate::input;

/// People covered by the demo's assessments at most.
const DEMO_ASSESSED: usize = 500;

pub async fn run(
    database_url: &str,
    addr: &str,
    demo: bool,
    demo_people: usize,
) -> anyhow::Result<Outcome> {
    init_logging();
    let store = input::open_store(database_url).await?;
    if demo {
        let (active, left) = store.head_counts().await?;
        if active + left == 0 {
            eprintln!("Loading a demo org of {demo_people} people with two cycles of assessments…");
            demo::load(&store, demo_people, 42, DEMO_ASSESSED).await?;
        }
    }
    let state = WebState::new(App::new(store), demo);
    let server = Server::bind(addr, state)
        .await
        .map_err(|error| anyhow::anyhow!("cannot listen on {addr}: {error}"))?;
    let address = server.local_addr()?;
    eprintln!("Rungs is serving on http://{address}/ (Ctrl-C stops it)");
    rungs_web::serve_until_signal(server).await?;
    Ok(Outcome::Clean)
}

/// Request logs and errors on standard error: JSON lines with `RUNGS_LOG_FORMAT=json`, and
/// `RUNGS_LOG` (such as `debug`) to change what is logged.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("RUNGS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = if std::env::var("RUNGS_LOG_FORMAT").is_ok_and(|format| format == "json") {
        builder.json().try_init()
    } else {
        builder.compact().try_init()
    };
}
