// Follows a background import on its admin page: polls the job's status
// endpoint (data-status-url) every two seconds, updates the bar and the counts,
// and reloads the page once the job has ended, to show its outcome.
(function () {
  "use strict";
  function start() {
    var box = document.querySelector(".import-progress[data-status-url]");
    if (!box || box.dataset.finished === "true") return;
    var bar = box.querySelector("progress");
    function field(name) { return box.querySelector('[data-field="' + name + '"]'); }
    function show(status) {
      if (status.percent !== null && status.percent !== undefined) {
        bar.value = status.percent;
        field("percent").textContent = "(" + status.percent + " %)";
      }
      field("rows_done").textContent = status.rows_done;
      field("status_label").textContent = status.status_label;
      field("cancelling").hidden = !status.cancelling;
    }
    function poll() {
      fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (status) {
          if (!status) { window.setTimeout(poll, 5000); return; }
          show(status);
          if (status.finished) { window.location.reload(); return; }
          window.setTimeout(poll, 2000);
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    window.setTimeout(poll, 1000);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
