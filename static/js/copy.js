/* Copy buttons: <button data-copy="#source" hidden> copies the text of #source (its value, for a text area) and says
   so in the [data-copy-status] live region beside it, in the words of its data-copied
   and data-copy-failed (the page's language). The button stays hidden where the
   Clipboard API is missing (plain http): the text can still be selected and copied. */
(function () {
  "use strict";

  var timers = new WeakMap();

  function say(status, text) {
    if (!status) return;
    status.textContent = text;
    clearTimeout(timers.get(status));
    timers.set(status, setTimeout(function () { status.textContent = ""; }, 3000));
  }

  function reveal() {
    if (!navigator.clipboard) return;
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-copy]") : null;
    if (!button) return;
    var source = document.querySelector(button.dataset.copy);
    var status = button.parentElement.querySelector("[data-copy-status]");
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText("value" in source ? source.value : source.textContent).then(
      function () { say(status, status && status.dataset.copied); },
      function () { say(status, status && status.dataset.copyFailed); }
    );
  });
  document.addEventListener("htmx:afterSwap", reveal);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", reveal);
  } else {
    reveal();
  }
})();
