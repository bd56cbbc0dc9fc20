/* The Bikram Sambat date, live, next to every date input (spec/nepal.md).
   The server converts (GET data-endpoint?date=YYYY-MM-DD, the same library as the pages);
   this file carries no calendar table. Loaded as a file: no inline script (CSP). */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var endpoint = script.getAttribute("data-endpoint");
  var label = script.getAttribute("data-label") || "BS";
  var nepali = (document.documentElement.lang || "").indexOf("ne") === 0;
  var ISO = /^\d{4}-\d{2}-\d{2}$/;

  function outputFor(input) {
    var id = input.id ? input.id + "-bs" : "";
    var existing = id && document.getElementById(id);
    if (existing) { return existing; }
    var output = document.createElement("output");
    output.className = "form-text d-block bs-date";
    output.setAttribute("aria-live", "polite");
    if (id) {
      output.id = id;
      output.setAttribute("for", input.id);
    }
    input.insertAdjacentElement("afterend", output);
    return output;
  }

  function show(input) {
    var output = outputFor(input);
    var value = input.value;
    if (!ISO.test(value)) { output.textContent = ""; return; }
    var request = new XMLHttpRequest();
    request.open("GET", endpoint + "?date=" + encodeURIComponent(value));
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      if (input.value !== value) { return; }  // typed on meanwhile
      var text = "";
      if (request.status === 200) {
        var answer = JSON.parse(request.responseText);
        text = nepali ? answer.ne : answer.en;
      }
      output.textContent = text ? label + ": " + text : "";
    };
    request.send();
  }

  function start() {
    // every date box carries data-bs-date (portal/bounded_fields.BoundedDateField, and the day board's box)
    var inputs = document.querySelectorAll("input[data-bs-date]");
    Array.prototype.forEach.call(inputs, function (input) {
      input.addEventListener("input", function () { show(input); });
      input.addEventListener("change", function () { show(input); });
      if (input.value) { show(input); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
