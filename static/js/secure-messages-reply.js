/* "Insert a secure message" in a ticket's staff reply form (templates/secure_messages/
   reply_tool.html, a reply tool of the module registry).

   The tool's fields sit inside the reply form but have no name, so the reply never
   posts them. The text is sealed here with window.SnagdeskSecrets (secure-messages.js),
   only the envelope and the verifier go to the staff API, and the link (url#key) is
   put into the reply's text box at the cursor. Enter in the tool encrypts and inserts
   instead of sending the reply. The reply form is swapped after each reply, so the
   handlers are bound once, on the document; the page loads this file again with each
   new form, and the guard keeps it to one binding. */
(function () {
  "use strict";

  if (window.SnagdeskSecretReplyTool) return;
  window.SnagdeskSecretReplyTool = true;

  function input(tool, name) {
    return tool.querySelector("[data-secret-input=" + name + "]");
  }

  function say(tool, name, isError) {
    var status = tool.querySelector("[data-secret-tool-status]");
    status.textContent = tool.dataset[name] || "";
    status.classList.toggle("error", Boolean(isError));
  }

  function csrfToken(form) {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  /* The link goes where the cursor was (or over the selection), set apart by spaces. */
  function insertAtCursor(box, link) {
    var start = box.selectionStart, end = box.selectionEnd;
    var before = box.value.slice(0, start), after = box.value.slice(end);
    var text = (before && !/\s$/.test(before) ? " " : "") + link + (after && !/^\s/.test(after) ? " " : "");
    box.setRangeText(text, start, end, "end");
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }

  async function insert(tool) {
    var form = tool.closest("form");
    var box = form.querySelector("textarea[name=message]");
    var text = input(tool, "text").value;
    if (!text) {
      say(tool, "required", true);
      input(tool, "text").focus();
      return;
    }
    var expiry = input(tool, "expiry").value;
    var burn = input(tool, "burn").checked;
    var password = input(tool, "password").value;
    say(tool, "encrypting");
    var sealed = await window.SnagdeskSecrets.seal({ text: text, expiry: expiry, burn: burn, password: password });
    var body = { id: sealed.id, kind: "message", verifier: sealed.verifier, envelope: sealed.envelope,
      expiry: expiry, burn_after_reading: burn, has_password: Boolean(password),
      note: tool.dataset.note || "", client: tool.dataset.client ? Number(tool.dataset.client) : null };
    var response = await fetch(tool.dataset.endpoint, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken(form) },
      body: JSON.stringify(body),
    });
    var data = {};
    try { data = await response.json(); } catch (error) { data = {}; }
    if (response.status !== 201) {
      var status = tool.querySelector("[data-secret-tool-status]");
      say(tool, "failed", true);
      if (data.message) status.textContent = data.message;
      return;
    }
    insertAtCursor(box, data.url + "#" + sealed.key);
    input(tool, "text").value = "";
    input(tool, "password").value = "";
    tool.querySelector("[data-secret-tool-details]").open = false;
    say(tool, "inserted");
    box.focus();
  }

  function run(tool) {
    var button = tool.querySelector("[data-secret-insert]");
    if (button.disabled) return;
    button.disabled = true;
    insert(tool).catch(function () {
      say(tool, "failed", true);
    }).finally(function () {
      button.disabled = false;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-secret-insert]");
    if (button) run(button.closest("[data-secret-tool]"));
  });

  // Captured before console.js's Ctrl+Enter (which would send the reply) and before
  // the form's own Enter (which would submit it).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.closest) return;
    var tool = event.target.closest("[data-secret-tool]");
    if (!tool || event.target.matches("summary, button")) return;
    var inTextBox = event.target instanceof HTMLTextAreaElement;
    if (inTextBox && !(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    event.stopPropagation();
    run(tool);
  }, true);

  function reveal(root) {
    root.querySelectorAll("[data-secret-tool][hidden]").forEach(function (tool) { tool.hidden = false; });
  }

  reveal(document);
  document.addEventListener("htmx:load", function (event) { reveal(event.target.parentNode || document); });
})();
