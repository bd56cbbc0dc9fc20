// The template editor's live preview: the text with a made-up booking, its length and SMS count.
(function () {
  const form = document.getElementById("template-form");
  if (!form) return;
  const body = form.querySelector("textarea[name=body]");
  const words = document.currentScript ? document.currentScript.dataset.words : "%(length)s, %(segments)s";
  let timer = null;
  body.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(async function () {
      const url = form.dataset.preview + "?body=" + encodeURIComponent(body.value);
      const answer = await fetch(url, { credentials: "same-origin" });
      if (!answer.ok) return;
      const data = await answer.json();
      document.getElementById("preview-text").textContent = data.text;
      document.getElementById("preview-size").textContent =
        words.replace("%(length)s", data.length).replace("%(segments)s", data.segments) + " (" + data.encoding + ")";
      document.getElementById("preview-error").textContent = data.error || "";
    }, 250);
  });
})();
