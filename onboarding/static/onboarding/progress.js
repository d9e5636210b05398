// The progress of an ONDE import, read from its status view every second
// (no inline script: the admin's Content-Security-Policy forbids it).
(function () {
  "use strict";
  var box = document.querySelector("[data-onde-status-url]");
  if (!box) {
    return;
  }
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-onde-text]");
  var done = document.querySelector("[data-onde-done]");
  var failed = document.querySelector("[data-onde-failed]");
  var failure = document.querySelector("[data-onde-error]");

  function poll() {
    fetch(box.dataset.ondeStatusUrl, { credentials: "same-origin" })
      .then(function (response) {
        return response.json();
      })
      .then(function (state) {
        bar.max = state.total || 1;
        bar.value = state.done;
        text.textContent = state.label + " : " + state.done + " / " + state.total + " (" + state.percent + " %)";
        if (state.status === "done") {
          bar.value = bar.max;
          done.hidden = false;
        } else if (state.status === "failed") {
          failure.textContent = state.error;
          failed.hidden = false;
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 3000);
      });
  }
  poll();
})();
