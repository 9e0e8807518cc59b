//! Every route the app serves, in one table: method, path, handler and who may use it. The
//! router (`routes.rs`) is built from it, the guard looks each request's route up in it, the
//! OpenAPI test checks the API part of it against the document, and access rules key on each
//! route's owner.
//!
//! The table is a macro, [`every_route`], that hands its rows to another: handlers are named
//! here but resolved where the rows are expanded into a router, so this file depends on no
//! handler and the guard can read the table without depending on what it guards.

use rungs_app::Target;
use rungs_core::access::Rule;

/// Who may use a route: the access rule, and which record its `{id}` names. The one guard
/// every request goes through (`auth::guard`) reads it; a route cannot exist without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not: health checks, static files, the API document, signing in.
    Public,
    /// Any signed-in account or token: the ladder, their own account.
    SignedIn,
    /// The person `{id}`: themselves, their managers, `hr`, `admin`.
    Person,
    /// The subject of the plan action `{id}`, as for [`Access::Person`].
    Action,
    /// Reading the assessment `{id}`.
    ReadAssessment,
    /// Changing the assessment `{id}`: its author.
    WriteAssessment,
    /// Agreeing ratings on the manager assessment `{id}`.
    AgreeAssessment,
    /// Acknowledging the outcome agreed for the person `{id}`: that person only.
    Acknowledge,
    /// The whole org and its cycles: `hr`, `admin`.
    Org,
    /// Accounts, tokens, frameworks, imports, the audit log: `admin`.
    Admin,
    /// The SCIM endpoints a directory keeps the org chart current through: `scim` tokens.
    Directory,
}

impl Access {
    pub fn rule(self) -> Rule {
        match self {
            Access::Public => Rule::Public,
            Access::SignedIn => Rule::SignedIn,
            Access::Person | Access::Action => Rule::Person,
            Access::ReadAssessment => Rule::ReadAssessment,
            Access::WriteAssessment => Rule::WriteAssessment,
            Access::AgreeAssessment => Rule::AgreeAssessment,
            Access::Acknowledge => Rule::AcknowledgeOutcome,
            Access::Org => Rule::Org,
            Access::Admin => Rule::Admin,
            Access::Directory => Rule::Directory,
        }
    }

    /// The record the path parameter `id` names.
    pub fn target(self, id: &str) -> Target<'_> {
        match self {
            Access::Person => Target::Person(id),
            Access::Acknowledge => Target::Themselves(id),
            Access::Action => Target::Action(id),
            Access::ReadAssessment | Access::WriteAssessment | Access::AgreeAssessment => {
                Target::Assessment(id)
            }
            Access::Public | Access::SignedIn | Access::Org | Access::Admin | Access::Directory => {
                Target::Nothing
            }
        }
    }
}

/// One route: method, path (axum syntax, `{id}` for parameters) and who may use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

impl Route {
    /// The route a request matched, by method and matched path. `HEAD` is served (and
    /// guarded) as `GET`, as axum does.
    pub fn find(method: &str, path: &str) -> Option<&'static Route> {
        let method = if method.eq_ignore_ascii_case("HEAD") { "GET" } else { method };
        ROUTES.iter().find(|route| route.path == path && route.method.eq_ignore_ascii_case(method))
    }

    pub fn is_api(&self) -> bool {
        self.path.starts_with("/api/")
    }

    /// A SCIM endpoint, which answers in SCIM's own error shape.
    pub fn is_scim(&self) -> bool {
        self.path.starts_with("/scim/")
    }
}

