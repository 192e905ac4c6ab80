// The reading page: tells the server the page is still open (a heartbeat) and when the end of
// the material was reached. The server decides from its own record of when the page was opened
// whether the read counts; this script only reports.
(function () {
  "use strict";
  var form = document.getElementById("read-beat");
  if (!form) return;
  var status = document.getElementById("read-status");
  var minSeconds = parseInt(form.dataset.minSeconds || "30", 10);
  var done = form.dataset.read === "1";
  var timer = null;

  function show(data) {
    if (!status) return;
    if (data.read) {
      status.textContent = status.dataset.readText;
      status.className = "badge green";
    } else if (data.wait > 0) {
      status.textContent = status.dataset.waitText.replace("{n}", data.wait);
    }
  }

  function send(finished) {
    if (done) return;
    var body = new FormData(form);
    body.set("finished", finished ? "1" : "");
    fetch(form.action, { method: "POST", body: body, credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        show(data);
        if (data.read) {
          done = true;
          if (timer) clearInterval(timer);
          document.querySelectorAll("[data-hide-after-read]").forEach(function (el) { el.hidden = true; });
        }
      })
      .catch(function () {});
  }

  var every = Math.max(1, Math.min(10, minSeconds)) * 1000;
  timer = setInterval(function () { if (!document.hidden) send(false); }, every);

  var end = document.getElementById("read-end");
  if (end && "IntersectionObserver" in window) {
    var seen = false;
    new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting && !seen) { seen = true; send(true); setTimeout(function () { seen = false; }, 5000); }
      });
    }).observe(end);
  }
})();
