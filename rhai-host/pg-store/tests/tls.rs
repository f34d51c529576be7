//! TLS to PostgreSQL, as a managed database asks for it: `sslmode` in the store's URL is
//! honoured against a real server (tools/testdb's, with a self-signed certificate).

use shopflow_pg_store::PgStore;
use shopflow_testdb::TestPostgres;

/// Whether the store's own session is encrypted, as the server sees it.
async fn encrypted(store: &PgStore) -> bool {
    sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        .fetch_one(store.pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sslmode_require_encrypts_and_verify_full_refuses_an_untrusted_certificate() {
    let pg = TestPostgres::start_tls().expect("PostgreSQL with TLS starts");
    let url = pg.url();

    let store = PgStore::connect(&format!("{url}?sslmode=require"), 2).await.unwrap();
    assert!(encrypted(&store).await, "sslmode=require must give an encrypted session");

    // The certificate is signed by no root the system trusts: verifying must fail, loudly.
    let refused = PgStore::connect(&format!("{url}?sslmode=verify-full"), 2).await;
    let e = refused.expect_err("an untrusted certificate must be refused").to_string();
    assert!(e.contains("PostgreSQL") && e.contains("certificate"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sslmode_require_is_never_downgraded_to_plain_text() {
    let pg = TestPostgres::start().expect("PostgreSQL starts");
    let refused = PgStore::connect(&format!("{}?sslmode=require", pg.url()), 2).await;
    assert!(refused.is_err(), "a server without TLS must be refused under sslmode=require");
    // Without sslmode (prefer) the same server is fine.
    let store = PgStore::connect(&pg.url(), 2).await.unwrap();
    assert!(!encrypted(&store).await);
}
