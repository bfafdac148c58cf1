// French is the source language: open the French tab first, whatever the UI language.
window.MODELTRANSLATION_AUTO_SELECT_CURRENT_LANGUAGE = false;

// The language switch modeltranslation adds has no label of its own: the page
// names it (#translation-switch-label) as soon as the switch exists.
document.addEventListener("DOMContentLoaded", function () {
  var name = document.getElementById("translation-switch-label");
  if (!name) {
    return;
  }
  function label() {
    var select = document.getElementById("modeltranslation-main-switch");
    if (select) {
      select.setAttribute("aria-labelledby", name.id);
    }
    return select;
  }
  if (!label()) {
    var watch = new MutationObserver(function () {
      if (label()) {
        watch.disconnect();
      }
    });
    watch.observe(document.body, { childList: true, subtree: true });
  }
});