/// The largest request body accepted: a framework file or an org CSV of about 100,000 people.
pub const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// Passes every route to `$then!` as `METHOD "PATH" => HANDLER, ACCESS;` rows. Handlers are
/// paths from the crate root's `api`, `auth`, `openapi`, `pages` and `scim` modules.
macro_rules! every_route {
    ($then:ident) => {
        $then! {
        get "/healthz" => pages::health, Public;
        get "/static/style.css" => pages::style, Public;
        get "/static/app.js" => pages::script, Public;
        get "/api/openapi.json" => openapi::document, Public;

        get "/sign-in" => pages::account::sign_in_form, Public;
        post "/sign-in" => pages::account::sign_in, Public;
        get "/setup" => pages::account::setup_form, Public;
        post "/setup" => pages::account::setup, Public;
        get "/auth/oidc/start" => auth::oidc::start, Public;
        get "/auth/oidc/callback" => auth::oidc::callback, Public;
        post "/sign-out" => pages::account::sign_out, SignedIn;
        get "/account" => pages::account::show, SignedIn;
        post "/account/password" => pages::account::change_password, SignedIn;
        post "/account/mail" => pages::account::set_mail, SignedIn;

        get "/" => pages::tasks::home, SignedIn;
        get "/tasks/open" => pages::tasks::open_task, SignedIn;
        get "/ladder" => pages::ladder::home, SignedIn;
        get "/levels/{id}" => pages::ladder::level, SignedIn;
        get "/compare" => pages::ladder::compare, SignedIn;
        get "/growth-areas/{id}" => pages::ladder::growth_area, SignedIn;

        get "/people" => pages::people_search::find, SignedIn;
        get "/people/{id}" => pages::person::show, Person;
        get "/people/{id}/compare" => pages::assessment::side_by_side, Person;
        post "/people/{id}/assessments" => pages::assessment::create, Person;
        post "/people/{id}/plan" => pages::person::create_plan, Person;
        post "/people/{id}/plan/actions" => pages::person::add_action, Person;
        post "/people/{id}/acknowledge" => pages::acknowledge::acknowledge, Acknowledge;
        get "/people/{id}/peers" => pages::peers::show, Person;
        post "/people/{id}/peers" => pages::peers::nominate, Person;
        post "/people/{id}/peers/decision" => pages::peers::decide, Person;
        post "/people/{id}/peers/withdraw" => pages::peers::withdraw, Person;
        get "/team/{id}" => pages::org::team, Person;
        get "/assessments/{id}" => pages::assessment::show, ReadAssessment;
        post "/assessments/{id}" => pages::assessment::save, WriteAssessment;
        post "/assessments/{id}/agree" => pages::assessment::agree, AgreeAssessment;
        post "/assessments/{id}/revise" => pages::assessment::revise, WriteAssessment;
        post "/assessments/{id}/decline" => pages::peers::decline, WriteAssessment;
        post "/actions/{id}/status" => pages::person::action_status, Action;

        get "/org" => pages::org::tree, Org;
        get "/admin" => pages::admin::show, Org;
        post "/admin/cycles" => pages::admin::open_cycle, Org;
        post "/admin/cycles/{name}/close" => pages::admin::close_cycle, Org;
        get "/admin/cycles/{name}" => pages::cycles::show, Org;
        get "/admin/cycles/{name}/progress.csv" => pages::cycles::progress_csv, Org;
        post "/admin/cycles/{name}/plan" => pages::cycles::replan, Org;
        post "/admin/cycles/{name}/participants" => pages::cycles::change_participant, Org;
        post "/admin/org" => pages::org_import::preview, Admin;
        post "/admin/org/confirm" => pages::org_import::confirm, Admin;
        post "/admin/org/cancel" => pages::org_import::cancel, Admin;
        post "/admin/mappings" => pages::import_mappings::save, Admin;
        post "/admin/mappings/remove" => pages::import_mappings::remove, Admin;
        post "/admin/framework" => pages::admin::use_framework, Admin;
        get "/admin/accounts" => pages::accounts::show, Admin;
        post "/admin/accounts" => pages::accounts::add, Admin;
        post "/admin/accounts/remove" => pages::accounts::remove, Admin;
        post "/admin/accounts/role" => pages::accounts::set_role, Admin;
        post "/admin/tokens" => pages::accounts::create_token, Admin;
        post "/admin/tokens/{id}/revoke" => pages::accounts::revoke_token, Admin;
        get "/admin/audit" => pages::accounts::audit, Admin;
        get "/admin/mail" => pages::mail::show, Admin;

        get "/api/v1/me" => api::account::me, SignedIn;
        get "/api/v1/audit" => api::account::audit, Admin;

        get "/api/v1/framework" => api::framework::show, SignedIn;
        post "/api/v1/framework" => api::framework::activate, Admin;
        get "/api/v1/levels/{id}" => api::framework::level, SignedIn;
        get "/api/v1/compare" => api::framework::compare, SignedIn;
        get "/api/v1/growth-areas/{id}" => api::framework::growth_area, SignedIn;

        get "/api/v1/people" => api::people::search, SignedIn;
        get "/api/v1/people/{id}" => api::people::show, Person;
        get "/api/v1/people/{id}/readiness" => api::people::readiness, Person;
        get "/api/v1/people/{id}/history" => api::people::history, Person;
        get "/api/v1/people/{id}/team" => api::people::team, Person;
        get "/api/v1/people/{id}/compare" => api::people::side_by_side, Person;
        get "/api/v1/people/{id}/plan" => api::people::plan, Person;
        post "/api/v1/people/{id}/plan" => api::people::create_plan, Person;
        post "/api/v1/people/{id}/plan/focus" => api::people::add_focus, Person;
        post "/api/v1/people/{id}/plan/actions" => api::people::add_action, Person;
        post "/api/v1/actions/{id}/status" => api::people::action_status, Action;
        get "/api/v1/people/{id}/outcomes" => api::outcomes::outcomes, Person;
        post "/api/v1/people/{id}/acknowledgements" => api::outcomes::acknowledge, Acknowledge;
        get "/api/v1/people/{id}/nominations" => api::nominations::list, Person;
        post "/api/v1/people/{id}/nominations" => api::nominations::nominate, Person;
        post "/api/v1/people/{id}/nominations/decision" => api::nominations::decide, Person;
        post "/api/v1/people/{id}/nominations/withdrawal" => api::nominations::withdraw, Person;
        post "/api/v1/assessments/{id}/decline" => api::nominations::decline, WriteAssessment;

        get "/api/v1/me/tasks" => api::cycles::my_tasks, SignedIn;
        get "/api/v1/cycles" => api::cycles::cycles, SignedIn;
        post "/api/v1/cycles" => api::cycles::open_cycle, Org;
        get "/api/v1/cycles/{name}" => api::cycles::show, Org;
        patch "/api/v1/cycles/{name}/plan" => api::cycles::replan, Org;
        get "/api/v1/cycles/{name}/participants" => api::cycles::participants, Org;
        get "/api/v1/cycles/{name}/progress" => api::cycles::progress, Org;
        post "/api/v1/cycles/{name}/close" => api::cycles::close_cycle, Org;
        get "/api/v1/assessments" => api::assessments::list, Org;
        post "/api/v1/people/{id}/assessments" => api::assessments::create, Person;
        get "/api/v1/assessments/{id}" => api::assessments::show, ReadAssessment;
        post "/api/v1/assessments/{id}/ratings" => api::assessments::rate, WriteAssessment;
        post "/api/v1/assessments/{id}/evidence" => api::assessments::evidence, WriteAssessment;
        post "/api/v1/assessments/{id}/submit" => api::assessments::submit, WriteAssessment;
        post "/api/v1/assessments/{id}/revise" => api::assessments::revise, WriteAssessment;
        post "/api/v1/assessments/{id}/agree" => api::assessments::agree, AgreeAssessment;

        get "/api/v1/org/stats" => api::org::stats, Org;
        get "/api/v1/org/check" => api::org::check, Org;
        post "/api/v1/org/import" => api::org::import, Admin;
        get "/api/v1/org/mappings" => api::org_mappings::list, Admin;
        get "/api/v1/org/mappings/{name}" => api::org_mappings::show, Admin;
        put "/api/v1/org/mappings/{name}" => api::org_mappings::save, Admin;
        delete "/api/v1/org/mappings/{name}" => api::org_mappings::remove, Admin;

        get "/scim/v2/ServiceProviderConfig" => scim::service_provider_config, Directory;
        get "/scim/v2/ResourceTypes" => scim::resource_types, Directory;
        get "/scim/v2/ResourceTypes/{id}" => scim::resource_type, Directory;
        get "/scim/v2/Schemas" => scim::schemas, Directory;
        get "/scim/v2/Schemas/{id}" => scim::schema, Directory;
        get "/scim/v2/Users" => scim::list_users, Directory;
        post "/scim/v2/Users" => scim::create_user, Directory;
        post "/scim/v2/Users/.search" => scim::search_users, Directory;
        post "/scim/v2/.search" => scim::search_everything, Directory;
        get "/scim/v2/Users/{id}" => scim::get_user, Directory;
        put "/scim/v2/Users/{id}" => scim::replace_user, Directory;
        patch "/scim/v2/Users/{id}" => scim::patch_user, Directory;
        delete "/scim/v2/Users/{id}" => scim::delete_user, Directory;        }
    };
}
pub(crate) use every_route;

macro_rules! route_list {
    ($($method:ident $path:literal => $handler:path, $owner:ident;)*) => {
        /// Every route the app serves.
        pub const ROUTES: &[Route] = &[
            $(Route { method: stringify!($method), path: $path, access: Access::$owner },)*
        ];
    };
}
every_route!(route_list);
