//! `cargo bench -p rungs-core --bench people_search`: the header search over a whole org in
//! memory, next to the cheapest walk of the same names (summing their lengths) in the same
//! run, so that the figure reads as a ratio on any machine.
//!
//! `RUNGS_BENCH_PEOPLE` sets the org size (default 100,000); `RUNGS_BENCH_RUNS` the runs per
//! figure (default 15; the median is reported).

#![allow(clippy::unwrap_used, reason = "a benchmark fails loudly on purpose")]

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rungs_core::org::{OrgChart, OrgMember, PersonId, PersonQuery, search_people};
use rungs_core::{LevelId, TrackId};

const FIRST: &[&str] = &[
    "Ada",
    "Grace",
    "Alan",
    "Edsger",
    "Barbara",
    "Donald",
    "Frances",
    "Ken",
    "Margaret",
    "Dennis",
    "Radia",
    "Tim",
    "Sophie",
    "John",
    "Hedy",
    "Søren",
    "Émile",
    "Niklaus",
    "Leslie",
    "Katherine",
];
const LAST: &[&str] = &[
    "Lovelace",
    "Hopper",
    "Turing",
    "Dijkstra",
    "Liskov",
    "Knuth",
    "Allen",
    "Thompson",
    "Hamilton",
    "Ritchie",
    "Perlman",
    "Berners-Lee",
    "Wilson",
    "McCarthy",
    "Lamarr",
    "Kierkegaard",
    "Zola",
    "Wirth",
    "Lamport",
    "Johnson",
    "Okafor",
    "Nakamura",
    "Fernández",
    "Kowalski",
];

fn org(people: usize) -> OrgChart {
    let track = TrackId::parse("ic").unwrap();
    let level = LevelId::parse("ic2").unwrap();
    let team: Arc<str> = Arc::from("Platform");
    OrgChart::build(
        (0..people)
            .map(|index| OrgMember {
                id: PersonId::parse(&format!("E{index:07}")).unwrap(),
                name: format!(
                    "{} {}",
                    FIRST[index % FIRST.len()],
                    LAST[(index / FIRST.len() + index * 7) % LAST.len()]
                )
                .into(),
                manager_id: (index > 0)
                    .then(|| PersonId::parse(&format!("E{:07}", (index - 1) / 8)).unwrap()),
                track: Some(track.clone()),
                level: Some(level.clone()),
                team: Arc::clone(&team),
            })
            .collect(),
    )
}

fn median(runs: usize, mut step: impl FnMut()) -> Duration {
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            step();
            started.elapsed()
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2]
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn main() {
    let people = env_number("RUNGS_BENCH_PEOPLE", 100_000);
    let runs = env_number("RUNGS_BENCH_RUNS", 15).max(1);
    let chart = org(people);
    println!("people search: {people} people, median of {runs} runs");
    let reference = median(runs, || {
        let total: usize = chart.members().iter().map(|member| member.name.len()).sum();
        black_box(total);
    });
    println!("{:<48} {:>9.3} ms", "reference: walk every name", reference.as_secs_f64() * 1e3);
    for typed in ["lov", "Grace Hopper", "ez", "E0099999", "zzz"] {
        let query = PersonQuery::new(typed).unwrap();
        let mut total = 0;
        let time = median(runs, || {
            let (found, matched) = search_people(&chart, 0..chart.len(), &query, 20);
            total = matched;
            black_box(found);
        });
        println!(
            "{:<48} {:>9.3} ms  {:>6.1}x reference  ({total} matches)",
            format!("search {typed:?}, best 20"),
            time.as_secs_f64() * 1e3,
            time.as_secs_f64() / reference.as_secs_f64()
        );
    }
}
