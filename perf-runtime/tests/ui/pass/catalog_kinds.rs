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

perf_runtime::main!();
