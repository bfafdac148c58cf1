/* A source's author rows: a button adds an empty row (without this script
   the form offers a few empty rows, and a save offers more). */
(function () {
  "use strict";

  function setup(box) {
    var body = box.querySelector("[data-author-rows-body]");
    var add = box.querySelector("[data-author-rows-add]");
    if (!body || !add) { return; }
    add.hidden = false;
    add.addEventListener("click", function () {
      var rows = body.querySelectorAll("tr");
      var last = rows[rows.length - 1];
      var next = rows.length;
      var row = last.cloneNode(true);
      row.querySelectorAll("input").forEach(function (input) {
        input.name = input.name.replace(/-[0-9]+-(family|given|literal)$/, "-" + next + "-$1");
        input.id = input.id.replace(/-[0-9]+-(family|given|literal)$/, "-" + next + "-$1");
        var label = input.getAttribute("aria-label");
        if (label) { input.setAttribute("aria-label", label.replace(/[0-9]+/, String(next + 1))); }
        if (input.type === "checkbox") { input.checked = false; } else { input.value = ""; }
      });
      body.appendChild(row);
      row.querySelector("input").focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-author-rows]").forEach(setup);
  });
})();
