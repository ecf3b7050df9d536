use perf_runtime::{Method, User, perf_test};

#[perf_test(load = "normal_load")]
async fn preset(user: &mut User) -> perf_runtime::Result<()> {
    user.get("/health").await?.expect_status(200)?;
    user.think().await;
    Ok(())
}

#[perf_test(
    load(users = 10, ramp_up = "2s", hold = "10s", think = "100ms..300ms"),
    threshold(p95 = "200ms" as "Requirement 9.3", p99 = "<= 1s", mean = "50ms", error_rate = "1%", rps = ">= 100")
)]
async fn closed(user: &mut User) -> perf_runtime::Result<()> {
    let id = user.id();
    user.request(Method::GET, &format!("/items/{id}"))
        .name("GET /items/{id}")
        .header("accept", "application/json")
        .send()
        .await?
        .expect_json("/id", serde_json::json!(id))?;
    Ok(())
}

#[perf_test(load(rate = 50.5, duration = "5s", max_in_flight = 20))]
async fn open(user: &mut User) -> perf_runtime::Result<()> {
    user.post("/echo", "hello").await?.expect_header("content-length", Some("5"))?;
    Ok(())
}

#[perf_test(load(stages = [("5s", 10), ("10s", 10), ("5s", 0)]), regression_threshold = "20%")]
async fn staged(user: &mut User) -> perf_runtime::Result<()> {
    if user.first_iteration() {
        *user.state::<String>() = "token".to_owned();
    }
    user.delete("/session").await?;
    Ok(())
}

#[perf_test(load(rate_stages = [("5s", 100.0), ("5s", 500.0)]), ignore = "spiky")]
async fn spike(user: &mut User) -> perf_runtime::Result<()> {
    user.get("/fast").await.map(|_| ())
}

perf_runtime::main!();
