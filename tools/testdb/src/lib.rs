//! A throwaway PostgreSQL server for tests and benchmarks.
//!
//! [`TestPostgres::start`] runs `initdb` in a temporary folder and starts `postgres` on
//! 127.0.0.1 on a free port. PostgreSQL refuses to run as root, so when the test runs as root
//! both run as the `postgres` user (set on the spawned process itself, so the PID held here is
//! the postmaster's and stopping it needs no `runuser` in between). Dropping the value stops
//! the server by PID (SIGTERM, then SIGKILL if it lingers) and removes the folder.
//!
//! The binaries come from `SHOPFLOW_PG_BIN`, else `pg_config --bindir`, else the newest
//! `/usr/lib/postgresql/*/bin` (Debian's `postgresql` package, which `scripts/test` installs).

use std::io;
use std::net::TcpListener;
use std::os::unix::fs::{PermissionsExt, chown};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long the server may take to accept connections.
const READY_WITHIN: Duration = Duration::from_secs(30);

/// A running PostgreSQL server that is stopped and deleted when dropped.
pub struct TestPostgres {
    postmaster: Child,
    port: u16,
    // Dropped after the server stops (fields drop in order, and `Drop::drop` runs first).
    _dir: tempfile::TempDir,
}

impl TestPostgres {
    /// Starts a fresh server whose superuser `postgres` logs in without a password.
    ///
    /// # Errors
    /// When the binaries are missing, `initdb` fails, or the server does not accept
    /// connections within 30 seconds; the message carries the server's log.
    pub fn start() -> io::Result<TestPostgres> {
        TestPostgres::start_with(false, false)
    }

    /// Starts a server that also takes TLS connections, with a self-signed certificate made
    /// for it (`openssl`), as a managed PostgreSQL asks for `sslmode=require`: the
    /// certificate is trusted by no root, so `verify-ca` and `verify-full` must fail.
    ///
    /// # Errors
    /// As [`TestPostgres::start`], and when `openssl` cannot make the certificate.
    pub fn start_tls() -> io::Result<TestPostgres> {
        TestPostgres::start_with(false, true)
    }

    /// Starts a server that syncs its commits to disk (`fsync=on`, PostgreSQL's default), for
    /// benchmarks whose figures must be what a real deployment pays for a commit.
    ///
    /// # Errors
    /// As [`TestPostgres::start`].
    pub fn start_durable() -> io::Result<TestPostgres> {
        TestPostgres::start_with(true, false)
    }

