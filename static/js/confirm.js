// Destructive actions ask first (spec/ui.md). A form with data-confirm="message" asks the
// person with that message before it is sent; "Cancel" sends nothing. With
// data-confirm-field="name", "{value}" in the message is replaced by that field's value. No inline script:
// this file is loaded by base.html and works with a strict Content-Security-Policy.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) { return; }
    var message = form.getAttribute("data-confirm");
    var named = form.getAttribute("data-confirm-field");  // "{value}" in the message = that box's value
    if (message && named && form.elements[named]) {
      message = message.split("{value}").join(form.elements[named].value);
    }
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
}());
