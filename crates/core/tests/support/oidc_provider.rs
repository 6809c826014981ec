//! The real OpenID provider for tests: `oidc-provider` (npm) configured with Auth0's paths,
//! from tests/oidc/provider.mjs, and the scripted browser tests/oidc/browser.mjs that signs
//! in with no human. Both run under node on 127.0.0.1 and stop with the test.

use std::path::PathBuf;
use std::process::Stdio;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub struct Provider {
    child: Child,
    pub issuer: String,
    pub port: u16,
}

impl Provider {
    /// Starts the provider on `port` (0: any free port).
    pub async fn start(port: u16) -> Self {
        let script = repo_root().join("tests/oidc/provider.mjs");
        let mut child = Command::new("node")
            .arg(script)
            .arg("--port")
            .arg(port.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("node runs tests/oidc/provider.mjs (scripts/bootstrap.sh installs it)");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(std::time::Duration::from_secs(30), lines.next_line())
            .await
            .expect("the provider starts within 30 s")
            .expect("read")
            .expect("the provider prints its address");
        let ready: serde_json::Value = serde_json::from_str(&line).expect("a JSON line");
        Self {
            child,
            issuer: ready["issuer"].as_str().expect("issuer").to_owned(),
            port: u16::try_from(ready["port"].as_u64().expect("port")).expect("port"),
        }
    }

    pub async fn control(&self, path: &str) -> serde_json::Value {
        let response = reqwest::Client::new()
            .post(format!("http://127.0.0.1:{}/__test/{path}", self.port))
            .send()
            .await
            .expect("control request");
        assert!(
            response.status().is_success(),
            "control {path}: {}",
            response.status()
        );
        response.json().await.unwrap_or(serde_json::Value::Null)
    }

    /// Every token request the provider received so far, as its form fields.
    pub async fn token_requests(&self) -> Vec<std::collections::HashMap<String, String>> {
        reqwest::Client::new()
            .get(format!(
                "http://127.0.0.1:{}/__test/token-requests",
                self.port
            ))
            .send()
            .await
            .expect("token requests")
            .json()
            .await
            .expect("token requests as JSON")
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
        let _ = self.child.wait().await;
    }
}

/// Saves sign-in settings naming `issuer` (the tests' client id) from the setup screen.
pub async fn configure(
    data: &std::path::Path,
    issuer: &str,
    ports: &[u16],
    offline_days: Option<u32>,
) {
    calldeck_core::auth::settings::save(
        data,
        calldeck_core::auth::AuthSettings {
            domain: issuer.to_owned(),
            client_id: "calldeck-test".into(),
            audience: None,
            callback_ports: ports.to_vec(),
            offline_days,
        },
    )
    .await
    .expect("save settings");
}

/// The scripted browser, as the app's "open the system browser" callback: it signs in as
/// `login` and follows the redirect to the app's loopback listener.
pub fn browser(login: &str) -> impl FnOnce(&str) -> calldeck_core::Result<()> {
    let login = login.to_owned();
    move |url: &str| {
        let mut child = std::process::Command::new("node")
            .arg(repo_root().join("tests/oidc/browser.mjs"))
            .arg("--login")
            .arg(&login)
            .arg(url)
            .stdin(Stdio::null())
            .spawn()
            .map_err(|e| calldeck_core::Error::Internal(e.to_string()))?;
        std::thread::spawn(move || {
            let _ = child.wait();
        });
        Ok(())
    }
}
