//! The route table and the router built from it.
//!
//! The router is built from [`ROUTES`] and nothing else, so a test that
//! holds [`ROUTES`] to the OpenAPI document holds the router to it.

use crate::handlers;
use crate::middleware;
use crate::state::AppState;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;

/// The OpenAPI 3.1 document of [`ROUTES`], as committed
/// (`crates/xianshen-serve/openapi.json`), served at `GET /v1/openapi.json`.
pub const OPENAPI_JSON: &str = include_str!("../openapi.json");

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone (health probes, the API document).
    Open,
    /// A client or admin token (when tokens are configured).
    Client,
    /// An admin token (when tokens are configured).
    Admin,
}

/// One route of the service.
#[derive(Clone, Copy, Debug)]
pub struct Route {
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path.
    pub path: &'static str,
    /// Who may call it.
    pub access: Access,
    /// Whether it counts against the concurrency limit.
    pub limited: bool,
    handler: fn() -> MethodRouter<AppState>,
}

/// Every route the service answers.
pub static ROUTES: [Route; 8] = [
    Route {
        method: "POST",
        path: "/v1/screen",
        access: Access::Client,
        limited: true,
        handler: || post(handlers::screen),
    },
    Route {
        method: "POST",
        path: "/v1/screen/batch",
        access: Access::Client,
        limited: true,
        handler: || post(handlers::screen_batch),
    },
    Route {
        method: "GET",
        path: "/v1/policy",
        access: Access::Client,
        limited: true,
        handler: || get(handlers::policy),
    },
    Route {
        method: "POST",
        path: "/v1/admin/reload",
        access: Access::Admin,
        limited: true,
        handler: || post(handlers::reload),
    },
    Route {
        method: "GET",
        path: "/v1/openapi.json",
        access: Access::Open,
        limited: true,
        handler: || get(handlers::openapi),
    },
    Route {
        method: "GET",
        path: "/healthz",
        access: Access::Open,
        limited: false,
        handler: || get(handlers::healthz),
    },
    Route {
        method: "GET",
        path: "/readyz",
        access: Access::Open,
        limited: false,
        handler: || get(handlers::readyz),
    },
    Route {
        method: "GET",
        path: "/metrics",
        access: Access::Client,
        limited: true,
        handler: || get(handlers::metrics),
    },
];

/// The route at `path`, if any.
pub fn route_for(path: &str) -> Option<&'static Route> {
    ROUTES.iter().find(|r| r.path == path)
}

/// The service's router: every route of [`ROUTES`], JSON 404 and 405,
/// and the layers (outermost first): observe (request id, metrics, JSON
/// errors), catch panics (500), then, on matched routes, the concurrency
/// gate, the timeout and authentication.
pub fn router(state: AppState) -> Router {
    let mut router = Router::new();
    for route in &ROUTES {
        router = router.route(route.path, (route.handler)());
    }
    router
        .route_layer(from_fn_with_state(state.clone(), middleware::authorize))
        .route_layer(from_fn_with_state(state.clone(), middleware::timeout))
        .route_layer(from_fn_with_state(
            state.clone(),
            middleware::limit_concurrency,
        ))
        .route_layer(from_fn(middleware::tag_route))
        .fallback(handlers::not_found)
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .layer(CatchPanicLayer::new())
        .layer(from_fn_with_state(state.clone(), middleware::observe))
        .with_state(state)
}
