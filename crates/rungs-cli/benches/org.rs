//! `cargo bench -p rungs-cli --bench org`: whole-org figures for a generated org, through the
//! real `rungs` binary, next to SQLite's own `sqlite3 .import` of the same file in the same run.
//!
//! `RUNGS_BENCH_PEOPLE` sets the org size (default 1,000,000); `RUNGS_BENCH_RUNS` the runs per
//! figure (default 3; the median is reported).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn rungs() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rungs"))
}

/// Runs a command to completion, failing the benchmark loudly if it fails. Dirty pages of the
/// step before are written out first, so that the kernel's writeback of one step is not timed
/// as part of the next.
fn timed(mut command: Command) -> Duration {
    let _ = Command::new("sync").status();
    let started = Instant::now();
    let output =
        command.stdout(Stdio::null()).stderr(Stdio::piped()).output().expect("the command starts");
    let elapsed = started.elapsed();
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    elapsed
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn remove_database(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

fn main() {
    let people = env_number("RUNGS_BENCH_PEOPLE", 1_000_000);
    let runs = env_number("RUNGS_BENCH_RUNS", 3).max(1);
    let folder: PathBuf = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-org");
    std::fs::create_dir_all(&folder).expect("bench folder");
    let csv = folder.join("org.csv");
    let database = folder.join("rungs.db");
    let reference = folder.join("sqlite3-import.db");

    println!("org benchmark: {people} people, median of {runs} run(s)");
    let mut generate = rungs();
    generate
        .args(["demo", "generate", "--people", &people.to_string(), "--seed", "42", "--out"])
        .arg(&csv);
    println!("{:<44} {:>9.3} s", "rungs demo generate", timed(generate).as_secs_f64());

    let sqlite3_available = Command::new("sqlite3")
        .arg("-version")
        .output()
        .is_ok_and(|output| output.status.success());
    let reference_time = sqlite3_available.then(|| {
        median(
            (0..runs)
                .map(|_| {
                    remove_database(&reference);
                    let mut import = Command::new("sqlite3");
                    import
                        .arg(&reference)
                        .arg(".mode csv")
                        .arg(format!(".import {} people", csv.display()));
                    timed(import)
                })
                .collect(),
        )
    });
    match reference_time {
        Some(time) => {
            println!("{:<44} {:>9.3} s", "sqlite3 .import (reference)", time.as_secs_f64())
        }
        None => println!("{:<44} {:>11}", "sqlite3 .import (reference)", "no sqlite3"),
    }

    let import_time = median(
        (0..runs)
            .map(|_| {
                remove_database(&database);
                let mut import = rungs();
                import.arg("--db").arg(sqlite_url(&database)).args(["org", "import"]).arg(&csv);
                timed(import)
            })
            .collect(),
    );
    let ratio = reference_time.map(|reference| import_time.as_secs_f64() / reference.as_secs_f64());
    println!(
        "{:<44} {:>9.3} s{}",
        "rungs org import (into an empty database)",
        import_time.as_secs_f64(),
        ratio.map(|ratio| format!("   {ratio:.2}x sqlite3 .import")).unwrap_or_default()
    );

    let reimport_time = median(
        (0..runs)
            .map(|_| {
                let mut import = rungs();
                import.arg("--db").arg(sqlite_url(&database)).args(["org", "import"]).arg(&csv);
                timed(import)
            })
            .collect(),
    );
    println!(
        "{:<44} {:>9.3} s",
        "rungs org import (again, nothing changed)",
        reimport_time.as_secs_f64()
    );

    for (label, arguments) in [
        ("rungs org check", vec!["org", "check", "--json"]),
        ("rungs org stats", vec!["org", "stats", "--json"]),
    ] {
        let time = median(
            (0..runs)
                .map(|_| {
                    let mut command = rungs();
                    command.arg("--db").arg(sqlite_url(&database)).args(&arguments);
                    timed(command)
                })
                .collect(),
        );
        println!("{label:<44} {:>9.3} s", time.as_secs_f64());
    }
}
