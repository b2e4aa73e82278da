// Tightrope's only script of its own: the warning before automatic sign-out (WCAG 2.2.1).
// Pages work without it; it only warns ahead of time and lets you stay signed in.
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.getAttribute("data-idle-seconds") || "0", 10);
  var warn = parseInt(body.getAttribute("data-warning-seconds") || "0", 10);
  var dialog = document.getElementById("timeout-dialog");
  if (!idle || !dialog || typeof dialog.showModal !== "function") { return; }
  var warnTimer = null;
  var endTimer = null;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(function () {
      if (!dialog.open) { dialog.showModal(); }
      var stay = document.getElementById("timeout-stay");
      if (stay) { stay.focus(); }
    }, Math.max(idle - warn, 1) * 1000);
    endTimer = setTimeout(function () {
      window.location.assign("/login?next=" + encodeURIComponent(window.location.pathname));
    }, idle * 1000 + 2000);
  }

  document.getElementById("timeout-stay").addEventListener("click", function () {
    fetch("/session/extend", {method: "POST", credentials: "same-origin",
                              headers: {"X-CSRF-Token": csrfToken()}})
      .then(function (response) {
        dialog.close();
        if (response.ok) { schedule(); }
        else { window.location.assign("/login"); }
      });
  });
  // Any request to the server renews the session, so HTMX updates restart the clock.
  document.addEventListener("htmx:afterRequest", schedule);
  schedule();
}());
