/* Secure messages in the browser (docs/secure-messages.md, "Cryptography").

   The text is encrypted here, with AES-256-GCM under a fresh random 256-bit key that
   only the link's fragment (#…) carries; a password, when there is one, is stretched
   with PBKDF2-SHA256 over that key. The server receives the ciphertext envelope and a
   verifier derived from the key (HKDF), never the text, the key or the password.

   Pages mark their parts with data attributes:
   - form[data-secret-create]   encrypt a secret and show its link;
   - form[data-secret-request]  ask a client for a secret: two links, theirs and ours;
   - [data-secret-reveal]       the link's page: prove the key, fetch, decrypt;
   - form[data-secret-answer]   the client's side of a request.
   Texts for people come from the page ([data-secret-texts]), in its language. */
(function () {
  "use strict";

  var PREFIX = "snagdesk/secure-message/v1";
  var ITERATIONS = 600000;
  var encoder = new TextEncoder();
  var decoder = new TextDecoder();

  function base64url(bytes) {
    var text = "";
    for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function unbase64url(text) {
    if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
    var binary = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4));
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  function randomBytes(count) {
    return crypto.getRandomValues(new Uint8Array(count));
  }

  /* The key material: the fragment key itself, or with a password PBKDF2 of the
     password salted with the fragment key (so neither alone is enough). */
  async function master(key, password) {
    if (!password) return key;
    var base = await crypto.subtle.importKey(
      "raw", encoder.encode(password.normalize("NFC")), "PBKDF2", false, ["deriveBits"]);
    var bits = await crypto.subtle.deriveBits(
      { name: "PBKDF2", hash: "SHA-256", salt: key, iterations: ITERATIONS }, base, 256);
    return new Uint8Array(bits);
  }

  function hkdfParams(info) {
    return { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: encoder.encode(info) };
  }

  /* The AES key and the verifier (base64url) for a message id. */
  async function derive(key, password, id) {
    var material = await crypto.subtle.importKey(
      "raw", await master(key, password), "HKDF", false, ["deriveBits", "deriveKey"]);
    var aes = await crypto.subtle.deriveKey(
      hkdfParams(PREFIX + "/encryption"), material, { name: "AES-GCM", length: 256 }, false,
      ["encrypt", "decrypt"]);
    var verifier = await crypto.subtle.deriveBits(
      hkdfParams(PREFIX + "/verifier|" + id), material, 256);
    return { aes: aes, verifier: base64url(new Uint8Array(verifier)) };
  }

  /* What the ciphertext is bound to: the id, the expiry and the burn flag. */
  function additionalData(id, expiry, burn) {
    return encoder.encode([PREFIX, id, expiry, burn ? "burn" : "keep"].join("|"));
  }

  function newId() {
    return base64url(randomBytes(16));
  }

  function newKey() {
    return base64url(randomBytes(32));
  }

  /* Encrypt `text`: {id, key, verifier, envelope}; `id` and `key` are made when not given. */
  async function seal(options) {
    var id = options.id || newId();
    var key = options.key || newKey();
    var derived = await derive(unbase64url(key), options.password, id);
    var iv = randomBytes(12);
    var ciphertext = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv: iv, additionalData: additionalData(id, options.expiry, options.burn) },
      derived.aes, encoder.encode(options.text));
    var envelope = { v: 1, alg: "A256GCM", kdf: options.password ? "PBKDF2-SHA256" : "none",
      iv: base64url(iv), ct: base64url(new Uint8Array(ciphertext)) };
    if (options.password) envelope.iter = ITERATIONS;
    return { id: id, key: key, verifier: derived.verifier, envelope: envelope };
  }

  /* The verifier that proves the key (and the password) for message `id`. */
  async function verifierFor(key, password, id) {
    return (await derive(unbase64url(key), password, id)).verifier;
  }

  /* Decrypt an envelope; rejects when the key, the password or the bound data differ. */
  async function open(options) {
    var envelope = options.envelope;
    if (envelope.v !== 1 || envelope.alg !== "A256GCM") throw new Error("unknown envelope");
    var derived = await derive(unbase64url(options.key), options.password, options.id);
    var plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: unbase64url(envelope.iv),
        additionalData: additionalData(options.id, options.expiry, options.burn) },
      derived.aes, unbase64url(envelope.ct));
    return decoder.decode(plain);
  }

  window.SnagdeskSecrets = { seal: seal, open: open, verifierFor: verifierFor, newId: newId, newKey: newKey };

  // The pages ---------------------------------------------------------------------------

  var texts = document.querySelector("[data-secret-texts]");

  function say(name) {
    return (texts && texts.dataset[name]) || name;
  }

  function csrfToken(root) {
    var input = root.querySelector("input[name=csrfmiddlewaretoken]") ||
      document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  async function post(url, body, root) {
    var response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(root), "Accept": "application/json" },
      body: JSON.stringify(body),
    });
    var data = {};
    try { data = await response.json(); } catch (error) { data = {}; }
    return { status: response.status, data: data };
  }

  function show(status, text, isError) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError));
  }

  /* A refused write: the message, and each field's reasons beside it. */
  function showErrors(form, status, data) {
    form.querySelectorAll("[data-field-error]").forEach(function (node) { node.remove(); });
    var fields = data.fields || {};
    Object.keys(fields).forEach(function (name) {
      var input = form.querySelector("[name=" + name + "]");
      var note = document.createElement("p");
      note.className = "error";
      note.setAttribute("data-field-error", "");
      note.textContent = fields[name].join(" ");
      (input ? input.closest(".field") || input.parentNode : form).appendChild(note);
    });
    show(status, data.message || say("failed"), true);
  }

  function value(form, name) {
    var input = form.querySelector("[name=" + name + "]:checked") || form.querySelector("[name=" + name + "]");
    return input ? input.value : "";
  }

  function fillLinks(result, links) {
    Object.keys(links).forEach(function (name) {
      var node = result.querySelector("[data-link=" + name + "]");
      if (node) node.textContent = links[name];
    });
    result.hidden = false;
    var focus = result.querySelector("[data-focus-after-swap]:not([hidden])") || result;
    focus.focus();
  }

  async function submitCreate(form) {
    var status = form.querySelector("[data-secret-status]");
    var text = value(form, "text");
    if (!text) return showErrors(form, status, { fields: { text: [say("required")] }, message: say("required") });
    var expiry = value(form, "expiry");
    var burn = value(form, "burn") === "burn";
    var password = value(form, "password");
    show(status, say("encrypting"));
    var sealed = await seal({ text: text, expiry: expiry, burn: burn, password: password });
    var body = { id: sealed.id, kind: "message", verifier: sealed.verifier, envelope: sealed.envelope,
      expiry: expiry, burn_after_reading: burn, has_password: Boolean(password), note: value(form, "note") };
    if (form.querySelector("[name=client]")) body.client = value(form, "client") || null;
    var answer = await post(form.dataset.endpoint, body, form);
    if (answer.status !== 201) return showErrors(form, status, answer.data);
    form.reset();
    show(status, "");
    var result = document.querySelector(form.dataset.result);
    fillLinks(result, { secret: answer.data.url + "#" + sealed.key });
    form.dispatchEvent(new CustomEvent("secret:created", { bubbles: true, detail: { link: answer.data.url + "#" + sealed.key } }));
  }

  async function submitRequest(form) {
    var status = form.querySelector("[data-secret-status]");
    var id = newId();
    var key = newKey();
    var expiry = value(form, "expiry");
    show(status, say("encrypting"));
    var body = { id: id, kind: "request", verifier: await verifierFor(key, "", id), expiry: expiry,
      burn_after_reading: value(form, "burn") === "burn", note: value(form, "note"),
      client: value(form, "client") || null };
    var answer = await post(form.dataset.endpoint, body, form);
    if (answer.status !== 201) return showErrors(form, status, answer.data);
    form.reset();
    show(status, "");
    fillLinks(document.querySelector(form.dataset.result), {
      client: answer.data.answer_url + "#" + key, staff: answer.data.url + "#" + key });
  }

  function fragmentKey() {
    var key = window.location.hash.replace(/^#/, "");
    return /^[A-Za-z0-9_-]{43}$/.test(key) ? key : "";
  }

  async function reveal(root, button) {
    var status = root.querySelector("[data-secret-status]");
    var key = fragmentKey();
    if (!key) return show(status, say("incomplete"), true);
    var passwordInput = root.querySelector("[name=password]");
    var password = passwordInput ? passwordInput.value : "";
    if (passwordInput && !password) return show(status, say("passwordNeeded"), true);
    var burn = root.dataset.burn === "true";
    button.disabled = true;
    show(status, say("opening"));
    try {
      var verifier = await verifierFor(key, password, root.dataset.id);
      var answer = await post(root.dataset.endpoint, { verifier: verifier }, root);
      if (answer.status !== 200) {
        button.disabled = answer.status === 404;
        return show(status, answer.data.message || say("failed"), true);
      }
      var text = await open({ envelope: answer.data.envelope, key: key, password: password,
        id: root.dataset.id, expiry: root.dataset.expiry, burn: burn });
      // The key leaves the address bar (and the history) once it has served.
      history.replaceState(null, "", window.location.pathname);
      var output = root.querySelector("[data-secret-text]");
      output.value = text;
      root.querySelector("[data-secret-revealed]").hidden = false;
      root.querySelector("[data-secret-waiting]").hidden = true;
      show(status, burn ? say("burned") : "");
      output.focus();
    } catch (error) {
      button.disabled = false;
      show(status, say("undecryptable"), true);
    }
  }

  async function submitAnswer(form) {
    var status = form.querySelector("[data-secret-status]");
    var key = fragmentKey();
    if (!key) return show(status, say("incomplete"), true);
    var text = value(form, "text");
    if (!text) return showErrors(form, status, { fields: { text: [say("required")] }, message: say("required") });
    show(status, say("encrypting"));
    var sealed = await seal({ text: text, key: key, id: form.dataset.id, expiry: form.dataset.expiry,
      burn: form.dataset.burn === "true" });
    var answer = await post(form.dataset.endpoint, { verifier: sealed.verifier, envelope: sealed.envelope }, form);
    if (answer.status !== 201) return showErrors(form, status, answer.data);
    history.replaceState(null, "", window.location.pathname);
    form.hidden = true;
    var done = document.querySelector(form.dataset.result);
    done.hidden = false;
    done.focus();
  }

  function guarded(handler) {
    return function (event) {
      event.preventDefault();
      var target = event.currentTarget;
      var button = target.querySelector("button[type=submit]") || event.submitter;
      if (button) button.disabled = true;
      Promise.resolve(handler(target, button)).catch(function () {
        show(target.querySelector("[data-secret-status]"), say("failed"), true);
      }).finally(function () {
        if (button && !target.hasAttribute("data-secret-reveal")) button.disabled = false;
      });
    };
  }

  document.querySelectorAll("form[data-secret-create]").forEach(function (form) {
    form.addEventListener("submit", guarded(submitCreate));
  });
  document.querySelectorAll("form[data-secret-request]").forEach(function (form) {
    form.addEventListener("submit", guarded(submitRequest));
  });
  document.querySelectorAll("form[data-secret-answer]").forEach(function (form) {
    form.addEventListener("submit", guarded(submitAnswer));
  });
  document.querySelectorAll("[data-secret-reveal]").forEach(function (root) {
    var button = root.querySelector("[data-secret-reveal-button]");
    button.addEventListener("click", function () {
      reveal(root, button);
    });
  });
  document.querySelectorAll("[data-needs-js]").forEach(function (node) {
    node.hidden = false;
  });
})();
