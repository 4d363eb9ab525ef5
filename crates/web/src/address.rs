//! Where people reach this server, and who is asking: the public address
//! (`public_url`), the reverse proxies whose `X-Forwarded-For` is believed
//! (`trusted_proxies`), and whether cookies must be `Secure` — decided once,
//! at start, from those and the address the server is bound to.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use axum::http::{HeaderMap, Uri};
use ipnet::IpNet;

/// A setting that cannot be used, with what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{setting}: {message}")]
pub struct AddressError {
    /// Which setting.
    pub setting: &'static str,
    /// What is wrong with it.
    pub message: String,
}

fn error(setting: &'static str, message: impl Into<String>) -> AddressError {
    AddressError {
        setting,
        message: message.into(),
    }
}

/// The address people use to reach Tandem, such as
/// `https://tandem.example.org`: a scheme and a host (and port), no path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl {
    origin: String,
    https: bool,
}

impl PublicUrl {
    /// Parses `public_url`: `http` or `https`, a host, an optional port, and
    /// nothing after but an optional `/`.
    pub fn parse(text: &str) -> Result<Self, AddressError> {
        let bad = |message: &str| error("public_url", format!("`{text}` {message}"));
        let uri: Uri = text.trim().parse().map_err(|_| bad("is not an address"))?;
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            _ => return Err(bad("must start with https:// (or http://)")),
        };
        let Some(authority) = uri.authority() else {
            return Err(bad("has no host"));
        };
        if authority.as_str().contains('@') || authority.host().is_empty() {
            return Err(bad("must name just a host, without a user name"));
        }
        if !matches!(uri.path(), "" | "/") || uri.query().is_some() {
            return Err(bad(
                "must be just the scheme and host, such as https://tandem.example.org (Tandem is served at the root)",
            ));
        }
        // A browser leaves the default port out of `Origin`, so must we.
        let host = authority.host().to_ascii_lowercase();
        let origin = match (authority.port_u16(), https) {
            (None, _) | (Some(443), true) | (Some(80), false) => {
                format!("{}://{host}", if https { "https" } else { "http" })
            }
            (Some(port), _) => format!("{}://{host}:{port}", if https { "https" } else { "http" }),
        };
        Ok(Self { origin, https })
    }

    /// The origin a browser sends in `Origin`, such as `https://tandem.example.org`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Whether people reach it over TLS.
    pub fn is_https(&self) -> bool {
        self.https
    }
}

impl fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.origin)
    }
}

/// `secure_cookies`: `auto` (the default) decides from the rest of the
/// settings; `on` and `off` say so outright.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SecureCookies {
    /// On unless the server is plainly on loopback and nothing says it is
    /// reached over TLS.
    #[default]
    Auto,
    /// Always `Secure` with the `__Host-` prefix.
    On,
    /// Never: only for plain-HTTP testing.
    Off,
}

impl FromStr for SecureCookies {
    type Err = AddressError;

    /// `auto`, `on` or `off`; `true` and `false` too, as older config
    /// files wrote it.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Self::Auto),
            "on" | "true" => Ok(Self::On),
            "off" | "false" => Ok(Self::Off),
            other => Err(error(
                "secure_cookies",
                format!("`{other}` is not one of auto, on, off"),
            )),
        }
    }
}

impl SecureCookies {
    /// Whether cookies are `Secure`: under `auto`, a `public_url` decides by
    /// its scheme (people reach the server the way it says); without one,
    /// on when there are trusted proxies (TLS ends at them) or when bound to
    /// an address other than loopback, off only for plain loopback.
    pub fn resolve(
        self,
        public_url: Option<&PublicUrl>,
        proxies: &TrustedProxies,
        bound: SocketAddr,
    ) -> bool {
        match self {
            Self::On => true,
            Self::Off => false,
            Self::Auto => match public_url {
                Some(url) => url.is_https(),
                None => !proxies.is_empty() || !bound.ip().is_loopback(),
            },
        }
    }
}

