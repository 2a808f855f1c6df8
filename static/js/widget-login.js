// The widget sign-in popup (/portal/widget-login/): hand the signed widget session to the
// page that opened this window, at that page's origin only, then close.
(function () {
  "use strict";
  var box = document.getElementById("widget-session");
  if (!box) {
    return;
  }
  var opener = window.opener;
  if (opener && !opener.closed) {
    opener.postMessage(
      {
        type: "snagdesk:session",
        session: box.dataset.session,
        name: box.dataset.name,
        email: box.dataset.email,
        lang: box.dataset.lang,
      },
      box.dataset.origin
    );
    window.close();
  }
  // Still open: nobody to hand the session to, or the browser keeps the window.
  document.getElementById("widget-login-pending").hidden = true;
  document.getElementById("widget-login-done").hidden = false;
})();
