//! The throwaway server starts, accepts a connection, and is gone (process and folder) once dropped.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;

use shopflow_testdb::TestPostgres;

#[test]
fn starts_on_loopback_and_stops_by_pid_when_dropped() {
    let server = TestPostgres::start().expect("postgres starts");
    let pid = server.pid();
    assert!(server.url().starts_with("postgres://postgres@127.0.0.1:"), "{}", server.url());
    // A real PostgreSQL answers an SSLRequest with one byte: 'N' (no TLS) or 'S'.
    let mut stream = TcpStream::connect(("127.0.0.1", server.port())).expect("connects");
    stream.write_all(&[0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]).expect("writes");
    let mut answer = [0u8; 1];
    stream.read_exact(&mut answer).expect("answers");
    assert!(matches!(&answer, b"N" | b"S"), "{answer:?}");
    drop(stream);
    drop(server);
    let alive = Command::new("kill")
        .args(["-0", &pid.to_string()])
        .stderr(std::process::Stdio::null())
        .status()
        .expect("kill -0 runs");
    assert!(!alive.success(), "the postmaster {pid} is gone");
}
