//! The transport of verification requests: HTTPS only (plain HTTP only to a
//! loopback test endpoint), certificates checked against the bundled Mozilla
//! roots, no redirects, timeouts, and a cap on the answer's size.

use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

/// A signed request, relative to the venue's base URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: Method,
    /// Path and query string, as signed.
    pub path: String,
    pub headers: Vec<(String, String)>,
    /// The body, as signed (empty for none).
    pub body: String,
}

impl Request {
    pub fn get(path: impl Into<String>) -> Request {
        Request {
            method: Method::Get,
            path: path.into(),
            headers: Vec::new(),
            body: String::new(),
        }
    }

    pub fn post(path: impl Into<String>, body: impl Into<String>) -> Request {
        Request {
            method: Method::Post,
            path: path.into(),
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Request {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    /// The value of header `name` (case-insensitive).
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.0.eq_ignore_ascii_case(name))
            .map(|h| h.1.as_str())
    }
}

/// A venue's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub body: String,
}

impl Response {
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_str(&self.body).ok()
    }
}

/// Answers larger than this are not read.
const MAX_BODY: u64 = 1 << 20;

pub(super) struct Client {
    agent: ureq::Agent,
}

impl Client {
    /// `loopback_tests` allows plain HTTP (the test-only endpoints, which
    /// are checked to be loopback addresses before this is called).
    pub(super) fn new(loopback_tests: bool) -> Client {
        let config = ureq::Agent::config_builder()
            .https_only(!loopback_tests)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(5)))
            .timeout_global(Some(Duration::from_secs(15)))
            .user_agent(concat!("tradesecrets/", env!("CARGO_PKG_VERSION")))
            .build();
        Client {
            agent: config.into(),
        }
    }

    pub(super) fn send(&self, base: &str, req: &Request) -> Result<Response, String> {
        let url = format!("{base}{}", req.path);
        let result = match req.method {
            Method::Get => {
                let mut r = self.agent.get(&url);
                for (k, v) in &req.headers {
                    r = r.header(k, v);
                }
                r.call()
            }
            Method::Post => {
                let mut r = self.agent.post(&url);
                for (k, v) in &req.headers {
                    r = r.header(k, v);
                }
                r.send(req.body.as_bytes())
            }
        };
        // ureq's errors name the host and the failure, never the headers.
        let mut resp = result.map_err(|e| format!("request failed: {e}"))?;
        let status = resp.status().as_u16();
        let body = resp
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_string()
            .map_err(|e| format!("reading the answer failed: {e}"))?;
        Ok(Response { status, body })
    }
}
