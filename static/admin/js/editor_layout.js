/* The variant's text fields: a live character count under each title and
   standfirst (with its limit), and a name over the Markdown preview. The
   texts come from the fields' data attributes, translated by the server. */
(function () {
  "use strict";

  function length(text) {
    return Array.from(text).length;  // characters, as the server counts them
  }

  function counter(field) {
    var limit = parseInt(field.dataset.charLimit, 10);
    var out = document.createElement("p");
    out.className = "char-count help";
    out.id = field.id + "-count";
    out.setAttribute("aria-live", "polite");
    field.setAttribute("aria-describedby",
      ((field.getAttribute("aria-describedby") || "") + " " + out.id).trim());
    field.insertAdjacentElement("afterend", out);
    function update() {
      var count = length(field.value);
      var text = field.dataset.charCount
        .replace("%(count)s", String(count)).replace("%(max)s", String(limit));
      if (count > limit) {
        text += " — " + field.dataset.charOver.replace("%(over)s", String(count - limit));
      }
      out.textContent = text;
      out.classList.toggle("over", count > limit);
    }
    field.addEventListener("input", update);
    update();
  }

  function previewLabel(editor) {
    var box = editor.closest(".markdownx");
    var preview = box && box.querySelector(".markdownx-preview");
    if (!preview || box.querySelector(".markdownx-preview-label")) { return; }
    var label = document.createElement("p");
    label.className = "markdownx-preview-label";
    label.id = editor.id + "-preview-label";
    label.textContent = editor.dataset.previewLabel;
    preview.insertAdjacentElement("beforebegin", label);
    preview.setAttribute("role", "region");
    preview.setAttribute("aria-labelledby", label.id);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-char-limit]").forEach(counter);
    document.querySelectorAll("textarea[data-preview-label]").forEach(previewLabel);
  });
})();
