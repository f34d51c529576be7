//! `shopflow sandbox`: a local Upgates shop (or, with `--platform retailys`, a Retailys
//! instance) until Ctrl-C or SIGTERM.

use std::io::Write;
use std::process::ExitCode;

use shopflow_sandbox::{RetailysConfig, SandboxConfig};

use crate::cli::{SandboxArgs, SandboxPlatform};

/// Starts the sandbox, announces where it listens, and serves until stopped.
pub fn run(args: SandboxArgs) -> Result<ExitCode, String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    if args.platform == SandboxPlatform::Retailys {
        return runtime.block_on(run_retailys(args));
    }
    runtime.block_on(async move {
        let config = SandboxConfig {
            port: args.port,
            login: args.login.clone(),
            api_key: args.key.into(),
            state_file: args.state,
            seed_orders: args.seed_orders,
            seed: args.seed,
            project_name: args.project_name,
            cors_origin: args.cors_origin,
            shops: args.shops,
            ..SandboxConfig::default()
        };
        let handle = shopflow_sandbox::start(config).await.map_err(|e| e.to_string())?;
        // The first line on stdout is the contract scripts and tests wait for.
        println!("listening on {}", handle.origin());
        let _ = std::io::stdout().flush();
        eprintln!(
            "API: {} (HTTP Basic, login {:?}); control: {}/__sandbox/",
            handle.base_url(),
            args.login,
            handle.origin()
        );
        if args.shops > 0 {
            eprintln!(
                "{} more shops: {} to {} (login shop-K, key shop-K-key); list: {}/__sandbox/shops",
                args.shops,
                handle.shop_base_url("shop-1"),
                handle.shop_base_url(&format!("shop-{}", args.shops)),
                handle.origin()
            );
        }
        wait_for_stop().await;
        eprintln!("stopping");
        handle.shutdown().await;
        Ok(ExitCode::SUCCESS)
    })
}

/// The Retailys sandbox: same contract (first stdout line, stop on a signal).
async fn run_retailys(args: SandboxArgs) -> Result<ExitCode, String> {
    if args.state.is_some() {
        return Err(
            "--state is not supported with --platform retailys (it keeps no state file)".into()
        );
    }
    let config = RetailysConfig {
        port: args.port,
        token: args.token.into(),
        seed_orders: args.seed_orders,
        seed: args.seed,
        shops: args.shops,
        ..RetailysConfig::default()
    };
    let handle = shopflow_sandbox::start_retailys(config).await.map_err(|e| e.to_string())?;
    // The first line on stdout is the contract scripts and tests wait for.
    println!("listening on {}", handle.origin());
    let _ = std::io::stdout().flush();
    eprintln!(
        "Retailys API: {} (header `token`); control: {}/__sandbox/",
        handle.base_url(),
        handle.origin()
    );
    if args.shops > 0 {
        eprintln!(
            "{} more instances: {} to {} (token shop-K-token); list: {}/__sandbox/shops",
            args.shops,
            handle.shop_base_url("shop-1"),
            handle.shop_base_url(&format!("shop-{}", args.shops)),
            handle.origin()
        );
    }
    wait_for_stop().await;
    eprintln!("stopping");
    handle.shutdown().await;
    Ok(ExitCode::SUCCESS)
}

async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
