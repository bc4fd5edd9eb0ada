// Reloads the PDF job status page while the job is queued or running (no inline script: CSP).
(function () {
  "use strict";
  var status = document.querySelector("[data-job-active]");
  if (!status) return;
  window.setTimeout(function () { window.location.reload(); }, 3000);
})();
