//! `rungs serve`: the web app and the JSON API.

use rungs_app::App;
use rungs_demo::DemoDatabase;
use rungs_web::{OidcConfig, Server, WebState};

use crate::Outcome;
use crate::cli::ServeArgs;
use crate::input;

/// People covered by the demo's assessments at most.
const DEMO_ASSESSED: usize = 500;

pub async fn run(database_url: &str, args: ServeArgs) -> anyhow::Result<Outcome> {
    let _log_writer = init_logging();
    // Held until the server stops (or dies): `rungs restore` refuses while it is held.
    let mut lock = rungs_store::ServerLock::for_server(database_url, || {
        crate::output::eprint_line(
            "A restore is replacing the database; waiting for it to finish…",
        );
    })?;
    if let Some(lock) = &mut lock {
        lock.note(&format!("rungs serve, process {}", std::process::id()));
    }
    let mut store = input::open_store(database_url).await?;
    if args.demo {
        // Its own statement: the app (and its connections) must be gone before a load.
        let holds = rungs_demo::demo_database(&App::new(store.clone())).await?;
        match holds {
            DemoDatabase::Empty => {
                crate::output::eprint_line(&format!(
                    "Loading a demo org of {} people with two cycles of assessments…",
                    args.demo_people
                ));
                // The server's own connections are closed while the demo loads, so that the
                // load has the database to itself (a first import into an empty SQLite file
                // then skips the WAL).
                drop(store);
                let (url, people) = (database_url.to_owned(), args.demo_people);
                tokio::task::spawn_blocking(move || load_demo_in_child_process(&url, people))
                    .await??;
                store = input::open_store(database_url).await?;
            }
            DemoDatabase::FilledByDemo => {}
            DemoDatabase::NotTheDemo(holds) => anyhow::bail!(
                "--demo gives the accounts it creates one printed password, so it needs an empty database or one that `serve --demo` filled; {} holds {holds}, so nothing was changed (serve it without --demo, or give --demo another --db)",
                rungs_store::redact(database_url)
            ),
        }
    }
    let app = App::new(store.clone());
    let mut state = WebState::new(app.clone(), args.demo)
        .with_secure_cookies(args.secure_cookies)
        .with_trusted_proxy(args.trust_proxy)
        .with_leaver_share(args.leaver_share);
    if let (Some(issuer), Some(client_id), Some(secret), Some(public_url)) =
        (&args.oidc_issuer, &args.oidc_client_id, &args.oidc_client_secret, &args.public_url)
    {
        state = state.with_oidc(OidcConfig::new(issuer, client_id, secret, public_url)?);
    }
    // Checked before anything is served: a wrong --smtp is a start-up error, not a quiet log.
    let smtp = match &args.smtp {
        Some(url) => {
            let from = rungs_mail::parse_mailbox(&args.mail_from)?;
            let timeout = std::time::Duration::from_secs(args.smtp_timeout);
            Some(rungs_mail::SmtpSender::new(url, from, timeout)?)
        }
        None => None,
    };
    state = state.with_mail_sending(smtp.is_some());
    let mut notes = Vec::new();
    if args.demo {
        let password = rungs_app::random_password()?;
        let accounts = rungs_demo::accounts(&app, &password).await?;
        notes.push(if accounts.created > 0 {
            format!(
                "Demo accounts: everyone in the org signs in with their email; the {} accounts created now have the password {} (accounts that existed keep their own)",
                accounts.created, accounts.password
            )
        } else {
            "Demo accounts: everyone in the org signs in with their email and the password printed when the demo was loaded (`rungs user set-password EMAIL` sets a new one)".to_owned()
        });
        for (email, who) in &accounts.examples {
            notes.push(format!("  {email:<40} {who}"));
        }
    } else if app.needs_first_admin().await? {
        let code = rungs_app::random_password()?;
        state = state.with_setup_code(&code);
        notes.push(format!(
            "No accounts yet: open /setup?code={code} to create the first admin (or run `rungs user add EMAIL --role admin` and `rungs user set-password EMAIL`)."
        ));
    }
    let server = Server::bind(&args.addr, state)
        .await
        .map_err(|error| anyhow::anyhow!("cannot listen on {}: {error}", args.addr))?;
    let address = server.local_addr()?;
    // Before the address is printed: a SIGTERM right after it must find the handler.
    let stop = rungs_web::shutdown_signal();
    crate::output::eprint_line(&format!("Rungs is serving on http://{address}/ (Ctrl-C stops it)"));
    if let Some(lock) = &mut lock {
        lock.note(&format!("rungs serve, process {}, on http://{address}/", std::process::id()));
    }
    for note in notes {
        crate::output::eprint_line(&note.replace(" /setup", &format!(" http://{address}/setup")));
    }
    let links = rungs_app::MailLinks::new(
        args.public_url.as_deref().unwrap_or(&format!("http://{address}")),
    );
    let mailer = rungs_mail::Mailer::new(
        app.clone(),
        rungs_mail::MailerConfig {
            smtp,
            links,
            remind_days: args.remind_days,
            every: std::time::Duration::from_secs(args.mail_every),
        },
    );
    if !mailer.sends() {
        crate::output::eprint_line(
            "Mail: no --smtp given, so notices are queued but not sent (the admin page Mail shows them)",
        );
    } else if args.public_url.is_none() {
        crate::output::eprint_line(&format!(
            "Mail: the links in mails lead to http://{address}/; give --public-url with the address people open"
        ));
    }
    let (stop_mailer, stopped) = tokio::sync::watch::channel(false);
    let stop_mailer = std::sync::Arc::new(stop_mailer);
    let mailing = tokio::spawn(mailer.run(stopped));
    let on_signal = stop_mailer.clone();
    let served = server
        .run(async move {
            stop.await;
            let _ = on_signal.send(true);
        })
        .await;
    // Whatever ended the server: the mail being sent is finished, and recorded, first.
    let _ = stop_mailer.send(true);
    let _ = mailing.await;
    served?;
    Ok(Outcome::Clean)
}

