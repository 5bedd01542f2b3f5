//! A loopback HTTP/1.1 server for verification tests: each venue's test
//! module gives it a handler that checks requests the way the venue
//! documents and answers with the venue's documented shapes.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

/// One request as the server read it.
#[derive(Debug, Clone)]
pub struct Req {
    pub method: String,
    /// Path and query string, as sent.
    pub target: String,
    /// Header names lowercased.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Req {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|h| h.0 == name)
            .map(|h| h.1.as_str())
    }
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap()
    }
    pub fn query(&self) -> &str {
        self.target.split_once('?').map_or("", |q| q.1)
    }
    /// A parameter of the query string (not decoded).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query()
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|kv| kv.0 == name)
            .map(|kv| kv.1)
    }
}

/// A running mock: its base URL, what it saw, and how many requests.
pub struct Mock {
    pub url: String,
    seen: Arc<Mutex<Vec<Req>>>,
    count: Arc<AtomicUsize>,
}

impl Mock {
    pub fn requests(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }
    pub fn last(&self) -> Req {
        self.seen
            .lock()
            .unwrap()
            .last()
            .cloned()
            .expect("a request")
    }
}

/// Serves `handler` (request -> status and JSON body) on 127.0.0.1.
pub fn serve(handler: impl Fn(&Req) -> (u16, String) + Send + Sync + 'static) -> Mock {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let count = Arc::new(AtomicUsize::new(0));
    let (s, c) = (seen.clone(), count.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let Some(req) = read_request(&mut stream) else {
                continue;
            };
            c.fetch_add(1, Ordering::SeqCst);
            let (status, body) = handler(&req);
            s.lock().unwrap().push(req);
            let head = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body.as_bytes());
        }
    });
    Mock { url, seen, count }
}

fn read_request(stream: &mut std::net::TcpStream) -> Option<Req> {
    let mut r = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    r.read_line(&mut line).ok()?;
    let mut it = line.split_whitespace();
    let (method, target) = (it.next()?.to_string(), it.next()?.to_string());
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        r.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':')?;
        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
    }
    let len: usize = headers
        .iter()
        .find(|h| h.0 == "content-length")
        .and_then(|h| h.1.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    r.read_exact(&mut body).ok()?;
    Some(Req {
        method,
        target,
        headers,
        body: String::from_utf8(body).ok()?,
    })
}

/// Whether a Binance-style signed query (`timestamp`, `recvWindow`, default
/// 5000 ms, at most 60000) is fresh now.
pub fn within_recv_window(r: &Req) -> bool {
    let ts: u64 = r
        .param("timestamp")
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    let window: u64 = r
        .param("recvWindow")
        .and_then(|t| t.parse().ok())
        .unwrap_or(5000);
    let now = now_ms();
    window <= 60_000 && ts + window >= now && ts <= now + 1000
}

pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// Lowercase hex.
pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

pub fn b64(b: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(b)
}

pub fn b64_decode(s: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}

/// HMAC (RFC 2104) over hash `D` with block size `block`, written out here
/// from the hash crate so that the mocks do not share the scanner's signing
/// code.
pub fn hmac<D: sha2::Digest>(block: usize, key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut k = if key.len() > block {
        D::digest(key).to_vec()
    } else {
        key.to_vec()
    };
    k.resize(block, 0);
    let ipad: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
    let opad: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
    let inner = D::new().chain_update(&ipad).chain_update(msg).finalize();
    D::new()
        .chain_update(&opad)
        .chain_update(inner)
        .finalize()
        .to_vec()
}

pub fn hmac256(key: &[u8], msg: &[u8]) -> Vec<u8> {
    hmac::<sha2::Sha256>(64, key, msg)
}
pub fn hmac384(key: &[u8], msg: &[u8]) -> Vec<u8> {
    hmac::<sha2::Sha384>(128, key, msg)
}
pub fn hmac512(key: &[u8], msg: &[u8]) -> Vec<u8> {
    hmac::<sha2::Sha512>(128, key, msg)
}

/// A fake credential part of `n` characters from `alphabet`, from `seed`:
/// deterministic, obviously generated.
pub fn fake(seed: &str, n: usize, alphabet: &str) -> String {
    let a = alphabet.as_bytes();
    let mut h = sha2::Sha256::digest(seed.as_bytes()).to_vec();
    let mut out = String::new();
    while out.len() < n {
        for b in &h {
            if out.len() < n {
                out.push(a[*b as usize % a.len()] as char);
            }
        }
        h = sha2::Sha256::digest(&h).to_vec();
    }
    out
}

pub const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
pub const HEX: &str = "0123456789abcdef";

use sha2::Digest as _;
