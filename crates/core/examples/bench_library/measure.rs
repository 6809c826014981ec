//! Timing a command over many runs, and writing the result as a figure.

use std::future::Future;
use std::time::Instant;

use serde_json::json;

pub struct Timing {
    pub p95: f64,
    pub p50: f64,
    pub max: f64,
}

/// Runs `run` `iterations` times after a warm-up of up to 20 runs; the percentiles of the timed runs.
pub async fn measure<F, Fut, T>(
    iterations: usize,
    mut run: F,
) -> Result<Timing, calldeck_core::Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, calldeck_core::Error>>,
{
    for _ in 0..iterations.min(20) {
        run().await?;
    }
    let mut ms = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let started = Instant::now();
        let out = run().await?;
        ms.push(started.elapsed().as_secs_f64() * 1000.0);
        drop(out);
    }
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((q * ms.len() as f64).ceil() as usize).clamp(1, ms.len()) - 1];
    Ok(Timing {
        p95: at(0.95),
        p50: at(0.5),
        max: at(1.0),
    })
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// One `{name, value, unit, target, detail}` entry of the figures file (value: the p95).
pub fn figure(name: &str, t: &Timing, target: f64, what: &str, dataset: &str) -> serde_json::Value {
    eprintln!(
        "bench_library: {name:<44} p95 {:>8.3} ms  p50 {:>8.3} ms  max {:>8.3} ms  (target {target} ms)",
        t.p95, t.p50, t.max
    );
    json!({
        "name": name,
        "value": round3(t.p95),
        "unit": "ms",
        "target": target,
        "detail": {
            "p50": round3(t.p50),
            "max": round3(t.max),
            "dataset": dataset,
            "method": what,
        }
    })
}
