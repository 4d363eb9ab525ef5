//! `tandem serve`: the web app on the embedded store, with structured logs
//! (never answers, text or passwords) and a graceful shutdown.

use anyhow::Context;
use tandem_web::{AppState, WebConfig};

use crate::args::ServeArgs;
use crate::config::{FileConfig, OneOrMany, SecureCookiesValue};
use crate::database::Database;
use crate::failure::bad_input;
use tandem_web::address::{PublicUrl, TrustedProxies};

/// Runs until Ctrl-C or SIGTERM, then lets in-flight requests finish.
pub async fn run(database: &Database, args: &ServeArgs, file: &FileConfig) -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("TANDEM_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let bind = args
        .bind
        .clone()
        .or_else(|| file.bind.clone())
        .unwrap_or_else(|| "127.0.0.1:8080".to_owned());
    let public_url = args
        .public_url
        .clone()
        .or_else(|| file.public_url.clone())
        .map(|text| PublicUrl::parse(&text))
        .transpose()
        .map_err(|err| bad_input(err.to_string()))?;
    let trusted_proxies = args
        .trusted_proxies
        .clone()
        .or_else(|| file.trusted_proxies.as_ref().map(OneOrMany::joined))
        .map(|text| TrustedProxies::parse(&text))
        .transpose()
        .map_err(|err| bad_input(err.to_string()))?
        .unwrap_or_default();
    let secure_cookies = match args.secure_cookies {
        Some(setting) => setting,
        None => file
            .secure_cookies
            .as_ref()
            .map(SecureCookiesValue::setting)
            .transpose()?
            .unwrap_or_default(),
    };
    let counsellor_second_factor = match args.counsellor_second_factor {
        Some(setting) => setting,
        None => file
            .counsellor_second_factor
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(bad_input)?
            .unwrap_or_default(),
    };
    let listener = tokio::net::TcpListener::bind(&bind)
        .await
        .map_err(|err| bad_input(format!("cannot listen on {bind}: {err}")))?;
    let address = listener.local_addr().context("reading the bound address")?;
    let defaults = WebConfig::default();
    let config = WebConfig {
        resources: Some(crate::config::resources(file)?),
        reliability: crate::config::published(file)?,
        secure_cookies: secure_cookies.resolve(public_url.as_ref(), &trusted_proxies, address),
        public_url,
        trusted_proxies,
        exit_url: args
            .exit_url
            .clone()
            .or_else(|| file.exit_url.clone())
            .unwrap_or(defaults.exit_url.clone()),
        counsellor_second_factor,
        ..defaults
    };
    if !config.exit_url.starts_with("https://") {
        return Err(bad_input("the quick-exit address must start with https://"));
    }
    // The server gets the research right for its estimates; the operator's
    // stays here, unused: no route can back up or rotate keys.
    let (store, rights) = crate::config::open_store(database, file).await?;
    let public = config
        .public_url
        .as_ref()
        .map(|url| format!("; people reach it at {url}/"))
        .unwrap_or_default();
    let secure = config.secure_cookies;
    let state = AppState::new(store, rights.research, config)?;
    tracing::info!(%address, data = %database.dir().display(), secure_cookies = secure, "listening");
    eprintln!("Tandem is running at http://{address}/ (Ctrl-C stops it{public})");
    tandem_web::serve(state, listener, shutdown_signal())
        .await
        .context("serving")?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
