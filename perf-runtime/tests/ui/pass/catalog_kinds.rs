use perf_runtime::{User, perf_test};

#[perf_test(
    stress(users = [1, 2, 4], step = "1s", think = "1ms"),
    threshold(p95 = "50ms", breaking_point = ">= 2")
)]
async fn stress(user: &mut User) -> perf_runtime::Result<()> {
    user.get("/").await?;
    Ok(())
}

#[perf_test(scalability(users = [1, 2, 4]), threshold(efficiency = ">= 70%"))]
async fn scalability(user: &mut User) -> perf_runtime::Result<()> {
    user.get("/").await?;
    Ok(())
}

#[perf_test(volume(sizes = ["1KB", "1MB"], users = 2, step = "500ms"))]
async fn volume(user: &mut User) -> perf_runtime::Result<()> {
    let body = vec![b'x'; usize::try_from(user.level()).unwrap_or(0)];
    user.post("/echo", body).await?;
    Ok(())
}

#[perf_test(pagination(pages = [1, 10, 100]), threshold(growth = "<= 0.3"))]
async fn pagination(user: &mut User) -> perf_runtime::Result<()> {
    let page = user.level();
    user.get(&format!("/items?page={page}")).await?;
    Ok(())
}

#[perf_test(spike(users = 2, spike_users = 20, after = "4s", window = "250ms", tolerance = "30%"))]
async fn spike(user: &mut User) -> perf_runtime::Result<()> {
    user.get("/").await?;
    Ok(())
}

#[perf_test(response_time(requests = 50), threshold(p95 = "20ms"))]
async fn response_time(user: &mut User) -> perf_runtime::Result<()> {
    user.get("/").await?;
    Ok(())
}

#[perf_test(soak(users = 4, hold = "10m", warm_up = "1m"), threshold(rss_growth = "<= 4KB/s"))]
async fn soak(user: &mut User) -> perf_runtime::Result<()> {
    user.get("/").await?;
    Ok(())
}

#[perf_test(rate_limit(limit = 100, over = 1.5, step = "2s"), threshold(admitted = "<= 110%"))]
async fn rate_limit(user: &mut User) -> perf_runtime::Result<()> {
    user.get("/").await?;
    Ok(())
}

#[perf_test(caching(keys = 10, users = 2), threshold(speedup = ">= 5", revalidated = ">= 100%"))]
async fn caching(user: &mut User) -> perf_runtime::Result<()> {
    let key = user.key();
    user.get(&format!("/items/{key}")).await?;
    Ok(())
}

#[perf_test(n_plus_one(sizes = [10, 100], metric = "db_queries_total", metrics_path = "/admin/metrics"))]
async fn n_plus_one(user: &mut User) -> perf_runtime::Result<()> {
    let size = user.level();
    user.get(&format!("/orders?size={size}")).await?;
    Ok(())
}

#[perf_test(pool(users = [4, 8, 16]), threshold(knee = ">= 8"))]
async fn pool(user: &mut User) -> perf_runtime::Result<()> {
    user.get("/").await?;
    Ok(())
}

#[perf_test(timeout(after = "250ms", probe = "/health"))]
async fn timeout(user: &mut User) -> perf_runtime::Result<()> {
    user.get("/").await?;
    Ok(())
}

#[perf_test(search(queries = ["a", "b c", "d*"], think = "10ms"), threshold(slowest = "50ms"))]
async fn search(user: &mut User) -> perf_runtime::Result<()> {
    let path = format!("/search?q={}", user.query());
    user.get(&path).await?;
    Ok(())
}

#[perf_test(websocket(connections = [1, 8, 32], think = "10ms..30ms"), threshold(connected = ">= 100%"))]
async fn websocket(user: &mut User) -> perf_runtime::Result<()> {
    user.get("/").await?;
    Ok(())
}

perf_runtime::main!();