/// The reverse proxies in front of Tandem, by address or network
/// (`10.0.0.0/8`). Only from them is `X-Forwarded-For` believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parses a list separated by commas or spaces; each an IP address or
    /// a network in CIDR form.
    pub fn parse(text: &str) -> Result<Self, AddressError> {
        text.split([',', ' '])
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(|part| {
                part.parse::<IpNet>()
                    .or_else(|_| part.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| {
                        error(
                            "trusted_proxies",
                            format!(
                                "`{part}` is not an IP address or a network such as 10.0.0.0/8"
                            ),
                        )
                    })
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }

    /// Whether none are set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn trusts(&self, addr: IpAddr) -> bool {
        let addr = canonical(addr);
        self.0.iter().any(|net| net.contains(&addr))
    }

    /// The address a request came from: the peer itself, unless the peer is
    /// a trusted proxy; then the nearest address in `X-Forwarded-For` that
    /// is not one (walking from the right, since a client can write any
    /// address on the left). An unreadable header leaves the peer.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return canonical(peer);
        }
        let mut client = canonical(peer);
        let hops = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .collect::<Vec<_>>();
        for hop in hops.into_iter().rev() {
            let Some(addr) = hop_address(hop.trim()) else {
                return client;
            };
            client = canonical(addr);
            if !self.trusts(client) {
                return client;
            }
        }
        client
    }
}

/// One hop of `X-Forwarded-For`: an address, or (as some proxies write it)
/// an address with a port, `1.2.3.4:5678` or `[2001:db8::1]:5678`.
fn hop_address(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

/// The bucket an address counts in for throttling: itself for IPv4, its
/// /64 network for IPv6, since one household or host is usually given a
/// whole /64 and could otherwise take a fresh address for every try.
pub fn throttle_bucket(addr: IpAddr) -> String {
    match canonical(addr) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let network = u128::from(v6) & !((1u128 << 64) - 1);
            format!("{}/64", std::net::Ipv6Addr::from(network))
        }
    }
}

