/* Live preview of the widget settings. A form marked data-widget-preview="#frame" redraws
   that mock frame on every change: numbers and colours become CSS custom properties, the
   corner a data attribute, texts are set as text (never as HTML). */
(function () {
  "use strict";

  var COLOR = /^#[0-9a-fA-F]{6}$/;
  var PIXELS = {
    offset_x: "--wsp-x",
    offset_y: "--wsp-y",
    font_size: "--wsp-font",
    border_radius: "--wsp-radius",
    padding: "--wsp-pad"
  };
  var logoFile = null;
  var logoUrl = "";

  function value(form, name) {
    var field = form.elements.namedItem(name);
    if (!field) return null;
    if (typeof RadioNodeList !== "undefined" && field instanceof RadioNodeList) return field.value;
    if (field.type === "checkbox") return field.checked;
    return field.value;
  }

  function uploadedLogo(form) {
    var input = form.elements.namedItem("logo");
    var file = input && input.files && input.files[0];
    if (!file) return "";
    if (file !== logoFile) {
      // One object URL per chosen file; the previous one is released.
      if (logoUrl) URL.revokeObjectURL(logoUrl);
      logoFile = file;
      logoUrl = URL.createObjectURL(file);
    }
    return logoUrl;
  }

  function drawLogo(form, frame) {
    var img = frame.querySelector("[data-preview-logo]");
    if (!img) return;
    var src = uploadedLogo(form);
    if (!src && img.dataset.stored && !value(form, "remove_logo")) src = img.dataset.stored;
    if (!src) {
      var address = String(value(form, "logo_url") || "").trim();
      if (/^https:\/\//i.test(address)) src = address;
    }
    if (src) {
      if (img.getAttribute("src") !== src) img.setAttribute("src", src);
      img.hidden = false;
    } else {
      img.removeAttribute("src");
      img.hidden = true;
    }
  }

  function draw(form) {
    var frame = document.querySelector(form.dataset.widgetPreview);
    if (!frame) return;
    var accent = value(form, "accent_color");
    if (accent && COLOR.test(accent)) frame.style.setProperty("--wsp-accent", accent);
    Object.keys(PIXELS).forEach(function (name) {
      var number = parseInt(value(form, name), 10);
      if (!isNaN(number)) frame.style.setProperty(PIXELS[name], number + "px");
    });
    frame.dataset.position = value(form, "position") || frame.dataset.position;
    frame.dataset.textColor = value(form, "text_color") || frame.dataset.textColor;
    frame.querySelectorAll("[data-preview-text]").forEach(function (node) {
      var text = value(form, node.dataset.previewText);
      if (text === null) return;
      node.textContent = String(text).trim() || node.dataset.default || "";
      node.hidden = !node.textContent;
    });
    var shots = frame.querySelector("[data-preview-screenshots]");
    if (shots) shots.hidden = !value(form, "screenshots_enabled");
    var box = frame.querySelector("[data-preview-checked]");
    if (box) box.classList.toggle("is-checked", Boolean(value(form, "screenshot_checked")));
    drawLogo(form, frame);
  }

  function syncPickers(form) {
    form.querySelectorAll("input[type=color][data-color-for]").forEach(function (picker) {
      var text = document.getElementById(picker.dataset.colorFor);
      picker.hidden = false;
      if (text && COLOR.test(text.value)) picker.value = text.value.toLowerCase();
    });
  }

  function onChange(event) {
    var target = event.target;
    var form = target && target.closest ? target.closest("form[data-widget-preview]") : null;
    if (!form) return;
    if (target.matches("input[type=color][data-color-for]")) {
      var text = document.getElementById(target.dataset.colorFor);
      if (text) text.value = target.value;
    } else {
      syncPickers(form);
    }
    draw(form);
  }

  function init() {
    document.querySelectorAll("form[data-widget-preview]").forEach(function (form) {
      syncPickers(form);
      draw(form);
    });
  }

  document.addEventListener("input", onChange);
  document.addEventListener("change", onChange);
  // A form sent back with errors replaces the old one: redraw from what it now holds.
  document.addEventListener("htmx:afterSwap", init);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
