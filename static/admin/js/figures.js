/* Live figure checks of the variant form: after each pause in typing, the
   French and English texts are checked again (POST to the staff-only
   endpoint) and the panel's lists replaced. Text only: nothing is inserted
   as HTML. */
(function () {
  "use strict";
  var DELAY_MS = 900;
  var FIELDS = ["title_fr", "title_en", "standfirst_fr", "standfirst_en", "body_fr", "body_en"];

  function csrfToken(panel) {
    var form = panel.closest("form");
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function render(panel, report) {
    var summary = panel.querySelector('[data-field="figure-summary"]');
    if (summary) { summary.textContent = report.summary; }
    var holder = panel.querySelector('[data-field="figure-sections"]');
    if (!holder) { return; }
    holder.replaceChildren();
    report.sections.forEach(function (section) {
      var heading = document.createElement("h3");
      heading.textContent = section.heading;
      var list = document.createElement("ul");
      if (section.lang) { list.lang = section.lang; }
      if (section.errors) { list.className = "figures-errors"; }
      section.lines.forEach(function (line) {
        var item = document.createElement("li");
        item.textContent = line;
        list.appendChild(item);
      });
      holder.appendChild(heading);
      holder.appendChild(list);
    });
  }

  function watch(panel) {
    var inputs = FIELDS.map(function (name) { return document.getElementById("id_" + name); })
      .filter(Boolean);
    if (!inputs.length) { return; }
    var timer = null;
    var pending = null;
    function check() {
      if (pending) { pending.abort(); }
      pending = new AbortController();
      var body = new URLSearchParams();
      inputs.forEach(function (input) { body.set(input.id.slice(3), input.value); });
      body.set("variant", panel.dataset.variant || "");
      fetch(panel.dataset.figuresUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(panel) },
        signal: pending.signal
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (report) {
        if (report) { render(panel, report); }
      }).catch(function () { /* aborted or offline: keep the last lists */ });
    }
    inputs.forEach(function (input) {
      input.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(check, DELAY_MS);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".figures-panel[data-figures-url]").forEach(watch);
  });
}());
