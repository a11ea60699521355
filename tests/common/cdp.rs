//! A minimal Chrome DevTools Protocol client, enough for a test to drive
//! headless Chromium like a user: press keys, then read the page's state.
//!
//! Chromium is started with `--remote-debugging-port=0`; it prints the port
//! it chose. The page's debugging WebSocket is found through `/json/list`;
//! commands are JSON text frames (RFC 6455, client frames masked), answered
//! by the message with the same `id` (events in between are skipped).
#![allow(dead_code)]

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A watchdog against a hung browser or socket, not a speed check: the steps
/// take milliseconds, a loaded machine may take seconds.
pub const WATCHDOG: Duration = Duration::from_secs(600);

/// A headless Chromium showing one page, with a debugging connection to it.
/// The browser is killed when this is dropped.
pub struct Browser {
    child: Child,
    _profile: tempfile::TempDir,
    page: Socket,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Browser {
    /// Starts `bin` headless on `page` (a file), with a window of `width` x `height`.
    pub fn open(bin: &Path, page: &Path, width: u32, height: u32) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(bin)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--remote-debugging-port=0",
                "--remote-allow-origins=*",
            ])
            .arg(format!("--window-size={width},{height}"))
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(format!("file://{}", page.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start chromium");
        // Chromium prints `DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID`.
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let (mut lines, mut found) = (Vec::new(), false);
            // Reads to the end, so the browser never blocks on a full pipe.
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                match line.find("ws://") {
                    Some(at) if !found => {
                        found = true;
                        let _ = tx.send(Ok(line[at..].trim().to_string()));
                    }
                    _ if !found => lines.push(line),
                    _ => {}
                }
            }
            if !found {
                let _ = tx.send(Err(lines.join("\n")));
            }
        });
        let url = match rx.recv_timeout(WATCHDOG) {
            Ok(Ok(url)) => url,
            Ok(Err(stderr)) => panic!("chromium exited without a debugging port:\n{stderr}"),
            Err(_) => panic!("chromium hung: no debugging port within {WATCHDOG:?}"),
        };
        let host = url["ws://".len()..].split('/').next().unwrap().to_string();
        let deadline = Instant::now() + WATCHDOG;
        // The page target appears once the browser has opened it.
        let ws = loop {
            let list: Value =
                http_get(&host, "/json/list").and_then(|b| serde_json::from_str(&b).ok()).unwrap_or(Value::Null);
            let found = list
                .as_array()
                .into_iter()
                .flatten()
                .find(|t| t["type"] == "page" && t["url"].as_str().is_some_and(|u| u.starts_with("file://")));
            if let Some(t) = found {
                break t["webSocketDebuggerUrl"].as_str().unwrap().to_string();
            }
            assert!(Instant::now() < deadline, "chromium hung: no page target within {WATCHDOG:?}: {list}");
            std::thread::sleep(Duration::from_millis(50));
        };
        let mut b = Browser { child, _profile: profile, page: Socket::connect(&ws) };
        b.page.call("Runtime.enable", json!({}));
        b
    }

    /// Evaluates `expr` in the page and returns its value (JSON).
    pub fn eval(&mut self, expr: &str) -> Value {
        let r = self.page.call("Runtime.evaluate", json!({"expression": expr, "returnByValue": true}));
        assert!(r.get("exceptionDetails").is_none(), "{expr}: {}", r["exceptionDetails"]);
        r["result"]["value"].clone()
    }

    /// Waits until `expr` evaluates to `true`.
    pub fn wait_for(&mut self, expr: &str) {
        let deadline = Instant::now() + WATCHDOG;
        while self.eval(expr) != Value::Bool(true) {
            assert!(Instant::now() < deadline, "the page never satisfied {expr} (watchdog {WATCHDOG:?})");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Presses and releases a key, as the keyboard would (`Tab` moves focus).
    pub fn press(&mut self, key: &str, code: u32, shift: bool) {
        let modifiers = if shift { 8 } else { 0 };
        for kind in ["rawKeyDown", "keyUp"] {
            self.page.call(
                "Input.dispatchKeyEvent",
                json!({"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code,
                       "nativeVirtualKeyCode": code, "modifiers": modifiers}),
            );
        }
    }
}

/// One HTTP GET; returns the body (`Content-Length` bytes), or `None` when the
/// server answered nothing usable yet.
fn http_get(host: &str, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(host).ok()?;
    s.set_read_timeout(Some(WATCHDOG)).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").ok()?;
    let mut reader = BufReader::new(s);
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0u8; length?];
    reader.read_exact(&mut body).ok()?;
    String::from_utf8(body).ok()
}

