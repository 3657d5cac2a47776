//! Live reload: the script injected into served pages, the WebSocket that tells them to reload,
//! and the errors of the last rebuild (the overlay, `/__handbook/errors`).
//!
//! A WebSocket rather than server-sent events: an event stream holds one of the browser's ~6
//! connections per host for every open tab.

use std::sync::Arc;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::Shared;
use crate::diagnostic::{Diagnostic, Error};

/// The client side: reload with the scroll position kept, and the error overlay.
pub const SCRIPT: &str = include_str!("live.js");
/// Where served pages load [`SCRIPT`] from.
pub const SCRIPT_URL: &str = "/__handbook/live.js";
const TAG: &str = "<script src=\"/__handbook/live.js\"></script>";

/// `html` with the live-reload script before its closing `</body>` (or at its end).
pub fn inject(html: &[u8]) -> Vec<u8> {
    const CLOSE: &[u8] = b"</body>";
    let at = html
        .windows(CLOSE.len())
        .rposition(|w| w.eq_ignore_ascii_case(CLOSE))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + TAG.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(TAG.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The message that makes every open page reload.
pub fn reload_message() -> Arc<str> {
    Arc::from(json!({ "type": "reload" }).to_string())
}

/// The message that shows `errors` (a JSON array) in every open page.
pub fn errors_message(errors: &str) -> Arc<str> {
    Arc::from(format!("{{\"type\":\"errors\",\"errors\":{errors}}}"))
}

/// A failed rebuild's errors as a JSON array of `{file, line, column, message, help}`.
pub fn errors_json(error: &Error) -> String {
    let diagnostics: Vec<serde_json::Value> = if error.diagnostics().is_empty() {
        vec![
            json!({ "file": "", "line": 0, "column": 0, "message": error.to_string(), "help": null }),
        ]
    } else {
        error.diagnostics().iter().map(diagnostic_json).collect()
    };
    serde_json::Value::Array(diagnostics).to_string()
}

fn diagnostic_json(d: &Diagnostic) -> serde_json::Value {
    json!({
        "file": crate::diagnostic::display_path(&d.file),
        "line": d.line,
        "column": d.column,
        "message": d.message,
        "help": d.help,
    })
}

pub async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        SCRIPT,
    )
        .into_response()
}

pub async fn errors(State(shared): State<Arc<Shared>>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        shared.errors().to_string(),
    )
        .into_response()
}

pub async fn websocket(ws: WebSocketUpgrade, State(shared): State<Arc<Shared>>) -> Response {
    ws.on_upgrade(move |socket| talk(socket, shared))
}

/// Sends the current errors (if any), then every message of the rebuild loop, until the page
/// goes away or the server stops.
async fn talk(mut socket: WebSocket, shared: Arc<Shared>) {
    let mut events = shared.events.subscribe();
    let mut stop = shared.stop.clone();
    let errors = shared.errors();
    if &*errors != "[]" && send(&mut socket, errors_message(&errors)).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            event = events.recv() => {
                let message = match event {
                    Ok(message) => message,
                    // Missed messages: reloading shows the latest state whatever they said.
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => reload_message(),
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
                };
                if send(&mut socket, message).await.is_err() {
                    break;
                }
            }
            incoming = socket.recv() => {
                if !matches!(incoming, Some(Ok(_))) {
                    break;
                }
            }
            _ = stop.changed() => break,
        }
    }
    let _ = socket.send(Message::Close(None)).await;
}

async fn send(socket: &mut WebSocket, message: Arc<str>) -> Result<(), axum::Error> {
    socket.send(Message::Text(message.to_string().into())).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_the_closing_body() {
        assert_eq!(
            inject(b"<body><p>x</p></BODY></html>"),
            format!("<body><p>x</p>{TAG}</BODY></html>").into_bytes()
        );
        assert_eq!(inject(b"<p>x"), format!("<p>x{TAG}").into_bytes());
    }

    #[test]
    fn errors_are_json() {
        let error = Error::Content(vec![Diagnostic::new("content/a.md", "broken <link>")
            .at(3, 4)
            .help("fix it")]);
        let value: serde_json::Value = serde_json::from_str(&errors_json(&error)).unwrap();
        assert_eq!(value[0]["file"], "content/a.md");
        assert_eq!(value[0]["line"], 3);
        assert_eq!(value[0]["message"], "broken <link>");
        let message: serde_json::Value =
            serde_json::from_str(&errors_message(&errors_json(&error))).unwrap();
        assert_eq!(message["type"], "errors");
    }
}
