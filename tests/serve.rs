//! `handbook serve --watch` on a copy of the good fixture: serving, reloading after edits, the
//! error overlay, refusing requests that try to leave the site, stopping cleanly.

mod common;
use common::*;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use futures_util::StreamExt;
use tokio_tungstenite::tungstenite::Message;

const WAIT: Duration = Duration::from_secs(20);

struct Server {
    child: Child,
    port: u16,
    base: String,
}

impl Server {
    fn start(root: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_handbook"))
            .args(["serve", "--watch", "--port", "0", "--root"])
            .arg(root)
            .args(extra)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"))
            .trim_end_matches(',');
        let rest = url.strip_prefix("http://127.0.0.1:").unwrap();
        let (port, base) = rest.split_at(rest.find('/').unwrap());
        Server {
            child,
            port: port.parse().unwrap(),
            base: base.to_string(),
        }
    }

    /// A raw HTTP/1.1 GET of `target` exactly as written (no client normalises it).
    fn get(&self, target: &str) -> Response {
        self.get_with(target, "")
    }

    /// The same, with extra header lines (each ending in `\r\n`).
    fn get_with(&self, target: &str, headers: &str) -> Response {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}Connection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
        Response {
            status,
            head: head.to_ascii_lowercase(),
            body: body.to_string(),
        }
    }

    fn page(&self, path: &str) -> String {
        let r = self.get(&format!("{}{path}", self.base));
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        r.body
    }

    /// Waits, reload after reload, until `path` answers `status` with `needle` in its body: a
    /// save can come as several events and so several rebuilds, the last of which counts.
    fn wait_for(&self, client: &mut Client, path: &str, status: u16, needle: &str) {
        loop {
            let r = self.get(&format!("{}{path}", self.base));
            if r.status == status && r.body.contains(needle) {
                return;
            }
            client.next("reload");
        }
    }

    fn interrupt(&mut self) -> std::process::ExitStatus {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        for _ in 0..100 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the server did not stop on SIGINT");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    head: String,
    body: String,
}

/// A WebSocket client of the live-reload endpoint, like an open page.
struct Client {
    runtime: tokio::runtime::Runtime,
    socket: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
}

impl Client {
    fn connect(server: &Server) -> Client {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let url = format!("ws://127.0.0.1:{}/__handbook/ws", server.port);
        let (socket, _) = runtime
            .block_on(tokio_tungstenite::connect_async(url))
            .unwrap();
        Client { runtime, socket }
    }

    /// The next message of type `kind`, as JSON.
    fn next(&mut self, kind: &str) -> serde_json::Value {
        let socket = &mut self.socket;
        self.runtime.block_on(async {
            loop {
                let message = tokio::time::timeout(WAIT, socket.next())
                    .await
                    .unwrap_or_else(|_| panic!("no `{kind}` message within {WAIT:?}"))
                    .expect("the socket is open")
                    .unwrap();
                if let Message::Text(text) = message {
                    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
                    if value["type"] == kind {
                        return value;
                    }
                }
            }
        })
    }
}

#[test]
fn serves_reloads_and_shows_errors() {
    let dir = copy_fixture("good");
    let root = dir.path();
    let server = Server::start(root, &[]);
    let home = server.page("");
    assert!(home.contains("Two frameworks, two dimensions."));
    assert!(
        home.contains("<script src=\"/__handbook/live.js\"></script></body>"),
        "the live script is injected"
    );
    let script = server.get("/__handbook/live.js");
    assert!(script.head.contains("content-type: text/javascript"));
    assert!(script.body.contains("textContent"));

    let mut client = Client::connect(&server);
    let cell = "content/compare/routing/beta.md";
    let text = read(root, cell);
    write(root, cell, &text.replace("Back to", "Return to"));
    server.wait_for(&mut client, "compare/routing/beta/", 200, "Return to");

    // An editor's atomic save: a temporary file renamed over the article.
    let guide = "content/guide/index.md";
    let text = read(root, guide);
    write(root, "content/guide/.index.md.swp", "swap");
    write(root, "content/guide/index.md~", &text);
    write(
        root,
        "content/guide/.index.md.tmp",
        &text.replace("A free article", "A renamed-in article"),
    );
    std::fs::rename(root.join("content/guide/.index.md.tmp"), root.join(guide)).unwrap();
    server.wait_for(&mut client, "guide/", 200, "A renamed-in article");

    // A broken link: the errors go to the pages, the last good page stays.
    let broken =
        read(root, guide).replace("A renamed-in article", "A [broken](missing.md) article");
    write(root, guide, &broken);
    // (A save may first be seen half-written, as an empty article: wait for the link's error.)
    let message = loop {
        let message = client.next("errors");
        if message.to_string().contains("missing.md") {
            break message;
        }
    };
    let errors = message["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{message}");
    assert_eq!(errors[0]["file"], "content/guide/index.md");
    assert_eq!(errors[0]["line"], 3);
    assert!(errors[0]["message"]
        .as_str()
        .unwrap()
        .contains("broken link `missing.md`"));
    let endpoint: serde_json::Value =
        serde_json::from_str(&server.get("/__handbook/errors").body).unwrap();
    assert_eq!(endpoint, message["errors"]);
    assert!(
        server.page("guide/").contains("A renamed-in article"),
        "last good page"
    );

    // A client that connects now is told at once.
    let mut late = Client::connect(&server);
    assert_eq!(late.next("errors")["errors"], message["errors"]);

    write(
        root,
        guide,
        &broken.replace("[broken](missing.md)", "fixed"),
    );
    server.wait_for(&mut client, "guide/", 200, "A fixed article");
    assert_eq!(server.get("/__handbook/errors").body, "[]");
}