/// A client WebSocket carrying CDP messages.
struct Socket {
    stream: TcpStream,
    next_id: u64,
}

impl Socket {
    fn connect(url: &str) -> Socket {
        let rest = url.strip_prefix("ws://").expect("a ws:// URL");
        let (host, path) = rest.split_once('/').unwrap();
        let mut stream = TcpStream::connect(host).unwrap();
        stream.set_read_timeout(Some(WATCHDOG)).unwrap();
        write!(
            stream,
            "GET /{path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        .unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            stream.read_exact(&mut byte).unwrap();
            head.push(byte[0]);
        }
        let head = String::from_utf8_lossy(&head);
        assert!(head.starts_with("HTTP/1.1 101"), "WebSocket upgrade refused: {head}");
        Socket { stream, next_id: 1 }
    }

    fn send(&mut self, opcode: u8, payload: &[u8]) {
        let mut frame = vec![0x80 | opcode];
        let n = payload.len();
        if n < 126 {
            frame.push(0x80 | n as u8);
        } else if n <= u16::MAX as usize {
            frame.push(0x80 | 126);
            frame.extend((n as u16).to_be_bytes());
        } else {
            frame.push(0x80 | 127);
            frame.extend((n as u64).to_be_bytes());
        }
        let mask = [0x5a, 0x17, 0xc3, 0x2e];
        frame.extend(mask);
        frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        self.stream.write_all(&frame).unwrap();
    }

    /// The next whole message (text or binary), answering pings.
    fn receive(&mut self) -> Vec<u8> {
        let mut message = Vec::new();
        loop {
            let mut h = [0u8; 2];
            self.stream.read_exact(&mut h).unwrap();
            let (fin, opcode, masked) = (h[0] & 0x80 != 0, h[0] & 0x0f, h[1] & 0x80 != 0);
            let mut len = u64::from(h[1] & 0x7f);
            if len == 126 {
                let mut b = [0u8; 2];
                self.stream.read_exact(&mut b).unwrap();
                len = u64::from(u16::from_be_bytes(b));
            } else if len == 127 {
                let mut b = [0u8; 8];
                self.stream.read_exact(&mut b).unwrap();
                len = u64::from_be_bytes(b);
            }
            let mut mask = [0u8; 4];
            if masked {
                self.stream.read_exact(&mut mask).unwrap();
            }
            let mut data = vec![0u8; len as usize];
            self.stream.read_exact(&mut data).unwrap();
            if masked {
                data.iter_mut().enumerate().for_each(|(i, b)| *b ^= mask[i % 4]);
            }
            match opcode {
                0x8 => panic!("the browser closed the debugging connection"),
                0x9 => self.send(0xA, &data),
                0xA => {}
                _ => {
                    message.extend(data);
                    if fin {
                        return message;
                    }
                }
            }
        }
    }

    /// Sends a command; returns its `result`, skipping the events before it.
    fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(0x1, json!({"id": id, "method": method, "params": params}).to_string().as_bytes());
        loop {
            let v: Value = serde_json::from_slice(&self.receive()).unwrap();
            if v["id"] == id {
                assert!(v.get("error").is_none(), "{method}: {}", v["error"]);
                return v["result"].clone();
            }
        }
    }
}
