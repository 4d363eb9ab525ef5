//! Where sign-in returns to: the page a person asked for before they were
//! sent to sign in. Only a path on this site is ever taken, so a link such
//! as `/account/signin?next=//evil.example` cannot send someone who signs
//! in to another site (an open redirect that makes phishing look real).

use axum::http::Method;

/// The longest path kept; anything longer is not one of our pages.
const MAX_LEN: usize = 512;

/// Pages that would send a person straight back into signing in or out,
/// that are not pages at all, or that hand over secrets or everything at
/// once (a link crafted to land there after sign-in could download the
/// export, or show fresh recovery codes, without the person asking).
const NEVER: [&str; 8] = [
    "/account/signin",
    "/account/signout",
    "/account/signed-out",
    "/account/new",
    "/account/export",
    "/account/recovery-codes",
    "/api/",
    "/static/",
];

/// A same-site path with its query, such as `/plan` or `/results/3`, made
/// only by [`ReturnTo::parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnTo(String);

impl ReturnTo {
    /// Takes `raw` if it is a path on this site: printable ASCII, one `/`
    /// at the start and not two, no `\` anywhere (browsers read it as `/`),
    /// and the same once percent-decoded (so `/%2F%2Fevil` is refused too),
    /// at most 512 bytes, and not a sign-in, sign-out or API address.
    pub fn parse(raw: &str) -> Option<Self> {
        if raw.len() > MAX_LEN || !safe_path(raw) || !safe_path(&percent_decoded(raw)) {
            return None;
        }
        let path = raw.split(['?', '#']).next().unwrap_or(raw);
        let never = NEVER.iter().any(|page| {
            if page.ends_with('/') {
                path.starts_with(page)
            } else {
                path == *page || path.strip_prefix(page).is_some_and(|r| r.starts_with('/'))
            }
        });
        if never {
            return None;
        }
        Some(Self(raw.split('#').next().unwrap_or(raw).to_owned()))
    }

    /// Where a request for `method` and `path_and_query` should come back
    /// to after sign-in: only a GET (or HEAD) page, never the target of a
    /// form, which would be sent again without its body.
    pub fn of_request(method: &Method, path_and_query: &str) -> Option<Self> {
        if method == Method::GET || method == Method::HEAD {
            Self::parse(path_and_query)
        } else {
            None
        }
    }

    /// `raw` if it is safe, else the home page.
    pub fn or_home(raw: Option<&str>) -> String {
        raw.and_then(Self::parse)
            .map_or_else(|| "/".to_owned(), |next| next.0)
    }

    /// The path.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The sign-in page's address carrying this path.
    pub fn sign_in_url(&self) -> String {
        let query = serde_urlencoded::to_string([("next", self.0.as_str())]).unwrap_or_default();
        format!("/account/signin?{query}")
    }
}

fn safe_path(path: &str) -> bool {
    let mut chars = path.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && path.chars().all(|c| c.is_ascii_graphic() && c != '\\')
}

/// `text` with every `%XY` decoded once, as bytes read as Latin-1 (so a
/// decoded control byte stays a control character and is refused).
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while at < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[at] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(at + 1).copied().and_then(hex),
                bytes.get(at + 2).copied().and_then(hex),
            )
        {
            out.push(char::from(u8::try_from(hi * 16 + lo).unwrap_or(0)));
            at += 3;
        } else {
            out.push(char::from(bytes[at]));
            at += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_same_site_paths_are_taken() {
        let long = format!("/{}", "a".repeat(600));
        let cases: &[(&str, Option<&str>)] = &[
            ("/plan", Some("/plan")),
            ("/", Some("/")),
            ("/results/3", Some("/results/3")),
            ("/account?notice=removed", Some("/account?notice=removed")),
            ("/plan/do/journal#entry-2", Some("/plan/do/journal")),
            ("/questions/a/2", Some("/questions/a/2")),
            ("/accounts-of-mine", Some("/accounts-of-mine")),
            ("//evil.example", None),
            ("//evil.example/plan", None),
            ("/\\evil", None),
            ("/\\/evil", None),
            ("/plan\\..\\x", None),
            ("https://x", None),
            ("http://evil.example/plan", None),
            ("javascript:alert(1)", None),
            ("evil.example", None),
            ("plan", None),
            ("", None),
            ("/%2F%2Fevil", None),
            ("/%2f/evil", None),
            ("/%5Cevil", None),
            ("/%09/evil", None),
            ("/plan%0Aset-cookie", None),
            ("/\t/evil", None),
            ("/plan\n", None),
            ("/pl\ran", None),
            ("/plan\u{0}", None),
            ("/pl an", None),
            ("/plän", None),
            (" /plan", None),
            ("/account/signin", None),
            ("/account/signin?next=/plan", None),
            ("/account/signout", None),
            ("/account/signed-out", None),
            ("/account/new", None),
            ("/account/export", None),
            ("/account/recovery-codes", None),
            (
                "/account/exported-nothing",
                Some("/account/exported-nothing"),
            ),
            ("/api/v1/plan", None),
            ("/static/app.js", None),
            (&long, None),
        ];
        for (raw, expected) in cases {
            let got = ReturnTo::parse(raw);
            assert_eq!(got.as_ref().map(ReturnTo::as_str), *expected, "{raw:?}");
        }
        assert_eq!(ReturnTo::or_home(Some("//evil.example")), "/");
        assert_eq!(ReturnTo::or_home(None), "/");
        assert_eq!(ReturnTo::or_home(Some("/plan")), "/plan");
    }

    #[test]
    fn only_a_page_read_is_returned_to() {
        assert_eq!(
            ReturnTo::of_request(&Method::GET, "/plan").map(|n| n.0),
            Some("/plan".to_owned())
        );
        assert!(ReturnTo::of_request(&Method::POST, "/plan/items/3").is_none());
        assert!(ReturnTo::of_request(&Method::POST, "/account/research").is_none());
    }

    #[test]
    fn the_sign_in_address_carries_the_path_encoded() {
        let next = ReturnTo::parse("/account?notice=removed").unwrap();
        assert_eq!(
            next.sign_in_url(),
            "/account/signin?next=%2Faccount%3Fnotice%3Dremoved"
        );
    }
}
