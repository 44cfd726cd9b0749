//! Talking to the LRS: POST a batch of statements, GET statements page by page. One blocking
//! request at a time (the CLI's thread, or a background thread of the app).

use base64::Engine;
use serde_json::Value;

use super::config::LrsConfig;

/// The xAPI version Kefu speaks.
pub const XAPI_VERSION: &str = "1.0.3";

/// Largest answer read from the LRS (a page of statements).
const BODY_LIMIT: u64 = 64 * 1024 * 1024;

/// What the LRS did with a batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Posted {
    /// Stored (200).
    Stored,
    /// Every statement was there already (204).
    AlreadyThere,
    /// Statements with these ids are there with other contents (409): sent before, scored
    /// differently since (the scenario file changed). Nothing of the batch was stored again.
    Differs(String),
    /// The LRS refused the key (401, 403): nothing is wrong with the statements.
    AuthRefused { status: u16, reason: String },
    /// The LRS refused the statements (another 4xx): it will refuse them again.
    Rejected { status: u16, reason: String },
    /// No answer, a timeout or a server error (5xx): try again later.
    Unreachable(String),
}

pub struct Client {
    agent: ureq::Agent,
    endpoint: String,
    auth: String,
}

impl Client {
    pub fn new(cfg: &LrsConfig) -> Client {
        let config = ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(cfg.timeout)).user_agent(concat!("kefu/", env!("CARGO_PKG_VERSION"))).build();
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", cfg.key, cfg.secret));
        Client { agent: ureq::Agent::new_with_config(config), endpoint: cfg.endpoint.clone(), auth: format!("Basic {token}") }
    }

    fn statements_url(&self) -> String {
        format!("{}/statements", self.endpoint)
    }

    /// POST `statements` as one batch (the LRS stores all of them or none).
    pub fn post(&self, statements: &[Value]) -> Posted {
        let body = match serde_json::to_vec(statements) {
            Ok(b) => b,
            Err(e) => return Posted::Rejected { status: 0, reason: e.to_string() },
        };
        let sent = self
            .agent
            .post(&self.statements_url())
            .header("Authorization", &self.auth)
            .header("X-Experience-API-Version", XAPI_VERSION)
            .header("Content-Type", "application/json")
            .send(&body[..]);
        let mut resp = match sent {
            Ok(r) => r,
            Err(e) => return Posted::Unreachable(e.to_string()),
        };
        let status = resp.status().as_u16();
        let mut reason = || crate::fsread::clip(&resp_text(&mut resp));
        match status {
            200..=202 => Posted::Stored,
            204 => Posted::AlreadyThere,
            409 => Posted::Differs(reason()),
            401 | 403 => Posted::AuthRefused { status, reason: reason() },
            408 | 429 => Posted::Unreachable(format!("HTTP {status}")),
            400..=499 => Posted::Rejected { status, reason: reason() },
            _ => Posted::Unreachable(format!("HTTP {status}: {}", reason())),
        }
    }

    /// Every statement matching the query's filters (`[("agent", json)]`), following the LRS's
    /// `more` links.
    pub fn get_all(&self, query: &[(&str, &str)]) -> Result<Vec<Value>, String> {
        let mut out = Vec::new();
        let mut url = format!("{}?limit=500", self.statements_url());
        for (k, v) in query {
            url.push_str(&format!("&{k}={}", super::statement::pct(v)));
        }
        // A page limit, so a misbehaving LRS that always says "more" cannot keep us forever.
        for _ in 0..100_000 {
            let mut resp = self
                .agent
                .get(&url)
                .header("Authorization", &self.auth)
                .header("X-Experience-API-Version", XAPI_VERSION)
                .call()
                .map_err(|e| e.to_string())?;
            let status = resp.status().as_u16();
            let text = resp_text(&mut resp);
            if status != 200 {
                return Err(format!("HTTP {status}: {}", crate::fsread::clip(&text)));
            }
            let page: Value = serde_json::from_str(&text).map_err(|e| format!("not an xAPI answer: {e}"))?;
            if let Some(list) = page.get("statements").and_then(Value::as_array) {
                out.extend(list.iter().cloned());
            }
            match page.get("more").and_then(Value::as_str).filter(|m| !m.is_empty()) {
                Some(more) => url = self.resolve(more),
                None => return Ok(out),
            }
        }
        Err("the LRS kept saying there was more".into())
    }

    /// A `more` link: relative to the server (`/xAPI/statements?…`) or absolute.
    fn resolve(&self, more: &str) -> String {
        if more.starts_with("http://") || more.starts_with("https://") {
            return more.to_string();
        }
        let origin_end = self.endpoint.find("://").map(|i| i + 3).and_then(|i| self.endpoint[i..].find('/').map(|j| i + j)).unwrap_or(self.endpoint.len());
        format!("{}{more}", &self.endpoint[..origin_end])
    }
}

fn resp_text(resp: &mut ureq::http::Response<ureq::Body>) -> String {
    resp.body_mut().with_config().limit(BODY_LIMIT).read_to_string().unwrap_or_else(|e| format!("(unreadable answer: {e})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(endpoint: &str) -> Client {
        let cfg = LrsConfig {
            endpoint: endpoint.into(),
            key: "k".into(),
            secret: "s".into(),
            home_page: "https://s.example".into(),
            class: None,
            outbox: "o".into(),
            timeout: std::time::Duration::from_secs(1),
            source: String::new(),
        };
        Client::new(&cfg)
    }

    #[test]
    fn more_links_resolve_against_the_server() {
        let c = client("http://127.0.0.1:8100/xAPI");
        assert_eq!(c.resolve("/xAPI/statements?pit_id=x"), "http://127.0.0.1:8100/xAPI/statements?pit_id=x");
        assert_eq!(c.resolve("https://other/x"), "https://other/x");
        assert_eq!(client("http://h:1").resolve("/a"), "http://h:1/a");
    }

    #[test]
    fn nobody_listening_is_unreachable() {
        // Port 9 (discard) on loopback: nothing listens in a test sandbox.
        assert!(matches!(client("http://127.0.0.1:9/xAPI").post(&[]), Posted::Unreachable(_)));
    }
}
