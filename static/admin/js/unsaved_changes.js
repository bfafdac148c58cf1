/* Asks before leaving a variant or brief page whose text was changed and not
   saved. Any button of the form (save, or a workflow action, which saves
   first) submits what was typed, so submitting clears the warning. */
(function () {
  "use strict";

  function snapshot(form) {
    var values = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.type === "submit" || el.type === "button") { return; }
      values.push(el.name + "=" + ((el.type === "checkbox" || el.type === "radio") ? el.checked : el.value));
    });
    return values.join("\u0000");
  }

  function watch(form) {
    var initial = snapshot(form);
    var submitting = false;
    form.addEventListener("submit", function () { submitting = true; });
    window.addEventListener("beforeunload", function (event) {
      if (submitting || snapshot(form) === initial) { return; }
      event.preventDefault();
      event.returnValue = "";  // older browsers show their own question
    });
  }

  window.addEventListener("load", function () {
    // After "load": the editor's widgets have filled their fields by then.
    document.querySelectorAll("form#variant_form, form#brief_form").forEach(watch);
  });
})();
