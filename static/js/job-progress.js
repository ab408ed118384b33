// Progressive enhancement for templates/jobs/_progress.html: poll the job's JSON status every second, update
// the <progress> bar and the status text (announced politely, only when it changes), then follow the result
// link or reload the page once the job is done; show the error in place when it failed. Without this script
// the "Actualiser" link does the same by hand.
(function () {
  "use strict";
  var POLL_MS = 1000;

  function watch(box) {
    var url = box.getAttribute("data-status-url");
    var status = box.getAttribute("data-status");
    if (!url || status === "done" || status === "failed") return;
    var bar = box.querySelector("[data-job-bar]");
    var label = box.querySelector("[data-job-label]");
    var percent = box.querySelector("[data-job-percent]");
    var error = box.querySelector("[data-job-error]");
    var refresh = box.querySelector("[data-job-refresh]");
    if (refresh) refresh.hidden = true;

    function giveUp() {
      if (refresh) refresh.hidden = false; // polling failed (offline, signed out): the link still works
    }

    function show(data) {
      if (bar) {
        bar.value = data.percent;
        bar.textContent = data.percent + " %";
      }
      var line = data.status_label + (data.message ? " : " + data.message : "");
      if (label && label.textContent !== line) label.textContent = line;
      if (percent) percent.textContent = "(" + data.percent + " %)";
    }

    function tick() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          if (!response.ok || type.indexOf("application/json") === -1) throw new Error("job status " + response.status);
          return response.json();
        })
        .then(function (data) {
          show(data);
          if (data.status === "done") {
            if (data.result_url) window.location.assign(data.result_url);
            else window.location.reload();
            return;
          }
          if (data.status === "failed") {
            if (error) {
              error.textContent = data.error || "";
              error.hidden = false;
            }
            return;
          }
          window.setTimeout(tick, POLL_MS);
        })
        .catch(giveUp);
    }

    window.setTimeout(tick, POLL_MS);
  }

  document.querySelectorAll("[data-job-progress]").forEach(watch);
})();
