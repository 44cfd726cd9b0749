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
    /// The endpoint redirects (3xx, e.g. http → https, a login portal): not followed, since a
    /// redirect drops the key and may land on a page that answers 200 to anything.
    Redirected { status: u16, to: String },
    /// A 200 that is not an LRS's answer (a campus network's login page): nothing was stored.
    NotAnLrs(String),
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
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .timeout_global(Some(cfg.timeout))
            .user_agent(concat!("kefu/", env!("CARGO_PKG_VERSION")))
            .build();
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
            // An LRS answers a POST with the list of the ids it stored.
            200 => match resp.body_mut().with_config().limit(BODY_LIMIT).read_to_string() {
                // Cut off mid-answer: the network, not the LRS (sent again, it is found there).
                Err(e) => Posted::Unreachable(e.to_string()),
                Ok(body) => match serde_json::from_str::<Vec<String>>(&body) {
                    Ok(_) => Posted::Stored,
                    Err(_) => Posted::NotAnLrs(format!("HTTP {status}")),
                },
            },
            201 | 202 => Posted::Stored,
            300..=399 => Posted::Redirected { status, to: resp.headers().get("location").and_then(|v| v.to_str().ok()).map(crate::fsread::clip).unwrap_or_default() },
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
                Some(more) => url = self.resolve(more).ok_or_else(|| format!("the LRS's next page is on another server ({}): not followed", crate::fsread::clip(more)))?,
                None => return Ok(out),
            }
        }
        Err("the LRS kept saying there was more".into())
    }

    /// A `more` link: relative to the server (`/xAPI/statements?…`) or absolute.
    fn resolve(&self, more: &str) -> Option<String> {
        let origin_end = self.endpoint.find("://").map(|i| i + 3).and_then(|i| self.endpoint[i..].find('/').map(|j| i + j)).unwrap_or(self.endpoint.len());
        let origin = &self.endpoint[..origin_end];
        if more.starts_with("http://") || more.starts_with("https://") {
            // The key goes only to the LRS's own server.
            return more.strip_prefix(origin).filter(|rest| rest.starts_with('/')).map(|_| more.to_string());
        }
        more.starts_with('/').then(|| format!("{origin}{more}"))
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
        assert_eq!(c.resolve("/xAPI/statements?pit_id=x").as_deref(), Some("http://127.0.0.1:8100/xAPI/statements?pit_id=x"));
        assert_eq!(c.resolve("http://127.0.0.1:8100/xAPI/statements?p=2").as_deref(), Some("http://127.0.0.1:8100/xAPI/statements?p=2"));
        assert_eq!(c.resolve("https://other/x"), None, "the key never goes to another server");
        assert_eq!(c.resolve("http://127.0.0.1:81000/x"), None);
        assert_eq!(client("http://h:1").resolve("/a").as_deref(), Some("http://h:1/a"));
    }

    /// A one-shot HTTP server on loopback that answers `reply` to the first request.
    fn answering(reply: String) -> String {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        std::thread::spawn(move || {
            if let Ok((mut conn, _)) = listener.accept() {
                let mut buf = [0u8; 65536];
                let _ = conn.read(&mut buf);
                let _ = conn.write_all(reply.as_bytes());
            }
        });
        format!("http://127.0.0.1:{port}/xAPI")
    }

    #[test]
    fn a_redirect_or_a_login_page_is_not_stored() {
        let ok = |kind: &str, body: &str| format!("HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\r\n{body}", body.len());
        let c = client(&answering("HTTP/1.1 302 Found\r\nLocation: https://login.campus.example/\r\nContent-Length: 0\r\n\r\n".into()));
        assert_eq!(c.post(&[]), Posted::Redirected { status: 302, to: "https://login.campus.example/".into() });
        let c = client(&answering(ok("text/html", "<html>请先登录校园网</html>")));
        assert_eq!(c.post(&[]), Posted::NotAnLrs("HTTP 200".into()));
        let c = client(&answering(ok("application/json", "[\"a\"]")));
        assert_eq!(c.post(&[]), Posted::Stored);
    }

    #[test]
    fn nobody_listening_is_unreachable() {
        // Port 9 (discard) on loopback: nothing listens in a test sandbox.
        assert!(matches!(client("http://127.0.0.1:9/xAPI").post(&[]), Posted::Unreachable(_)));
    }
}