/// An IPv4 address seen through an IPv6 socket, as IPv4.
fn canonical(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(addr, IpAddr::V4),
        IpAddr::V4(_) => addr,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn bound(text: &str) -> SocketAddr {
        text.parse().unwrap()
    }

    #[test]
    fn public_urls_are_just_scheme_and_host() {
        for (given, origin, https) in [
            (
                "https://tandem.example.org",
                "https://tandem.example.org",
                true,
            ),
            (
                "https://Tandem.Example.org/",
                "https://tandem.example.org",
                true,
            ),
            ("http://localhost:8080", "http://localhost:8080", false),
            ("https://[::1]:8443", "https://[::1]:8443", true),
            (
                "https://tandem.example.org:443",
                "https://tandem.example.org",
                true,
            ),
            ("http://tandem.lan:80/", "http://tandem.lan", false),
        ] {
            let url = PublicUrl::parse(given).unwrap();
            assert_eq!((url.origin(), url.is_https()), (origin, https), "{given}");
        }
        for bad in [
            "tandem.example.org",
            "ftp://tandem.example.org",
            "https://tandem.example.org/tandem",
            "https://tandem.example.org/?x=1",
            "https://user@tandem.example.org",
            "",
        ] {
            let err = PublicUrl::parse(bad).unwrap_err();
            assert_eq!(err.setting, "public_url", "{bad}");
        }
    }

    #[test]
    fn auto_is_secure_unless_plainly_on_loopback() {
        let https = PublicUrl::parse("https://t.example").ok();
        let http = PublicUrl::parse("http://localhost:8080").ok();
        let proxies = TrustedProxies::parse("127.0.0.1").unwrap();
        let none = TrustedProxies::default();
        let loopback = bound("127.0.0.1:8080");
        for (setting, url, proxies, bound, secure) in [
            (SecureCookies::Auto, None, &none, loopback, false),
            (SecureCookies::Auto, http.as_ref(), &none, loopback, false),
            // An http public address is how people reach it, wherever bound.
            (
                SecureCookies::Auto,
                http.as_ref(),
                &proxies,
                bound("0.0.0.0:8080"),
                false,
            ),
            (SecureCookies::Auto, https.as_ref(), &none, loopback, true),
            (SecureCookies::Auto, None, &proxies, loopback, true),
            (SecureCookies::Auto, None, &none, bound("[::1]:8080"), false),
            (
                SecureCookies::Auto,
                None,
                &none,
                bound("0.0.0.0:8080"),
                true,
            ),
            (
                SecureCookies::Auto,
                None,
                &none,
                bound("192.168.1.5:8080"),
                true,
            ),
            (SecureCookies::On, None, &none, loopback, true),
            (
                SecureCookies::Off,
                https.as_ref(),
                &proxies,
                bound("0.0.0.0:80"),
                false,
            ),
        ] {
            assert_eq!(
                setting.resolve(url, proxies, bound),
                secure,
                "{setting:?} {url:?} {proxies:?} {bound}"
            );
        }
    }

    #[test]
    fn secure_cookies_reads_its_words_and_old_booleans() {
        for (text, setting) in [
            ("auto", SecureCookies::Auto),
            ("ON", SecureCookies::On),
            ("off", SecureCookies::Off),
            ("true", SecureCookies::On),
            ("false", SecureCookies::Off),
        ] {
            assert_eq!(text.parse::<SecureCookies>(), Ok(setting));
        }
        assert!("yes please".parse::<SecureCookies>().is_err());
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let proxies = TrustedProxies::parse("10.0.0.0/8, 192.168.0.1").unwrap();
        let ip = |text: &str| text.parse::<IpAddr>().unwrap();
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert("x-forwarded-for", HeaderValue::from_str(value).unwrap());
            headers
        };
        for (peer, header, client) in [
            // Not a proxy: the header is the client's own words.
            ("203.0.113.9", Some("198.51.100.1"), "203.0.113.9"),
            // One proxy: the address it saw.
            ("10.1.2.3", Some("198.51.100.1"), "198.51.100.1"),
            // A client writing its own header before the proxy appends.
            ("10.1.2.3", Some("1.1.1.1, 198.51.100.1"), "198.51.100.1"),
            // Two proxies in a row.
            (
                "192.168.0.1",
                Some("198.51.100.1, 10.9.9.9"),
                "198.51.100.1",
            ),
            // A proxy without the header, or with nonsense in it.
            ("10.1.2.3", None, "10.1.2.3"),
            ("10.1.2.3", Some("not-an-address"), "10.1.2.3"),
            // IPv4 through an IPv6 socket.
            ("::ffff:10.1.2.3", Some("198.51.100.1"), "198.51.100.1"),
            // Hops written with ports.
            ("10.1.2.3", Some("198.51.100.1:50123"), "198.51.100.1"),
            ("10.1.2.3", Some("[2001:db8::7]:443"), "2001:db8::7"),
        ] {
            let headers = header.map(with).unwrap_or_default();
            assert_eq!(
                proxies.client(ip(peer), &headers),
                ip(client),
                "{peer} {header:?}"
            );
        }
        let err = TrustedProxies::parse("10.0.0.0/8, proxy.local").unwrap_err();
        assert!(err.message.contains("proxy.local"), "{err}");
    }

    #[test]
    fn ipv6_clients_count_by_their_64_network() {
        let ip = |text: &str| text.parse::<IpAddr>().unwrap();
        assert_eq!(throttle_bucket(ip("198.51.100.7")), "198.51.100.7");
        assert_eq!(throttle_bucket(ip("::ffff:198.51.100.7")), "198.51.100.7");
        assert_eq!(
            throttle_bucket(ip("2001:db8:1:2:aaaa::1")),
            throttle_bucket(ip("2001:db8:1:2:ffff:1:2:3"))
        );
        assert_ne!(
            throttle_bucket(ip("2001:db8:1:2::1")),
            throttle_bucket(ip("2001:db8:1:3::1"))
        );
        assert_eq!(throttle_bucket(ip("2001:db8:1:2::1")), "2001:db8:1:2::/64");
    }
}
