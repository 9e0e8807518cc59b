//! `framework show`: the ladder with its tracks side by side, one row per band.

use comfy_table::{ContentArrangement, Table, presets};
use rungs_core::Framework;

pub fn ladder(framework: &Framework) -> String {
    let meta = framework.meta();
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL).set_content_arrangement(ContentArrangement::Disabled);
    let mut header = vec!["Band".to_owned()];
    header.extend(framework.tracks().iter().map(|track| track.name.clone()));
    table.set_header(header);
    for (band, per_track) in framework.ladder() {
        let band_label = match &band.name {
            Some(name) => format!("{}\n{name}", band.id),
            None => band.id.to_string(),
        };
        let mut row = vec![band_label];
        for levels in per_track {
            let cell: Vec<String> = levels
                .iter()
                .map(|level| {
                    let mut scope = Vec::new();
                    if let Some(org_size) = level.scope.org_size {
                        scope.push(format!("leads {}", org_size.describe()));
                    }
                    if let Some(horizon) = level.scope.horizon_months {
                        scope.push(format!("plans {} ahead", horizon.describe_months()));
                    }
                    if scope.is_empty() {
                        level.label()
                    } else {
                        format!("{}\n{}", level.label(), scope.join(", "))
                    }
                })
                .collect();
            row.push(if cell.is_empty() { "-".to_owned() } else { cell.join("\n") });
        }
        table.add_row(row);
    }
    format!(
        "{} {}\n{table}\nLevels in one row are equivalent across tracks. `rungs framework show LEVEL` shows one level in full.",
        meta.name, meta.version
    )
}

pub fn ladder_json(framework: &Framework) -> serde_json::Value {
    let bands: Vec<serde_json::Value> = framework
        .ladder()
        .into_iter()
        .map(|(band, per_track)| {
            let tracks: serde_json::Map<String, serde_json::Value> = framework
                .tracks()
                .iter()
                .zip(per_track)
                .map(|(track, levels)| {
                    let ids: Vec<&str> = levels.iter().map(|level| level.id.as_str()).collect();
                    (track.id.to_string(), serde_json::json!(ids))
                })
                .collect();
            serde_json::json!({ "band": band.id, "rank": band.rank, "name": band.name, "levels": tracks })
        })
        .collect();
    serde_json::json!({
        "framework": framework.meta(),
        "tracks": framework.tracks().iter().map(|track| serde_json::json!({"id": track.id, "name": track.name})).collect::<Vec<_>>(),
        "bands": bands,
    })
}