/// Loads the demo with `rungs demo load` in a child process, so that the memory the generation
/// takes (about 250 MB at its peak for 100,000 people) is returned to the system when the child
/// ends. Loaded in the server's own process, most of it stayed resident until traffic made the
/// allocator give it back: an idle demo server of 100,000 people sat at 170 MB. The database
/// goes to the child in `RUNGS_DB`, not on its command line, where other users could read a
/// password in it; what the child prints goes to standard error, like the server's messages.
fn load_demo_in_child_process(database_url: &str, people: usize) -> anyhow::Result<()> {
    let executable = std::env::current_exe()
        .map_err(|error| anyhow::anyhow!("cannot find this program to load the demo: {error}"))?;
    let status = std::process::Command::new(executable)
        .args(["demo", "load", "--people", &people.to_string(), "--seed", "42"])
        .args(["--assessed", &DEMO_ASSESSED.to_string()])
        .env("RUNGS_DB", database_url)
        .stdin(std::process::Stdio::null())
        .stdout(std::io::stderr())
        .status()
        .map_err(|error| anyhow::anyhow!("cannot start `rungs demo load`: {error}"))?;
    anyhow::ensure!(status.success(), "the demo could not be loaded ({status}); see above");
    Ok(())
}

/// Log lines queued for the writing thread at most: a few hundred kilobytes. A longer queue
/// only grows the server's memory under load, when the writer falls behind.
const LOG_QUEUE: usize = 4096;

/// Request logs and errors on standard error: JSON lines with `RUNGS_LOG_FORMAT=json`, and
/// `RUNGS_LOG` (such as `debug`) to change what is logged. Lines are written by a thread of
/// their own in batches, so that a busy server makes one write for many requests rather than
/// one each; none are dropped (a request waits when the queue is full), and those queued are
/// written before the process ends, while the returned guard lives.
fn init_logging() -> tracing_appender::non_blocking::WorkerGuard {
    let filter = tracing_subscriber::EnvFilter::try_from_env("RUNGS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .buffered_lines_limit(LOG_QUEUE)
        .finish(std::io::BufWriter::with_capacity(64 * 1024, std::io::stderr()));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder =
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer).with_ansi(ansi);
    let _ = if std::env::var("RUNGS_LOG_FORMAT").is_ok_and(|format| format == "json") {
        builder.json().try_init()
    } else {
        builder.compact().try_init()
    };
    guard
}
