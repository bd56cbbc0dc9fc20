// The one-time link on a page (people/password_link.html): a "Copy" button where the browser
// can write to the clipboard, and "Share…" where it has a share sheet (phones). Both buttons
// are hidden until this file finds the browser can do it; the link and its QR code work without.
// No inline script: loaded with `defer`, under the strict Content-Security-Policy.
(function () {
  "use strict";
  var box = document.querySelector("[data-share-link]");
  if (!box) { return; }
  var url = box.getAttribute("data-share-link");
  var status = box.querySelector("[data-share-status]");
  var copy = box.querySelector("[data-share-copy]");
  var share = box.querySelector("[data-share-open]");
  function say(text) { if (status) { status.textContent = text; } }
  if (copy && navigator.clipboard && window.isSecureContext) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(url).then(function () {
        say(copy.getAttribute("data-done"));
      }, function () { say(copy.getAttribute("data-failed")); });
    });
  }
  if (share && navigator.share) {
    share.hidden = false;
    share.addEventListener("click", function () {
      navigator.share({ title: share.getAttribute("data-title"), url: url }).catch(function () {});
    });
  }
}());
