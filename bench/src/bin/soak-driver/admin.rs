//! The emulator's admin routes the load uses: adding and clearing injected faults.

use serde_json::Value;

pub struct Admin {
    http: reqwest::Client,
    faults_url: String,
}

impl Admin {
    pub fn new(endpoint: &str) -> Self {
        Self {
            http: reqwest::Client::new(),
            faults_url: format!("{}/_emulator/faults", endpoint.trim_end_matches('/')),
        }
    }

    /// Adds one fault, e.g. `{"kind": "delay", "delay_ms": 300, "action": "..."}`.
    pub async fn add_fault(&self, fault: &Value) -> Result<(), String> {
        let response = self.http.post(&self.faults_url).json(fault).send().await;
        Self::check(response, "add a fault")
    }

    /// Removes every pending fault, such as one a cancelled call never reached.
    pub async fn clear_faults(&self) -> Result<(), String> {
        let response = self.http.delete(&self.faults_url).send().await;
        Self::check(response, "clear the faults")
    }

    fn check(response: reqwest::Result<reqwest::Response>, what: &str) -> Result<(), String> {
        let response = response.map_err(|e| format!("cannot {what}: {e}"))?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(format!("cannot {what}: HTTP {}", response.status()))
        }
    }
}
