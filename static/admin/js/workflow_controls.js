/* The workflow panel shows only what an action needs. Without this script
   every control shows and every button posts at once. With it: an action
   that needs a comment (asking for changes) is held back until one is
   written; an action that takes none (publishing) does not send it; the
   publication date shows only to schedule, with its own button. The server
   checks everything again. */
(function () {
  "use strict";

  function setup(panel) {
    var step = panel.querySelector("[data-workflow-step]");
    var confirmRow = panel.querySelector("[data-workflow-confirm]");
    var go = panel.querySelector("[data-workflow-go]");
    var cancel = panel.querySelector("[data-workflow-cancel]");
    var commentBox = panel.querySelector('[data-workflow-field="comment"]');
    var comment = commentBox && commentBox.querySelector("textarea");
    var commentLabel = commentBox && commentBox.querySelector("label");
    var scheduleBox = panel.querySelector('[data-workflow-field="schedule"]');
    var date = scheduleBox && scheduleBox.querySelector("input");
    var opener = null;

    function closeSchedule() {
      if (!scheduleBox) { return; }
      scheduleBox.hidden = true;
      date.disabled = true;  // closed, it is not sent: "Publier" means now
      date.required = false;
      if (confirmRow) { confirmRow.hidden = true; }
      if (opener) { opener.setAttribute("aria-expanded", "false"); opener.focus(); }
      opener = null;
    }

    closeSchedule();

    panel.querySelectorAll(".workflow-buttons button[type=submit]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        if (comment) {
          comment.required = false;
          comment.disabled = button.dataset.comment === "none";
        }
        if (scheduleBox) { closeSchedule(); }
        if (button.dataset.comment === "required" && comment && !comment.value.trim()) {
          // The admin's form has novalidate: say it here, before posting.
          event.preventDefault();
          comment.required = true;
          if (commentLabel && commentLabel.dataset.labelRequired) {
            commentLabel.textContent = commentLabel.dataset.labelRequired;
          }
          comment.focus();
          comment.reportValidity();
        }
      });
    });

    if (comment) {
      comment.addEventListener("input", function () { comment.required = false; });
    }

    panel.querySelectorAll("[data-schedule-for]").forEach(function (button) {
      if (!scheduleBox || !go || !confirmRow) { return; }
      button.hidden = false;
      button.setAttribute("aria-expanded", "false");
      button.addEventListener("click", function () {
        opener = button;
        button.setAttribute("aria-expanded", "true");
        scheduleBox.hidden = false;
        date.disabled = false;
        date.required = true;
        if (comment) { comment.disabled = true; }
        go.value = button.dataset.scheduleFor;
        go.textContent = button.dataset.goLabel;
        confirmRow.hidden = false;
        date.focus();
      });
    });

    if (go) {
      go.addEventListener("click", function (event) {
        if (date && !date.disabled && !date.checkValidity()) {
          event.preventDefault();
          date.reportValidity();
        }
      });
    }
    if (cancel) {
      cancel.addEventListener("click", function () {
        if (comment) { comment.disabled = false; }
        closeSchedule();
      });
    }
    if (step) { step.dataset.enhanced = "1"; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-workflow-form]").forEach(setup);
  });
})();
