/* Next to every date box (spec/nepal.md), live:
   - a Gregorian date typed: its Bikram Sambat date ("Bikram Sambat: 21 Mangsir 2083");
   - a BS date typed ("BS 2083-08-21", portal/domain/typed_dates.py): the Gregorian date it names;
   - once the box is left with a date that cannot be, what is wrong ("February 2027 has 28 days.").
   The server reads and converts (GET data-endpoint?date=…, the same code and library as the
   forms); this file carries no calendar table. Loaded as a file: no inline script (CSP). */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var endpoint = script.getAttribute("data-endpoint");
  var label = script.getAttribute("data-label") || "BS";
  var labelGregorian = script.getAttribute("data-label-gregorian") || "AD";
  var nepali = (document.documentElement.lang || "").indexOf("ne") === 0;
  var COMPLETE = /[0-9०-९]{4}\D+[0-9०-९]{1,2}\D+[0-9०-९]{1,2}/;

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

  function say(answer) {
    if (answer.calendar === "BS") {
      var gregorian = nepali ? answer.gregorian_ne : answer.gregorian_en;
      return gregorian ? labelGregorian + ": " + gregorian : "";
    }
    var bs = nepali ? answer.ne : answer.en;
    return bs ? label + ": " + bs : "";
  }

  function show(input, left) {
    var output = outputFor(input);
    var value = input.value.trim();
    // Typing ("input") then leaving the box ("change") sends two requests; only the newest may
    // write, or an older answer arriving last would wipe the message the newer one showed.
    var asked = (input.bsDateAsked || 0) + 1;
    input.bsDateAsked = asked;
    if (!COMPLETE.test(value)) { output.classList.remove("text-danger"); output.textContent = ""; return; }
    var request = new XMLHttpRequest();
    request.open("GET", endpoint + "?date=" + encodeURIComponent(value));
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      if (input.bsDateAsked !== asked) { return; }  // a newer request was sent meanwhile
      var text = "";
      var answer = null;
      try { answer = JSON.parse(request.responseText); } catch (e) { answer = null; }
      if (request.status === 200 && answer) {
        text = say(answer);
      } else if (request.status === 400 && answer && left) {
        text = answer.error || "";
      }
      output.classList.toggle("text-danger", request.status === 400 && left);
      output.textContent = text;
    };
    request.send();
  }

  function start() {
    // every date box carries data-bs-date (portal/bounded_fields.BoundedDateField, and the day board's box)
    var inputs = document.querySelectorAll("input[data-bs-date]");
    Array.prototype.forEach.call(inputs, function (input) {
      if (input.type === "hidden") { return; }  // a date carried along, already shown on the page
      input.addEventListener("input", function () { show(input, false); });
      input.addEventListener("change", function () { show(input, true); });
      if (input.value) { show(input, false); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
