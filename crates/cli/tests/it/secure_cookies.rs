//! `secure_cookies = auto|on|off` through the real binary: `auto` turns
//! `Secure` and the `__Host-` prefix on when people reach Tandem over https
//! or through a trusted proxy, and off only on plain loopback; older config
//! files that say `true` keep working; a bad value stops the server.

use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::json;

use crate::common::{Tandem, serve_with};

/// Tells the accounts apart when one data dir serves twice.
static NEXT: AtomicUsize = AtomicUsize::new(0);

/// The `Set-Cookie` a sign-up through the API gets from a server started
/// with these arguments and environment.
fn cookie_from(t: &Tandem, args: &[&str], envs: &[(&str, &str)]) -> String {
    let (mut server, address) = serve_with(t, args, envs);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let cookie = runtime.block_on(async {
        let response = reqwest::Client::new()
            .post(format!("http://{address}/api/v1/accounts"))
            .json(&json!({ "name": format!("cookie-{}", NEXT.fetch_add(1, Ordering::Relaxed)), "password": "otters hold hands while asleep" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        response.headers()["set-cookie"].to_str().unwrap().to_owned()
    });
    server.kill().unwrap();
    server.wait().unwrap();
    cookie
}

fn is_secure(cookie: &str) -> bool {
    let secure = cookie.contains("; Secure");
    assert_eq!(secure, cookie.starts_with("__Host-"), "{cookie}");
    secure
}

#[test]
fn auto_is_secure_unless_plainly_on_loopback_and_on_off_say_so() {
    for (args, envs, secure) in [
        (&[][..], &[][..], false),
        (
            &["--public-url", "https://tandem.example.org"][..],
            &[][..],
            true,
        ),
        (
            &["--public-url", "http://localhost:8080"][..],
            &[][..],
            false,
        ),
        (
            &[][..],
            &[("TANDEM_TRUSTED_PROXIES", "127.0.0.1")][..],
            true,
        ),
        (&["--secure-cookies", "on"][..], &[][..], true),
        (
            &[
                "--secure-cookies",
                "off",
                "--public-url",
                "https://tandem.example.org",
            ][..],
            &[][..],
            false,
        ),
        (&[][..], &[("TANDEM_SECURE_COOKIES", "on")][..], true),
    ] {
        let t = Tandem::new();
        assert_eq!(
            is_secure(&cookie_from(&t, args, envs)),
            secure,
            "{args:?} {envs:?}"
        );
    }
}

#[test]
fn an_older_config_file_saying_true_still_means_secure() {
    let t = Tandem::new();
    let config = t.data_dir().with_file_name("config.toml");
    std::fs::write(&config, "secure_cookies = true\n").unwrap();
    let config = config.to_str().unwrap().to_owned();
    assert!(is_secure(&cookie_from(
        &t,
        &[],
        &[("TANDEM_CONFIG", &config)]
    )));
    std::fs::write(
        &config,
        "secure_cookies = \"auto\"\ntrusted_proxies = [\"10.0.0.0/8\"]\n",
    )
    .unwrap();
    assert!(is_secure(&cookie_from(
        &t,
        &[],
        &[("TANDEM_CONFIG", &config)]
    )));
}

#[test]
fn bad_address_settings_stop_the_server_and_say_which() {
    for (args, says) in [
        (&["--secure-cookies", "sometimes"][..], "secure-cookies"),
        (&["--public-url", "tandem.example.org"][..], "public_url"),
        (
            &["--public-url", "https://tandem.example.org/app"][..],
            "public_url",
        ),
        (
            &["--trusted-proxies", "10.0.0.1, proxy.local"][..],
            "proxy.local",
        ),
    ] {
        let t = Tandem::new();
        let mut all = vec!["serve", "--bind", "127.0.0.1:0"];
        all.extend_from_slice(args);
        let output = t.cmd(&all).output().unwrap();
        assert!(!output.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}
