//! `cargo bench -p rungs-cli --bench org`: whole-org figures for a generated org, through the
//! real `rungs` binary, next to SQLite's own `sqlite3 .import` of the same file in the same run.
//!
//! `RUNGS_BENCH_PEOPLE` sets the org size (default 1,000,000); `RUNGS_BENCH_RUNS` the runs per
//! figure (default 3; the median is reported).
//!
//! The same org is also written as an HR system would export it (its own headers, level codes
//! in capitals, ids padded with zeros) and imported with a mapping, as a ratio to the import of
//! the canonical file in the same run; and once more with a mapping whose rules need the whole
//! file first (managers by email), which reads the file twice.

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

/// Writes `csv` as an HR export: other headers, level codes in capitals, ids padded with zeros.
fn write_hr_export(csv: &Path, out: &Path) {
    let mut reader = csv::Reader::from_path(csv).expect("the generated org");
    let mut writer = csv::Writer::from_path(out).expect("the HR export");
    writer
        .write_record([
            "Employee Number",
            "Full Name",
            "Work Email",
            "Supervisor ID",
            "Job Title",
            "Career Track",
            "Job Level",
            "Department",
        ])
        .expect("write");
    let padded = |id: &str| if id.is_empty() { String::new() } else { format!("00{id}") };
    for record in reader.records() {
        let record = record.expect("a generated row");
        let field = |index: usize| record.get(index).unwrap_or_default();
        writer
            .write_record([
                padded(field(0)),
                field(1).to_owned(),
                field(2).to_owned(),
                padded(field(3)),
                field(4).to_owned(),
                field(5).to_uppercase(),
                field(6).to_uppercase(),
                field(7).to_owned(),
            ])
            .expect("write");
    }
    writer.flush().expect("write");
}

/// The mapping for [`write_hr_export`]'s file, with a level map of every code.
fn hr_mapping(by_email: bool) -> String {
    let mut mapping = String::from(
        "[columns]\nid = \"Employee Number\"\nname = \"Full Name\"\nemail = \"Work Email\"\n\
         manager_id = \"Supervisor ID\"\ntitle = \"Job Title\"\ntrack = \"Career Track\"\n\
         level = \"Job Level\"\nteam = \"Department\"\n\n[ids]\nleading_zeros = \"strip\"\n\n[levels]\n",
    );
    for level in
        ["em", "sem", "director", "vp", "cto", "ic1", "ic2", "ic3", "ic4", "ic5", "ic6", "ic7"]
    {
        mapping.push_str(&format!("{} = \"{level}\"\n", level.to_uppercase()));
    }
    mapping.push_str("\n[tracks]\nMANAGEMENT = \"management\"\nIC = \"ic\"\n");
    if by_email {
        mapping.push_str("\n[managers]\ngiven_by = \"id-or-email\"\n");
    }
    mapping
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

    let hr_export = folder.join("hr-export.csv");
    write_hr_export(&csv, &hr_export);
    // The three imports take turns, run after run, so that a machine that slows down or
    // speeds up during the benchmark weighs on each alike.
    let mapping = folder.join("mapping.toml");
    std::fs::write(&mapping, hr_mapping(false)).expect("write the mapping");
    let by_email = folder.join("by-email.toml");
    std::fs::write(&by_email, hr_mapping(true)).expect("write the mapping");
    let import_into_empty = |file: &Path, mapping: Option<&Path>| {
        remove_database(&database);
        let mut import = rungs();
        import.arg("--db").arg(sqlite_url(&database)).args(["org", "import"]).arg(file);
        if let Some(mapping) = mapping {
            import.arg("--mapping").arg(mapping);
        }
        timed(import)
    };
    let (mut plain, mut mapped, mut emailed) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        plain.push(import_into_empty(&csv, None));
        mapped.push(import_into_empty(&hr_export, Some(&mapping)));
        emailed.push(import_into_empty(&hr_export, Some(&by_email)));
    }
    let plain = median(plain);
    println!("{:<44} {:>9.3} s", "rungs org import (beside the mapped ones)", plain.as_secs_f64());
    for (label, times) in [
        ("rungs org import --mapping (HR export)", mapped),
        ("rungs org import --mapping (by email)", emailed),
    ] {
        let time = median(times);
        println!(
            "{label:<44} {:>9.3} s   {:.2}x the import without a mapping",
            time.as_secs_f64(),
            time.as_secs_f64() / plain.as_secs_f64()
        );
    }
    // The database as the canonical import left it, for the figures below.
    remove_database(&database);
    let mut import = rungs();
    import.arg("--db").arg(sqlite_url(&database)).args(["org", "import"]).arg(&csv);
    timed(import);

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
