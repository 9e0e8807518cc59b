//! Org planning: the management structure an org of N engineers needs under the ladder's scope
//! ranges, with the reasoning spelled out.

use crate::framework::Framework;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PlannedRole {
    pub level: String,
    pub title: String,
    pub count: u64,
    pub reasoning: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Plan {
    pub engineers: u64,
    pub roles: Vec<PlannedRole>,
    pub managers: u64,
    /// Engineers per manager in the planned structure.
    pub engineers_per_manager: f64,
}

/// Plans the management levels (those of tracks whose levels state an org size) for
/// `engineers` individual contributors. Each level with a bounded org size needs
/// ⌈engineers / largest org⌉ people; a level whose range starts above the org is not needed;
/// an open-ended level (`50..`) needs one person once the org reaches its start.
pub fn plan(framework: &Framework, engineers: u64) -> Plan {
    let mut roles = Vec::new();
    for track in framework.tracks() {
        let levels = framework.levels_in_track(&track.id);
        if !levels.iter().any(|level| level.scope.org_size.is_some()) {
            continue;
        }
        for level in levels {
            let title = &level.title;
            let (count, reasoning) = match level.scope.org_size {
                None => (
                    0,
                    format!(
                        "the ladder gives no org size for a {title}: a company-level decision, not a function of head count"
                    ),
                ),
                Some(range) if engineers < u64::from(range.min) => (
                    0,
                    format!(
                        "{engineers} engineers is fewer than the {} a {title} leads: not needed yet",
                        range.min
                    ),
                ),
                Some(range) => match range.max {
                    Some(max) => {
                        let count = engineers.div_ceil(u64::from(max.max(1)));
                        (
                            count,
                            format!(
                                "{engineers} engineers / at most {max} per {title} ({}) = {count}",
                                range.describe()
                            ),
                        )
                    }
                    None => {
                        (1, format!("one {title} leads an org of {} engineers", range.describe()))
                    }
                },
            };
            roles.push(PlannedRole {
                level: level.id.to_string(),
                title: title.clone(),
                count,
                reasoning,
            });
        }
    }
    let managers: u64 = roles.iter().map(|role| role.count).sum();
    Plan {
        engineers,
        roles,
        managers,
        engineers_per_manager: if managers == 0 { 0.0 } else { engineers as f64 / managers as f64 },
    }
}
