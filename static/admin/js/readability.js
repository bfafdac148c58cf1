/* Live readability panel of the variant form: re-analyses the French body
   after each pause in typing (POST to the staff-only quality endpoint) and
   fills the panel's fields. Text only: nothing is inserted as HTML. */
(function () {
  "use strict";
  var DELAY_MS = 700;

  function csrfToken(panel) {
    var form = panel.closest("form");
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setText(panel, name, value) {
    var el = panel.querySelector('[data-field="' + name + '"]');
    if (el) { el.textContent = value; }
  }

  function update(panel, report) {
    var r = report.readability;
    setText(panel, "score", r.score === null ? "–" : String(r.score));
    setText(panel, "verdict", "(" + report.verdict + ")");
    setText(panel, "words", String(r.words));
    setText(panel, "sentences", String(r.sentences));
    setText(panel, "avg_sentence_length", String(r.avg_sentence_length));
    setText(panel, "tables", String(r.tables || 0));
    var list = panel.querySelector('[data-field="longest"]');
    if (list) {
      list.replaceChildren();
      r.longest.forEach(function (sentence) {
        var li = document.createElement("li");
        li.textContent = sentence.text + " (" + sentence.words + " " + report.words_label + ")";
        list.appendChild(li);
      });
    }
    if (report.glossary_terms) {
      setText(panel, "glossary_terms", report.glossary_terms.join(", ") || "–");
      setText(panel, "jargon", report.jargon.join(", ") || "–");
    }
  }

  function watch(panel) {
    var source = document.getElementById(panel.dataset.source);
    if (!source) { return; }
    var audienceField = document.getElementById(panel.dataset.audienceField);
    var timer = null;
    var pending = null;
    function analyse() {
      if (pending) { pending.abort(); }
      pending = new AbortController();
      var body = new URLSearchParams();
      body.set("content", source.value);
      body.set("audience", audienceField ? audienceField.value : (panel.dataset.audience || ""));
      fetch(panel.dataset.qualityUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(panel) },
        signal: pending.signal
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (report) {
        if (report) { update(panel, report); }
      }).catch(function () { /* aborted or offline: keep the last figures */ });
    }
    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(analyse, DELAY_MS);
    }
    source.addEventListener("input", later);
    if (audienceField) { audienceField.addEventListener("change", later); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".quality-panel[data-quality-url]").forEach(watch);
  });
})();
