/* Reviewers' comments beside their paragraphs while editing: a mark at the
   start of each commented paragraph of the Markdown preview, linking to the
   comment at the top of the page. Marks come back after each new preview.
   Text only: nothing is inserted as HTML. */
(function () {
  "use strict";

  function place(preview, markers) {
    var blocks = Array.prototype.filter.call(preview.children, function (el) {
      return !el.classList.contains("comment-marker");
    });
    markers.forEach(function (marker) {
      var block = blocks[marker.index];
      if (!block || block.querySelector(".comment-marker[href='#" + marker.id + "']")) { return; }
      var link = document.createElement("a");
      link.className = "comment-marker";
      link.href = "#" + marker.id;
      link.setAttribute("aria-label", marker.label);
      link.title = marker.label;
      link.textContent = "💬";
      block.insertBefore(link, block.firstChild);
      block.classList.add("has-comment");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var data = document.getElementById("comment-markers");
    if (!data) { return; }
    var markers = JSON.parse(data.textContent);
    var byField = {};
    markers.forEach(function (m) { (byField[m.field] = byField[m.field] || []).push(m); });
    Object.keys(byField).forEach(function (field) {
      var editor = document.getElementById(field);
      var box = editor && editor.closest(".markdownx");
      var preview = box && box.querySelector(".markdownx-preview");
      if (!preview) { return; }
      var busy = false;
      function again() {
        if (busy) { return; }
        busy = true;
        place(preview, byField[field]);
        busy = false;
      }
      new MutationObserver(again).observe(preview, { childList: true });
      again();
    });
  });
}());
