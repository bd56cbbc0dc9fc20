// Destructive actions ask first (spec/ui.md). A form with data-confirm="message" asks the
// person with that message before it is sent; "Cancel" sends nothing. With
// data-confirm-field="name", "{value}" in the message is replaced by that field's value (written in
// Devanagari digits on a Nepali page), and data-confirm-one, when given, is the message for a value
// of 1 (the singular: "1 emergency change", data-confirm has the plural). No inline script:
// this file is loaded by base.html and works with a strict Content-Security-Policy.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) { return; }
    var message = form.getAttribute("data-confirm");
    var named = form.getAttribute("data-confirm-field");  // "{value}" in the message = that box's value
    if (message && named && form.elements[named]) {
      var value = form.elements[named].value.trim();
      if (form.hasAttribute("data-confirm-one") && Number(value) === 1) {
        message = form.getAttribute("data-confirm-one");
      }
      if ((document.documentElement.lang || "").indexOf("ne") === 0) {
        value = value.replace(/[0-9]/g, function (d) { return String.fromCharCode(0x0966 + Number(d)); });
      }
      message = message.split("{value}").join(value);
    }
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
}());
