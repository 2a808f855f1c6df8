/* Snagdesk for Joomla: prefill the widget's sender with the logged-in user.
 * Runs deferred, after the loader; reads data-name / data-email from the loader's tag and
 * calls Snagdesk.identify(). No inline script, so a strict CSP needs nothing more. */
(function () {
  'use strict';
  var tags = document.querySelectorAll('script[data-token][src*="/widget/v1/loader.js"]');
  var tag = null;
  for (var i = tags.length - 1; i >= 0; i -= 1) {
    if (tags[i].hasAttribute('data-name') || tags[i].hasAttribute('data-email')) {
      tag = tags[i];
      break;
    }
  }
  if (!tag) return;
  var identity = {};
  if (tag.hasAttribute('data-name')) identity.name = tag.getAttribute('data-name');
  if (tag.hasAttribute('data-email')) identity.email = tag.getAttribute('data-email');
  var identify = function () {
    if (window.Snagdesk && typeof window.Snagdesk.identify === 'function') {
      window.Snagdesk.identify(identity);
      return true;
    }
    return false;
  };
  // Deferred scripts run in order, so the loader has run; if it was made async, wait for it.
  if (!identify()) tag.addEventListener('load', identify, { once: true });
})();