#[test]
fn new_deleted_and_renamed_files_and_folders() {
    let dir = copy_fixture("good");
    let root = dir.path();
    let server = Server::start(root, &[]);
    let mut client = Client::connect(&server);
    std::fs::create_dir(root.join("content/notes")).unwrap();
    write(root, "content/notes/first.md", "# First note\n\nHello.\n");
    server.wait_for(&mut client, "notes/first/", 200, "First note");
    std::fs::rename(root.join("content/notes"), root.join("content/memos")).unwrap();
    server.wait_for(&mut client, "memos/first/", 200, "First note");
    assert_eq!(server.get("/notes/first/").status, 404);
    std::fs::remove_dir_all(root.join("content/memos")).unwrap();
    server.wait_for(&mut client, "memos/first/", 404, "Page not found");
}

#[test]
fn refuses_requests_outside_the_site() {
    let dir = copy_fixture("good");
    let root = dir.path();
    write(root, "secret.txt", "TOP SECRET");
    std::os::unix::fs::symlink(root.join("secret.txt"), root.join("content/guide/leak.txt"))
        .unwrap();
    std::os::unix::fs::symlink(root.join("secret.txt"), root.join("static/leak.txt")).unwrap();
    let server = Server::start(root, &[]);
    for target in [
        "/../secret.txt",
        "/guide/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/guide/%2E%2E/%2e%2e/secret.txt",
        "/guide/..%2f..%2fsecret.txt",
        "/guide%2f..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "//etc/passwd",
        "/%2fetc/passwd",
        "/guide/leak.txt",
        "/leak.txt",
        "/book.toml",
        "/content/_index.md",
    ] {
        let r = server.get(target);
        assert!(
            r.status == 400 || r.status == 404,
            "{target}: status {}",
            r.status
        );
        assert!(!r.body.contains("TOP SECRET"), "{target} leaked");
        assert!(!r.body.contains("[book]"), "{target} leaked book.toml");
    }
}

