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
