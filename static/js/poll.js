/* Polling while the page is looked at: an element with data-poll-seconds="60" receives a
   "poll" event every 60 seconds while its tab is visible, so hx-trigger="poll" refreshes
   it (htmx's own "every 60s [filter]" would need eval, which the page's policy forbids). */
(function () {
  "use strict";

  var started = new WeakSet();

  function start(element) {
    if (started.has(element)) return;
    started.add(element);
    var seconds = parseInt(element.dataset.pollSeconds, 10);
    var timer = setInterval(function () {
      if (!element.isConnected) {
        clearInterval(timer);
      } else if (document.visibilityState === "visible") {
        element.dispatchEvent(new CustomEvent("poll"));
      }
    }, seconds * 1000);
  }

  function init() {
    document.querySelectorAll("[data-poll-seconds]").forEach(start);
  }

  document.addEventListener("htmx:afterSwap", init);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
