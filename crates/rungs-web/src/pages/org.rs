//! The org: a navigable tree with each manager's span and org size and the org-check findings
//! where they apply, the level distribution as a chart; and a manager's team dashboard.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query};
use rungs_app::OrgDesign;

use super::Layout;
use super::person::{PersonLink, verdict_class};
use crate::auth::Acting;
use crate::charts;
use crate::error::{PageError, WebError};

#[derive(Debug, serde::Deserialize)]
pub struct TreeQuery {
    pub root: Option<String>,
    /// Where the listed org-check findings start, in `org check`'s order (errors first).
    pub findings: Option<usize>,
}

/// The most org-check findings the org page lists at once.
pub const FINDINGS_LISTED: usize = 50;

/// One org-check finding, with the person it is about named and linked.
pub struct FindingRow {
    pub severity: String,
    pub id: String,
    pub name: String,
    /// They manage people: the link opens their part of the tree, else their page.
    pub manages: bool,
    pub message: String,
}

pub struct NodeView {
    pub id: String,
    pub name: String,
    pub level: String,
    pub direct_reports: u32,
    pub org_size: u32,
    pub layers_below: u32,
    pub findings: Vec<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "org.html")]
pub struct OrgPage {
    pub layout: Layout,
    pub people: u64,
    pub managers: u64,
    pub layers: u32,
    pub ratio: String,
    pub errors: usize,
    pub warnings: usize,
    pub chain: Vec<(String, String)>,
    pub focus: Option<NodeView>,
    pub children: Vec<NodeView>,
    pub chart: String,
    /// A page of the whole org's findings, errors first, from `findings_from`.
    pub findings: Vec<FindingRow>,
    pub findings_from: usize,
    pub findings_total: usize,
}

impl OrgPage {
    /// The offset of the next page of findings, when there is one.
    pub fn findings_next(&self) -> Option<usize> {
        let next = self.findings_from + self.findings.len();
        (next < self.findings_total).then_some(next)
    }

    /// The offset of the previous page of findings, when this is not the first.
    pub fn findings_previous(&self) -> Option<usize> {
        (self.findings_from > 0).then(|| self.findings_from.saturating_sub(FINDINGS_LISTED))
    }
}

fn node(design: &OrgDesign, position: usize, titles: &HashMap<String, String>) -> NodeView {
    let chart = &design.org.chart;
    let member = chart.member(position);
    NodeView {
        id: member.id.to_string(),
        name: member.name.to_string(),
        level: match &member.level {
            Some(level) => titles.get(level.as_str()).cloned().unwrap_or_else(|| level.to_string()),
            None => "Off the ladder".to_owned(),
        },
        direct_reports: chart.direct_report_count(position),
        org_size: chart.org_size(position),
        layers_below: chart.layers_below(position),
        findings: design
            .findings_of(position)
            .into_iter()
            .map(|finding| (finding.severity.to_string(), finding.message))
            .collect(),
    }
}

pub async fn tree(
    Acting(state): Acting,
    Query(query): Query<TreeQuery>,
) -> Result<OrgPage, PageError> {
    // The counts are of the whole org; the findings shown are those of the people on the page.
    let design = state.app.org_design().await?;
    let chart = &design.org.chart;
    let figures = &design.figures;
    let titles: HashMap<String, String> = design
        .framework
        .levels()
        .iter()
        .map(|level| (level.id.to_string(), level.title.clone()))
        .collect();
    // With one person at the top, the page starts from them.
    let single_root = {
        let mut roots = chart.roots();
        match (roots.next(), roots.next()) {
            (Some(root), None) => Some(chart.member(root).id.to_string()),
            _ => None,
        }
    };
    let root = query.root.filter(|root| !root.is_empty()).or(single_root);
    let (focus, children, chain) = match root.as_deref() {
        Some(root) => {
            let position = design.org.find(root).ok_or_else(|| {
                WebError::not_found(format!("there is no active person `{root}`"))
            })?;
            let chain = chart
                .chain(position)
                .into_iter()
                .rev()
                .map(|manager| {
                    (chart.member(manager).id.to_string(), chart.member(manager).name.to_string())
                })
                .collect();
            let children = chart
                .direct_reports(position)
                .map(|report| node(&design, report, &titles))
                .collect();
            (Some(node(&design, position, &titles)), children, chain)
        }
        None => {
            (None, chart.roots().map(|root| node(&design, root, &titles)).collect(), Vec::new())
        }
    };
    let findings_from = query.findings.unwrap_or(0);
    let (listed, counts) = state.app.org_findings(findings_from, FINDINGS_LISTED).await?;
    let findings = listed
        .into_iter()
        .map(|finding| {
            let position = design.org.find(finding.person_id.as_str());
            FindingRow {
                severity: finding.severity.to_string(),
                name: position.map_or_else(
                    || finding.person_id.to_string(),
                    |position| chart.member(position).name.to_string(),
                ),
                manages: position.is_some_and(|position| chart.direct_report_count(position) > 0),
                id: finding.person_id.to_string(),
                message: finding.message,
            }
        })
        .collect();
    let bars: Vec<(String, u64)> = figures
        .levels
        .iter()
        .map(|level| (format!("{} ({})", level.title, level.level), level.count))
        .collect();
    Ok(OrgPage {
        layout: Layout::of(&state),
        people: figures.people,
        managers: figures.managers,
        layers: figures.layers,
        ratio: format!("{:.1}", figures.ic_to_manager_ratio),
        errors: design.counts.errors,
        warnings: design.counts.warnings,
        chain,
        focus,
        children,
        chart: charts::bars("People per level", &bars),
        findings,
        findings_from,
        findings_total: counts.total(),
    })
}

