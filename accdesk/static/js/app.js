// ACC Desk's only page script: behaviours htmx does not cover.
(function () {
  "use strict";

  // Session lock (CJIS Security Policy AC-11): after the idle period, end the
  // session and leave the page so its contents are hidden. The server enforces
  // the same limit.
  var body = document.body;
  var idleSeconds = parseInt(body.dataset.idleSeconds || "0", 10);
  var lockForm = document.getElementById("idle-lock");
  if (idleSeconds > 0 && lockForm) {
    var timer;
    var lock = function () {
      lockForm.elements.next.value = window.location.pathname + window.location.search;
      lockForm.submit();
    };
    var reset = function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lock, idleSeconds * 1000);
    };
    ["mousemove", "keydown", "mousedown", "touchstart", "scroll"].forEach(function (name) {
      window.addEventListener(name, reset, { passive: true });
    });
    reset();
  }

  // After a failed submit the page comes back with an error summary: move the
  // focus there so keyboard and screen-reader users hear what is wrong
  // (WCAG 3.3.1, 2.4.3). htmx swaps bring one too.
  var focusErrors = function (root) {
    var summary = (root || document).querySelector(".error-summary");
    if (summary) { summary.focus(); }
  };
  focusErrors(document);
  document.body.addEventListener("htmx:afterSettle", function (event) {
    focusErrors(event.target);
  });

  // Enter submits a form from a one-line field; in a multi-line box it starts a
  // new line, so Ctrl+Enter (Cmd+Enter on a Mac) submits from there.
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) &&
        box.tagName === "TEXTAREA" && box.form) {
      event.preventDefault();
      box.form.requestSubmit();
    }
  });

  // <button data-print> prints the page (inline handlers are barred by the CSP).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
