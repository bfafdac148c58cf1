/* Glossary terms on patient pages: each defined term becomes a button that
   shows or hides its definition (tap, click, Enter, Space; Escape closes).
   Without this script the definitions simply read inline, in brackets. */
(function () {
  "use strict";
  function setOpen(button, definition, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    definition.hidden = !open;
  }
  document.querySelectorAll("dfn.gloss[id]").forEach(function (term) {
    var definition = document.getElementById(
      term.id.replace(/^glossaire-/, "glossaire-def-")
    );
    if (!definition) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "gloss-toggle";
    button.setAttribute("aria-controls", definition.id);
    while (term.firstChild) { button.appendChild(term.firstChild); }
    term.appendChild(button);
    setOpen(button, definition, false);
    button.addEventListener("click", function () {
      setOpen(button, definition, button.getAttribute("aria-expanded") !== "true");
    });
    button.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { setOpen(button, definition, false); }
    });
  });
})();