pub struct WeakRow {
    pub id: String,
    pub text: String,
    pub level: String,
    pub below: u32,
    pub rated: u32,
    pub percent: u32,
    pub heat: String,
}

pub struct CandidateRow {
    pub person: PersonLink,
    pub target: String,
    pub verdict: &'static str,
    pub verdict_class: &'static str,
    pub met: u32,
    pub total: u32,
}

#[derive(Template, WebTemplate)]
#[template(path = "team.html")]
pub struct TeamPage {
    /// Each open scheduled cycle, with the step of each direct report taking part.
    pub cycle_steps: Vec<CycleSteps>,
    pub layout: Layout,
    pub manager: PersonLink,
    pub members: u32,
    pub assessed: u32,
    pub weakest: Vec<WeakRow>,
    pub ready: u32,
    pub close: u32,
    pub candidates: Vec<CandidateRow>,
    /// The candidates listed are not the first page.
    pub later_page: bool,
    /// There is more than one page of candidates, so the page shows a pager.
    pub paged: bool,
    /// The link to the next page of candidates, when there is one.
    pub next_page: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
pub struct TeamQuery {
    pub after: Option<String>,
}

/// A background from pale (few below "meets") to deep red (everyone), dark enough text stays
/// readable: the share is written in the cell as well.
fn heat(share: f64) -> String {
    let lightness = 96.0 - 36.0 * share.clamp(0.0, 1.0);
    format!("background: hsl(4, 75%, {lightness:.0}%)")
}

/// A scheduled cycle on the team dashboard: where each direct report is in it.
pub struct CycleSteps {
    pub cycle: String,
    pub reports: Vec<ReportRow>,
}

pub struct ReportRow {
    pub id: String,
    pub name: String,
    pub step: &'static str,
    /// The late steps, in words; empty when none is.
    pub late: String,
}

pub async fn team(
    Acting(state): Acting,
    Path(id): Path<String>,
    Query(query): Query<TeamQuery>,
) -> Result<TeamPage, PageError> {
    let framework = state.app.current_framework().await?;
    let manager = state.app.person(&id).await?;
    let page = rungs_app::candidate_page(query.after.as_deref(), None)?;
    let later_page = page.after.is_some();
    let view = state.app.team(&id, page).await?;
    let cycle_steps = state
        .app
        .report_steps(&manager.id)
        .await?
        .into_iter()
        .map(|(cycle, reports)| CycleSteps {
            cycle: cycle.to_string(),
            reports: reports
                .into_iter()
                .map(|report| ReportRow {
                    late: report
                        .late
                        .iter()
                        .map(|step| step.plural())
                        .collect::<Vec<_>>()
                        .join(", "),
                    id: report.id.to_string(),
                    name: report.name,
                    step: report.step.label(),
                })
                .collect(),
        })
        .collect();
    Ok(TeamPage {
        cycle_steps,
        layout: Layout::of(&state),
        manager: PersonLink::of(&framework, &manager),
        members: view.members,
        assessed: view.assessed,
        ready: view.ready,
        close: view.close,
        later_page,
        paged: later_page || view.next_page.is_some(),
        next_page: view.next_page.as_deref().map(|cursor| {
            format!("/team/{}?after={}", super::encode(manager.id.as_str()), super::encode(cursor))
        }),
        weakest: view
            .weakest
            .iter()
            .map(|weak| {
                let share = f64::from(weak.below_meets) / f64::from(weak.rated.max(1));
                WeakRow {
                    id: weak.expectation.to_string(),
                    text: weak.text.clone(),
                    level: weak.level.to_string(),
                    below: weak.below_meets,
                    rated: weak.rated,
                    percent: (share * 100.0).round() as u32,
                    heat: heat(share),
                }
            })
            .collect(),
        candidates: view
            .candidates
            .iter()
            .map(|candidate| CandidateRow {
                person: PersonLink {
                    id: candidate.person.to_string(),
                    name: candidate.name.clone(),
                    level: framework
                        .level(candidate.level.as_str())
                        .map_or(candidate.level.to_string(), |level| level.title.clone()),
                },
                target: candidate.target_title.clone(),
                verdict: candidate.verdict.as_str(),
                verdict_class: verdict_class(&candidate.verdict),
                met: candidate.met,
                total: candidate.total,
            })
            .collect(),
    })
}
