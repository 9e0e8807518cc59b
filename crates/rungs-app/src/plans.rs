//! Growth plans: focus expectations from the gaps, actions with owners and due dates, and
//! progress against the expectations they target.

use jiff::civil::Date;
use rungs_core::assess::{
    ActionId, ActionStatus, GrowthPlan, PlanAction, PlanError, PlanProgress, Readiness,
    check_action_text, check_focus, suggest_focus,
};
use rungs_store::{Change, Key, Records};

use crate::audit::Audit;
use crate::standing::target_level;
use crate::{App, AppError};

impl App {
    /// Creates a plan towards `target` (the next level by default) focused on `focus`, or,
    /// when no focus is given, on up to `from_gaps` of the gaps readiness shows.
    pub async fn create_plan(
        &self,
        person: &str,
        target: Option<&str>,
        focus: &[String],
        from_gaps: usize,
    ) -> Result<GrowthPlan, AppError> {
        let person = self.person(person).await?;
        let framework = self.current_framework().await?;
        let target = target_level(&framework, &person, target)?;
        let focus = if focus.is_empty() {
            let record = self.record(&person.id).await?;
            suggest_focus(
                framework.rating_scale(),
                &Readiness::evaluate(&framework, target, &record),
                from_gaps,
            )
        } else {
            check_focus(target, focus)?
        };
        if focus.is_empty() {
            return Err(PlanError::NoFocus.into());
        }
        let mut changes = vec![Change::CreatePlan {
            subject: person.id.clone(),
            target_level: target.id.clone(),
            at: self.now(),
        }];
        changes.extend(
            focus
                .into_iter()
                .map(|expectation| Change::AddFocus { plan: Key::Change(0), expectation }),
        );
        let audit = Audit::new("plan.create", format!("growth plan of {}", person.id))
            .person(&person.id)
            .after(serde_json::json!({
                "target": target.id.as_str(),
                "focus": changes.iter().filter_map(|change| match change {
                    Change::AddFocus { expectation, .. } => Some(expectation.as_str()),
                    _ => None,
                }).collect::<Vec<_>>(),
            }));
        self.write(changes, audit).await?;
        self.plan(person.id.as_str())
            .await?
            .map(|(plan, _)| plan)
            .ok_or_else(|| AppError::Conflict("the plan was not created".to_owned()))
    }

    /// A person's current (latest) plan and its progress.
    pub async fn plan(&self, person: &str) -> Result<Option<(GrowthPlan, PlanProgress)>, AppError> {
        let person = self.person(person).await?;
        let Some(plan) = self.store.growth_plans(&person.id).await?.pop() else {
            return Ok(None);
        };
        let framework = self.current_framework().await?;
        let target = target_level(&framework, &person, Some(plan.target_level.as_str()))?;
        let record = self.record(&person.id).await?;
        let readiness = Readiness::evaluate(&framework, target, &record);
        let progress = PlanProgress::of(&plan, &readiness, self.today());
        Ok(Some((plan, progress)))
    }

    /// Adds an action towards one focus expectation of a person's current plan.
    pub async fn add_action(
        &self,
        person: &str,
        expectation: &str,
        text: &str,
        owner: &str,
        due: Date,
    ) -> Result<PlanAction, AppError> {
        let Some((plan, _)) = self.plan(person).await? else {
            return Err(AppError::not_found("growth plan for", person));
        };
        let expectation = plan.check_action_target(expectation)?;
        let text = check_action_text(text)?;
        let owner = self.person(owner).await?;
        let audit = Audit::new("plan.action", format!("growth plan {}", plan.id))
            .person(&plan.subject)
            .after(serde_json::json!({
                "expectation": expectation.as_str(),
                "text": text,
                "owner": owner.id.as_str(),
                "due": due.to_string(),
            }));
        let keys = self
            .write(
                vec![Change::AddAction {
                    plan: plan.id.into(),
                    expectation: expectation.clone(),
                    text: text.clone(),
                    owner: owner.id.clone(),
                    due,
                }],
                audit,
            )
            .await?;
        let id = crate::batch_keys::created_key(&keys, 0, "action")?;
        Ok(PlanAction {
            id: ActionId::new(id),
            expectation,
            text,
            owner: owner.id,
            due,
            status: ActionStatus::Planned,
        })
    }

    /// Adds focus expectations (of the plan's target level) to a person's current plan.
    pub async fn add_focus(&self, person: &str, focus: &[String]) -> Result<GrowthPlan, AppError> {
        let Some((plan, _)) = self.plan(person).await? else {
            return Err(AppError::not_found("growth plan for", person));
        };
        let framework = self.current_framework().await?;
        let person = self.person(person).await?;
        let target = target_level(&framework, &person, Some(plan.target_level.as_str()))?;
        let changes: Vec<Change> = check_focus(target, focus)?
            .into_iter()
            .filter(|expectation| !plan.focus.contains(expectation))
            .map(|expectation| Change::AddFocus { plan: plan.id.into(), expectation })
            .collect();
        let audit = Audit::new("plan.focus", format!("growth plan {}", plan.id))
            .person(&person.id)
            .before(serde_json::json!({ "focus": plan.focus.iter().map(|id| id.as_str()).collect::<Vec<_>>() }))
            .after(serde_json::json!({ "added": changes.iter().filter_map(|change| match change {
                Change::AddFocus { expectation, .. } => Some(expectation.as_str()),
                _ => None,
            }).collect::<Vec<_>>() }));
        self.write(changes, audit).await?;
        self.plan(person.id.as_str())
            .await?
            .map(|(plan, _)| plan)
            .ok_or_else(|| AppError::not_found("growth plan for", person.id.as_str()))
    }

    /// Moves an action to a new status.
    pub async fn set_action_status(
        &self,
        action: ActionId,
        status: ActionStatus,
    ) -> Result<(), AppError> {
        let Some(subject) = self.store.action_subject(action).await? else {
            return Err(AppError::not_found("action", action.to_string()));
        };
        let audit = Audit::new("plan.action-status", format!("action {action}"))
            .person(&subject)
            .after(serde_json::json!({ "status": status.as_str() }));
        self.write(vec![Change::SetActionStatus { action, status }], audit).await?;
        Ok(())
    }
}