    fn start_with(durable: bool, tls: bool) -> io::Result<TestPostgres> {
        let bin = binaries()?;
        let user = RunAs::detect()?;
        let dir = tempfile::Builder::new().prefix("shopflow-pg-").tempdir()?;
        let data = dir.path().join("data");
        user.own(dir.path())?;
        run(user
            .command(&bin.join("initdb"))
            .args([
                "--auth=trust",
                "--username=postgres",
                "--no-sync",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ])
            .arg("-D")
            .arg(&data))?;
        let port = free_port()?;
        let log = dir.path().join("postgres.log");
        let ssl = match tls {
            true => certificate(&user, dir.path())?,
            false => vec!["ssl=off".to_owned()],
        };
        let postmaster = user
            .command(&bin.join("postgres"))
            .arg("-D")
            .arg(&data)
            .args(["-h", "127.0.0.1", "-p", &port.to_string()])
            // The socket folder: the temporary folder, not /var/run (which needs root).
            .arg("-k")
            .arg(dir.path())
            // A test database: durability across a crash of the machine is not under test
            // (a benchmark asks for it).
            .args(["-c", if durable { "fsync=on" } else { "fsync=off" }])
            .args(["-c", "max_connections=200"])
            .args(ssl.iter().flat_map(|setting| ["-c", setting.as_str()]))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log)?)
            .spawn()?;
        let server = TestPostgres { postmaster, port, _dir: dir };
        server.wait_ready(&bin, &log)?;
        Ok(server)
    }

    /// The URL of database `postgres` as its superuser.
    #[must_use]
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// The port it listens on (127.0.0.1).
    #[must_use]
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The postmaster's process id.
    #[must_use]
    pub fn pid(&self) -> u32 {
        self.postmaster.id()
    }

    /// Polls `pg_isready` until the server accepts connections or exits.
    fn wait_ready(&self, bin: &Path, log: &Path) -> io::Result<()> {
        let started = Instant::now();
        while started.elapsed() < READY_WITHIN {
            let ready = Command::new(bin.join("pg_isready"))
                .args(["-q", "-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "postgres"])
                .status()?;
            if ready.success() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let said = std::fs::read_to_string(log).unwrap_or_default();
        Err(io::Error::other(format!(
            "postgres did not accept connections on 127.0.0.1:{} within {READY_WITHIN:?}; its log:\n{said}",
            self.port
        )))
    }
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        // SIGTERM is a "smart" shutdown; a test's pool may still hold connections, so ask
        // for the "fast" one (SIGINT), and kill it if it has not gone within 10 seconds.
        let pid = self.postmaster.id().to_string();
        let _ = Command::new("kill").args(["-INT", &pid]).status();
        let until = Instant::now() + Duration::from_secs(10);
        while Instant::now() < until {
            if matches!(self.postmaster.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.postmaster.kill();
        let _ = self.postmaster.wait();
    }
}

/// Makes a self-signed certificate and key in `dir` (as the server's user, the key readable
/// by it alone, as PostgreSQL requires) and returns the settings that use them.
fn certificate(user: &RunAs, dir: &Path) -> io::Result<Vec<String>> {
    let (cert, key) = (dir.join("server.crt"), dir.join("server.key"));
    run(user
        .command(Path::new("openssl"))
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"])
        .args(["-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert))?;
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600))?;
    Ok(vec![
        "ssl=on".to_owned(),
        format!("ssl_cert_file={}", cert.display()),
        format!("ssl_key_file={}", key.display()),
    ])
}

/// The user the server runs as: the caller, or `postgres` when the caller is root.
struct RunAs(Option<(u32, u32)>);

impl RunAs {
    fn detect() -> io::Result<RunAs> {
        if id(&["-u"], None)? != 0 {
            return Ok(RunAs(None));
        }
        Ok(RunAs(Some((id(&["-u"], Some("postgres"))?, id(&["-g"], Some("postgres"))?))))
    }

    fn command(&self, program: &Path) -> Command {
        let mut command = Command::new(program);
        if let Some((uid, gid)) = self.0 {
            command.uid(uid).gid(gid);
        }
        command
    }

    /// Hands the temporary folder to the server's user (initdb refuses a folder it cannot own).
    fn own(&self, dir: &Path) -> io::Result<()> {
        if let Some((uid, gid)) = self.0 {
            chown(dir, Some(uid), Some(gid))?;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
        Ok(())
    }
}

/// `id <flag> [user]` as a number.
fn id(flag: &[&str], user: Option<&str>) -> io::Result<u32> {
    let out = Command::new("id").args(flag).args(user).output()?;
    String::from_utf8_lossy(&out.stdout).trim().parse().map_err(|_| {
        io::Error::other(format!(
            "`id {}` said {:?}: is there a postgres user (Debian's postgresql package)?",
            [flag, user.as_slice()].concat().join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    })
}

/// Where initdb, postgres and pg_isready are.
fn binaries() -> io::Result<PathBuf> {
    if let Some(dir) = std::env::var_os("SHOPFLOW_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && dir.join("initdb").exists() {
            return Ok(dir);
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|e| io::Error::other(format!("no PostgreSQL binaries (install Debian's postgresql package, or set SHOPFLOW_PG_BIN): {e}")))?
        .filter_map(Result::ok)
        .filter_map(|entry| Some((entry.file_name().to_str()?.parse().ok()?, entry.path().join("bin"))))
        .filter(|(_, bin)| bin.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).ok_or_else(|| io::Error::other("no /usr/lib/postgresql/*/bin/initdb (install Debian's postgresql package, or set SHOPFLOW_PG_BIN)"))
}

/// Runs a command to completion; its output is the error when it fails.
fn run(command: &mut Command) -> io::Result<()> {
    let out = command.output()?;
    if out.status.success() {
        return Ok(());
    }
    Err(io::Error::other(format!(
        "{command:?} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )))
}

/// A port nobody listens on now (the server binds it a moment later).
fn free_port() -> io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}
