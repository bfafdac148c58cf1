/* The workflow panel shows only what an action needs. Without this script
   every control shows and every button posts at once; with it, a button
   whose action takes a comment, a kind of change or a date opens those
   controls with a button that does it. Controls left closed are not sent.
   The server checks everything again. */
(function () {
  "use strict";

  function setup(panel) {
    var step = panel.querySelector("[data-workflow-step]");
    var confirmRow = panel.querySelector("[data-workflow-confirm]");
    var go = panel.querySelector("[data-workflow-go]");
    var cancel = panel.querySelector("[data-workflow-cancel]");
    if (!step || !confirmRow || !go || !cancel) { return; }
    var fields = {};
    panel.querySelectorAll("[data-workflow-field]").forEach(function (el) {
      fields[el.dataset.workflowField] = el;
    });
    var comment = fields.comment && fields.comment.querySelector("textarea");
    var commentLabel = fields.comment && fields.comment.querySelector("label");
    var opener = null;

    function inputsOf(el) { return el.querySelectorAll("input, textarea, select"); }

    function show(names) {
      Object.keys(fields).forEach(function (name) {
        var on = names.indexOf(name) >= 0;
        fields[name].hidden = !on;
        // A control closed is not sent: its action does not take it.
        inputsOf(fields[name]).forEach(function (input) { input.disabled = !on; });
      });
    }

    function close() {
      show([]);
      step.hidden = true;
      confirmRow.hidden = true;
      go.value = "";
      if (comment) { comment.required = false; }
      if (opener) { opener.setAttribute("aria-expanded", "false"); opener.focus(); }
      opener = null;
    }

    function open(button, action, names, label, commentKind) {
      if (opener) { opener.setAttribute("aria-expanded", "false"); }
      opener = button;
      button.setAttribute("aria-expanded", "true");
      show(names);
      if (comment) {
        comment.required = commentKind === "required";
        if (commentLabel && commentKind !== "none") {
          commentLabel.textContent = commentLabel.dataset[
            commentKind === "required" ? "labelRequired" : "labelOptional"];
        }
      }
      go.value = action;
      go.textContent = label;
      step.hidden = false;
      confirmRow.hidden = false;
      var first = step.querySelector(
        "[data-workflow-field]:not([hidden]) textarea, [data-workflow-field]:not([hidden]) input:not([type=hidden])");
      (first || go).focus();
    }

    close();
    opener = null;

    panel.querySelectorAll(".workflow-buttons button[type=submit]").forEach(function (button) {
      var names = [];
      if (button.dataset.comment && button.dataset.comment !== "none") { names.push("comment"); }
      if (button.hasAttribute("data-change-kind")) { names.push("change_kind"); }
      if (!names.length) {
        // Nothing to add: it posts at once, without what another step holds.
        button.addEventListener("click", close);
        return;
      }
      button.setAttribute("aria-expanded", "false");
      button.addEventListener("click", function (event) {
        event.preventDefault();
        open(button, button.value, names, button.textContent, button.dataset.comment);
      });
    });

    panel.querySelectorAll("[data-schedule-for]").forEach(function (button) {
      button.hidden = false;
      button.setAttribute("aria-expanded", "false");
      button.addEventListener("click", function () {
        open(button, button.dataset.scheduleFor, ["schedule"], button.dataset.goLabel, "none");
        var input = fields.schedule && fields.schedule.querySelector("input");
        if (input) { input.required = true; }
      });
    });

    var form = panel.closest("form");
    if (form) {
      // Another button of the page (save, say) is not held by a step's checks.
      form.addEventListener("click", function (event) {
        var button = event.target.closest("button[type=submit], input[type=submit]");
        if (!button || button === go) { return; }
        if (comment) { comment.required = false; }
        var input = fields.schedule && fields.schedule.querySelector("input");
        if (input) { input.required = false; }
      }, true);
    }

    // The admin's form has novalidate: the step checks its own controls.
    go.addEventListener("click", function (event) {
      var invalid = Array.prototype.find.call(inputsOf(step), function (input) {
        return !input.disabled && !input.checkValidity();
      });
      if (invalid) {
        event.preventDefault();
        invalid.reportValidity();
      }
    });

    cancel.addEventListener("click", function () {
      var input = fields.schedule && fields.schedule.querySelector("input");
      if (input) { input.required = false; }
      close();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-workflow-form]").forEach(setup);
  });
})();
