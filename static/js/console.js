/* The console's and the portal's keyboard comforts, for pages that work without them.

   - A form marked data-save-on-change sends itself when one of its selects changes, but
     a choice stepped through with the arrow keys (Chromium changes a closed select on
     every step) is sent only once committed: on Enter or when the select loses focus.
   - Ctrl+Enter (Cmd+Enter on a Mac) in a textarea of a form marked data-ctrl-enter (a
     reply or a note) sends it.
   - After an htmx swap, focus moves to the element marked data-focus-after-swap. */
(function () {
  "use strict";

  var STEPPING_KEYS = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"];
  var stepping = new WeakSet(); // selects last moved with the keyboard
  var unsent = new WeakSet(); // selects changed by stepping, not sent yet

  function saveForm(select) {
    return select.form && select.form.hasAttribute("data-save-on-change") ? select.form : null;
  }

  function send(form) {
    if (form.requestSubmit) form.requestSubmit();
    else form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
  }

  function commit(select) {
    if (!unsent.has(select)) return;
    unsent.delete(select);
    send(select.form);
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && saveForm(target)) {
      if (event.key === "Enter") {
        if (unsent.has(target)) event.preventDefault();
        commit(target);
      } else if (STEPPING_KEYS.indexOf(event.key) !== -1 || event.key.length === 1) {
        stepping.add(target); // arrows, and type-ahead by letter
      }
      return;
    }
    if (
      target instanceof HTMLTextAreaElement &&
      event.key === "Enter" &&
      (event.ctrlKey || event.metaKey) &&
      target.form &&
      target.form.hasAttribute("data-ctrl-enter")
    ) {
      event.preventDefault();
      send(target.form);
    }
  });

  document.addEventListener("pointerdown", function (event) {
    if (event.target instanceof HTMLSelectElement) stepping.delete(event.target);
  });

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement)) return;
    var form = saveForm(select);
    if (!form) return;
    if (stepping.has(select)) unsent.add(select);
    else send(form);
  });

  document.addEventListener("focusout", function (event) {
    if (event.target instanceof HTMLSelectElement) commit(event.target);
  });

  // After a swap, focus what the answer asks for (say, the reply just sent), so keyboard
  // and screen-reader users are not left on a form that was replaced under them.
  document.addEventListener("htmx:afterSettle", function () {
    var wanted = document.querySelector("[data-focus-after-swap]");
    if (!wanted) return;
    wanted.removeAttribute("data-focus-after-swap");
    if (!wanted.hasAttribute("tabindex")) wanted.setAttribute("tabindex", "-1");
    wanted.focus();
  });
})();
