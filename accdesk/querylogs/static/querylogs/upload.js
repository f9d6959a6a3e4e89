// Upload progress for the query-log import page (htmx sends the form; inline
// scripts are barred by the CSP, hence this file).
(function () {
  "use strict";
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target.closest ? event.target.closest("[data-ql-upload]") : null;
    if (!form || !event.detail.lengthComputable) { return; }
    var bar = form.querySelector(".ql-progress");
    var status = form.querySelector("[data-ql-status]");
    var percent = Math.round((event.detail.loaded / event.detail.total) * 100);
    bar.hidden = false;
    bar.value = percent;
    status.textContent = percent < 100 ? "Uploading: " + percent + " %" : "Uploaded; importing and auditing…";
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.target.closest ? event.target.closest("[data-ql-upload]") : null;
    if (form) { form.querySelector("button[type=submit]").disabled = true; }
  });
})();
