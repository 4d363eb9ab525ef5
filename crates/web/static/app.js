// Quick exit: the button, Escape (when not typing in a field) and three
// presses of Shift leave for a neutral site and replace this page in the
// history, so Back does not return here. Leaving also ends the session on
// the server (a beacon with the sign-out form's token), so coming back
// finds the account signed out.
// Escape inside a text field only leaves the field, so nothing typed is
// lost by reflex; a second Escape then exits.
// Private forms (autocomplete="off", such as the safety questions) are reset
// whenever a page is shown, so answers do not come back on Back or after the
// quick exit, whatever the browser kept in its page cache.
// On Settings, an unchosen time zone starts at the device's own.
(function () {
  "use strict";
  window.addEventListener("pageshow", function () {
    var forms = document.querySelectorAll("form[autocomplete=off]");
    for (var i = 0; i < forms.length; i += 1) { forms[i].reset(); }
    if (document.body) { document.body.style.display = ""; }
  });
  // The report's print button, shown only where it can work.
  var print = document.getElementById("print-report");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
  // A form sent back with problems: the summary takes focus, so it is read
  // out first and its links lead to each field.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
  // Time zone: until the person has chosen one, the list starts at the zone
  // the device reports. Nothing is sent until they press Save.
  var zone = document.getElementById("time-zone");
  if (zone && zone.getAttribute("data-chosen") === "no" && window.Intl) {
    var found = "";
    try { found = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { found = ""; }
    for (var z = 0; z < zone.options.length; z += 1) {
      if (zone.options[z].value === found && found !== zone.value) {
        zone.value = found;
        var note = document.getElementById("time-zone-found");
        if (note) {
          note.hidden = false;
          var described = zone.getAttribute("aria-describedby") || "";
          zone.setAttribute("aria-describedby", (described + " time-zone-found").trim());
        }
        break;
      }
    }
  }
  var exit = document.getElementById("quick-exit");
  if (!exit) { return; }
  var leaving = false;

  // The sign-out form's token, or (on the printable report, which has no
  // navigation) the page's csrf-token meta tag.
  function signOutToken() {
    var field = document.querySelector("form[action='/account/signout'] input[name=csrf]");
    if (field) { return field.value; }
    var meta = document.querySelector("meta[name=csrf-token]");
    return meta ? meta.getAttribute("content") : null;
  }

  function endSession() {
    var token = signOutToken();
    if (!token || !navigator.sendBeacon) { return; }
    var body = new URLSearchParams();
    body.set("csrf", token);
    navigator.sendBeacon("/account/signout", body);
  }

  function leave(event) {
    if (event) { event.preventDefault(); }
    if (leaving) { return; }
    leaving = true;
    var forms = document.querySelectorAll("form[autocomplete=off]");
    for (var i = 0; i < forms.length; i += 1) { forms[i].reset(); }
    document.body.style.display = "none";
    endSession();
    window.location.replace(exit.getAttribute("href"));
  }

  // Fields where Escape means "stop typing here", not "leave".
  var TYPED = ["text", "search", "email", "url", "tel", "password", "number", "date", "time"];
  function typingIn(element) {
    if (!element) { return false; }
    if (element.tagName === "TEXTAREA" || element.isContentEditable) { return true; }
    if (element.tagName !== "INPUT") { return false; }
    var type = (element.getAttribute("type") || "text").toLowerCase();
    return TYPED.indexOf(type) !== -1;
  }

  // Three presses of Shift, with nothing else between, within 5 seconds.
  var shifts = [];
  exit.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") {
      shifts = [];
      if (typingIn(document.activeElement)) {
        document.activeElement.blur();
        return;
      }
      leave(event);
      return;
    }
    if (event.key !== "Shift") { shifts = []; return; }
    if (event.repeat) { return; }
    var now = Date.now();
    shifts = shifts.filter(function (at) { return now - at < 5000; });
    shifts.push(now);
    if (shifts.length >= 3) { leave(event); }
  });
})();

// Passkeys: the buttons marked data-passkey stay hidden unless this
// browser can make and use them. WebAuthn's options come as JSON with
// base64url strings where the browser wants bytes, and its answers go back
// the same way.
(function () {
  "use strict";
  if (!window.PublicKeyCredential || !navigator.credentials) { return; }
  function bytes(text) {
    var plain = text.replace(/-/g, "+").replace(/_/g, "/");
    while (plain.length % 4) { plain += "="; }
    return Uint8Array.from(atob(plain), function (c) { return c.charCodeAt(0); });
  }
  function text(buffer) {
    if (!buffer) { return null; }
    var all = String.fromCharCode.apply(null, new Uint8Array(buffer));
    return btoa(all).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function ids(list) {
    (list || []).forEach(function (entry) { entry.id = bytes(entry.id); });
  }
  function token() {
    var field = document.querySelector("input[name=csrf]");
    return field ? field.value : "";
  }
  function post(path, body) {
    return fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": token() },
      body: JSON.stringify(body)
    }).then(function (answer) {
      return answer.json().catch(function () { return {}; }).then(function (json) {
        if (!answer.ok) { throw new Error(json.detail || "That did not work. Try again."); }
        return json;
      });
    });
  }
  function say(button, words) {
    var status = button.closest("form, main, body").querySelector(".passkey-status");
    if (status) { status.textContent = words; }
  }
  document.querySelectorAll("[data-passkey]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      if (button.dataset.passkey === "add") {
        post("/api/v1/account/passkeys/options", {}).then(function (made) {
          var options = made.options.publicKey;
          options.challenge = bytes(options.challenge);
          options.user.id = bytes(options.user.id);
          ids(options.excludeCredentials);
          return navigator.credentials.create({ publicKey: options }).then(function (cred) {
            return post("/api/v1/account/passkeys", {
              ceremony: made.ceremony,
              credential: {
                id: cred.id,
                rawId: text(cred.rawId),
                type: cred.type,
                extensions: cred.getClientExtensionResults(),
                response: {
                  attestationObject: text(cred.response.attestationObject),
                  clientDataJSON: text(cred.response.clientDataJSON)
                }
              }
            });
          });
        }).then(function () {
          window.location.reload();
        }).catch(function (err) { say(button, err.message); });
        return;
      }
      var name = document.getElementById("name");
      post("/api/v1/session/passkey/options", { name: name ? name.value : "" }).then(function (made) {
        var options = made.options.publicKey;
        options.challenge = bytes(options.challenge);
        ids(options.allowCredentials);
        return navigator.credentials.get({ publicKey: options }).then(function (cred) {
          return post("/api/v1/session/passkey", {
            ceremony: made.ceremony,
            credential: {
              id: cred.id,
              rawId: text(cred.rawId),
              type: cred.type,
              extensions: cred.getClientExtensionResults(),
              response: {
                authenticatorData: text(cred.response.authenticatorData),
                clientDataJSON: text(cred.response.clientDataJSON),
                signature: text(cred.response.signature),
                userHandle: text(cred.response.userHandle)
              }
            }
          });
        });
      }).then(function () {
        var next = button.dataset.next;
        window.location.assign(next && next.charAt(0) === "/" && next.charAt(1) !== "/" ? next : "/");
      }).catch(function (err) { say(button, err.message); });
    });
  });
})();
