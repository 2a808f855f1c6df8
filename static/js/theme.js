/* The colour scheme each person chose: light, dark, or the system's (the default). The
   choice is kept in localStorage and set as data-theme on <html>, which the stylesheet
   reads. This file is loaded blocking in <head> so the attribute is there before the
   first paint (no light flash on a dark page); the menu in the top bar
   (components/theme_toggle.html) changes it, and other open tabs follow. */
(function () {
  "use strict";

  var KEY = "snagdesk-theme";
  var CHOICES = ["light", "dark"];
  var root = document.documentElement;

  function stored() {
    try {
      return localStorage.getItem(KEY);
    } catch (error) {
      return null; // storage blocked: follow the system
    }
  }

  function store(choice) {
    try {
      if (CHOICES.indexOf(choice) === -1) localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, choice);
    } catch (error) {
      // storage blocked: the choice lasts for this page only
    }
  }

  function apply(choice) {
    if (CHOICES.indexOf(choice) === -1) root.removeAttribute("data-theme");
    else root.setAttribute("data-theme", choice);
  }

  function menu() {
    return document.querySelector("[data-theme-choice]");
  }

  apply(stored());

  document.addEventListener("DOMContentLoaded", function () {
    var select = menu();
    if (!select) return;
    select.value = root.getAttribute("data-theme") || "system";
    select.closest(".theme-toggle").hidden = false; // useless without this script
    select.addEventListener("change", function () {
      store(select.value);
      apply(select.value);
    });
  });

  window.addEventListener("storage", function (event) {
    if (event.key !== KEY) return;
    apply(event.newValue);
    var select = menu();
    if (select) select.value = event.newValue || "system";
  });
})();