#[test]
fn answers_many_requests_at_once() {
    let dir = copy_fixture("good");
    let server = Server::start(dir.path(), &[]);
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..200)
            .map(|i| {
                let server = &server;
                scope.spawn(move || {
                    let path = ["/", "/guide/", "/frameworks/alpha/", "/print.html"][i % 4];
                    server.get(path).status
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(statuses, vec![200; 200]);
}

#[test]
fn base_url_redirect_404_page_and_headers() {
    let dir = copy_fixture("good");
    let server = Server::start(dir.path(), &["--base-url", "/handbook/"]);
    assert_eq!(server.base, "/handbook/");
    let root = server.get("/");
    assert_eq!(root.status, 302);
    assert!(root.head.contains("location: /handbook/"), "{}", root.head);
    let folder = server.get("/handbook/guide");
    assert_eq!(folder.status, 302);
    assert!(folder.head.contains("location: /handbook/guide/"));
    let home = server.get("/handbook/");
    assert_eq!(home.status, 200);
    assert!(home.head.contains("content-type: text/html; charset=utf-8"));
    assert!(home.head.contains("cache-control: no-cache"));
    let etag = home
        .head
        .lines()
        .find_map(|l| l.strip_prefix("etag: "))
        .expect("an ETag")
        .to_string();
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        stream,
        "GET /handbook/ HTTP/1.1\r\nHost: x\r\nIf-None-Match: {etag}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    assert!(raw.starts_with("HTTP/1.1 304"), "{raw}");
    let svg = server.get("/handbook/guide/diagram.svg");
    assert_eq!(svg.status, 200);
    assert!(svg.head.contains("content-type: image/svg+xml"));
    for missing in ["/handbook/nope/", "/elsewhere/", "/handbook/guide/nope.png"] {
        let r = server.get(missing);
        assert_eq!(r.status, 404, "{missing}");
        assert!(
            r.body.contains("Page not found"),
            "{missing}: the site's 404.html"
        );
    }
}

#[test]
fn stops_cleanly_on_ctrl_c() {
    let dir = copy_fixture("good");
    let root = dir.path();
    let before = listing(root);
    let mut server = Server::start(root, &[]);
    assert_eq!(server.get("/").status, 200);
    let status = server.interrupt();
    assert!(status.success(), "exit status {status}");
    assert_eq!(listing(root), before, "nothing written, nothing left");
}

fn listing(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let dir = copy_fixture("good");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = handbook(&["serve", "--port", &port], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("port {port} on 127.0.0.1 is already in use")),
        "{err}"
    );
    assert!(err.contains("--port 0"), "{err}");
}

#[test]
fn a_burst_of_saves_loses_no_change() {
    let dir = copy_fixture("good");
    let root = dir.path();
    let server = Server::start(root, &[]);
    let mut client = Client::connect(&server);
    let files = [
        ("content/guide/index.md", "guide/"),
        ("content/frameworks/beta.md", "frameworks/beta/"),
        ("content/dimensions/orm.md", "dimensions/orm/"),
        ("content/compare/orm/alpha.md", "compare/orm/alpha/"),
    ];
    // Saved while earlier saves are still being rebuilt.
    for round in 0..5 {
        for (file, _) in files {
            let text = read(root, file);
            write(root, file, &format!("{text}\nSaved in round {round}.\n"));
        }
        std::thread::sleep(Duration::from_millis(7));
    }
    for (_, page) in files {
        server.wait_for(&mut client, page, 200, "Saved in round 4.");
    }
}

/// Polls `path` until its body contains `needle` (or the wait runs out).
fn eventually(server: &Server, path: &str, needle: &str) {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let r = server.get(&format!("{}{path}", server.base));
        if r.status == 200 && r.body.contains(needle) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{path} never showed {needle:?}: {} {}",
            r.status,
            &r.body[..r.body.len().min(300)]
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn survives_folders_replaced_under_it() {
    let dir = copy_fixture("good");
    let root = dir.path();
    let server = Server::start(root, &[]);
    eventually(&server, "guide/", "</html>");

    // `git checkout` or `git stash`: the content folder goes away and another comes back.
    std::fs::rename(root.join("content"), root.join("c2")).unwrap();
    copy_dir(&root.join("c2"), &root.join("content"));
    std::fs::remove_dir_all(root.join("c2")).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let guide = read(root, "content/guide/index.md");
    write(
        root,
        "content/guide/index.md",
        &format!("{guide}\nEdited after the swap.\n"),
    );
    eventually(&server, "guide/", "Edited after the swap.");
    write(
        root,
        "content/guide/fresh.md",
        "---\ntitle: Fresh\n---\nA new page.\n",
    );
    eventually(&server, "guide/fresh/", "A new page.");

    // Deleted and made again, twice over: still watched.
    for round in 0..2 {
        let saved = tempfile::tempdir().unwrap();
        copy_dir(&root.join("content"), saved.path());
        std::fs::remove_dir_all(root.join("content")).unwrap();
        std::thread::sleep(Duration::from_millis(200));
        copy_dir(saved.path(), &root.join("content"));
        write(
            root,
            "content/guide/fresh.md",
            &format!("---\ntitle: Fresh\n---\nRound {round}.\n"),
        );
        eventually(&server, "guide/fresh/", &format!("Round {round}."));
    }

    // The theme folder renamed away and back.
    write(
        root,
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}Lost here.{% endblock content %}",
    );
    eventually(&server, "404.html", "Lost here.");
    std::fs::rename(root.join("themes"), root.join("themes-away")).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    std::fs::rename(root.join("themes-away"), root.join("themes")).unwrap();
    write(
        root,
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}Lost again.{% endblock content %}",
    );
    eventually(&server, "404.html", "Lost again.");
}

#[test]
fn answers_range_requests() {
    let dir = copy_fixture("good");
    let server = Server::start(dir.path(), &[]);
    let path = format!("{}guide/diagram.svg", server.base);
    let whole = server.get(&path);
    assert_eq!(whole.status, 200);
    assert!(
        whole.head.contains("accept-ranges: bytes"),
        "{}",
        whole.head
    );
    let total = whole.body.len();
    let part = server.get_with(&path, "Range: bytes=0-9\r\n");
    assert_eq!(part.status, 206, "{}", part.head);
    assert_eq!(part.body, whole.body[..10]);
    assert!(
        part.head
            .contains(&format!("content-range: bytes 0-9/{total}")),
        "{}",
        part.head
    );
    let tail = server.get_with(&path, "Range: bytes=-5\r\n");
    assert_eq!(tail.status, 206);
    assert_eq!(tail.body, whole.body[total - 5..]);
    let beyond = server.get_with(&path, &format!("Range: bytes={total}-\r\n"));
    assert_eq!(beyond.status, 416);
    assert!(
        beyond
            .head
            .contains(&format!("content-range: bytes */{total}")),
        "{}",
        beyond.head
    );
}
