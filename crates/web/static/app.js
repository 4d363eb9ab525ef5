// Quick exit: the button and the Escape key leave for a neutral site and
// replace this page in the history, so Back does not return here.
// Private forms (autocomplete="off", such as the safety questions) are reset
// whenever a page is shown, so answers do not come back on Back or after the
// quick exit, whatever the browser kept in its page cache.
(function () {
  "use strict";
  window.addEventListener("pageshow", function () {
    var forms = document.querySelectorAll("form[autocomplete=off]");
    for (var i = 0; i < forms.length; i += 1) { forms[i].reset(); }
    if (document.body) { document.body.style.display = ""; }
  });
  var exit = document.getElementById("quick-exit");
  if (!exit) { return; }
  function leave(event) {
    if (event) { event.preventDefault(); }
    var forms = document.querySelectorAll("form[autocomplete=off]");
    for (var i = 0; i < forms.length; i += 1) { forms[i].reset(); }
    document.body.style.display = "none";
    window.location.replace(exit.getAttribute("href"));
  }
  exit.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") { leave(event); }
  });
})();
