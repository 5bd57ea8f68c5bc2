//! What the service's own code costs per request, without the network:
//! `GET /healthz` and `POST /v1/screen` with the 1 KB draft of
//! `benches/serve.sh`, sent through the router in-process, one at a time,
//! on a current-thread runtime. Prints the median time per request over
//! rounds, and the heap allocations per request (a counting allocator):
//! the part of a request's cost that the kernel and hyper do not add.
//!
//!     cargo run --release -p xianshen-serve --example handler_cost [REQUESTS]

use axum::body::{to_bytes, Body};
use axum::http::{header, Request};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;
use tower::ServiceExt;
use xianshen_serve::auth::TokenStore;
use xianshen_serve::log::Logger;
use xianshen_serve::policy::ScreenerCell;
use xianshen_serve::routes::router;
use xianshen_serve::state::AppState;
use xianshen_serve::{Limits, PolicySource};

/// The system allocator, counting allocations.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: forwards to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The 1 KB draft of `benches/serve.sh`, as its request body.
fn draft_body() -> String {
    let prose = "根据《中华人民共和国政府信息公开条例》规定，现将我单位二〇二六年度政府信息公开工作情况公告如下。\
                 各部门要高度重视，认真组织实施，确保各项任务落到实处。全年共主动公开政府信息一千二百余条，\
                 办理依申请公开事项八十六件，均在法定期限内答复。";
    let mut text = format!(
        "详情请加微信abc12345咨询，本店出售冰毒。{}",
        prose.repeat(8)
    );
    let mut end = 1024;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    serde_json::json!({"text": text, "title": "年度工作报告", "source": "本单位"}).to_string()
}

fn main() {
    let requests: usize = std::env::args()
        .nth(1)
        .map_or(20_000, |n| n.parse().expect("REQUESTS is a whole number"));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let state = AppState::new(
        ScreenerCell::new(PolicySource::Embedded).expect("the embedded policy"),
        TokenStore::open(),
        Limits::default(),
        Logger::batched(std::io::sink(), xianshen_serve::log::BATCH_INTERVAL),
        None,
    );
    let app = router(state);
    let body = draft_body();
    let healthz = || Request::get("/healthz").body(Body::empty()).unwrap();
    let screen = || {
        Request::post("/v1/screen")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.clone()))
            .unwrap()
    };
    runtime.block_on(async {
        for (name, make) in [
            ("GET /healthz", &healthz as &dyn Fn() -> Request<Body>),
            ("POST /v1/screen 1 KB", &screen),
        ] {
            let mut rounds = Vec::new();
            let mut allocations = 0;
            for _ in 0..7 {
                let before = ALLOCATIONS.load(Ordering::Relaxed);
                let started = Instant::now();
                for _ in 0..requests / 7 {
                    let response = app.clone().oneshot(make()).await.expect("infallible");
                    assert!(response.status().is_success());
                    to_bytes(response.into_body(), usize::MAX).await.expect("a body");
                }
                rounds.push(started.elapsed().as_secs_f64() * 1e6 / (requests / 7) as f64);
                allocations = (ALLOCATIONS.load(Ordering::Relaxed) - before) / (requests / 7) as u64;
            }
            rounds.sort_by(f64::total_cmp);
            println!(
                "{name:22} {:7.2} µs per request (median of 7 rounds; {:.2}–{:.2}), {allocations} allocations",
                rounds[3], rounds[0], rounds[6]
            );
        }
    });
}
