// The live preview panel of the draft page (drafting/_preview.html).
// - After a save, the form's response triggers "draft-saved" with the saved version; the panel
//   remembers it and, a pause later (hx-trigger delay), asks the server for that version.
// - Every request names the version it wants (?version=N): the server answers 204 when the
//   draft is already newer, so htmx swaps nothing.
// - An answer for a version older than the one shown is dropped (never shown over a newer one).
// - "Làm mới" asks again without leaving the page; without JavaScript it opens the preview page.
(function () {
  "use strict";

  function panel() {
    return document.getElementById("draft-preview");
  }

  function number(value) {
    var n = parseInt(value, 10);
    return isNaN(n) ? 0 : n;
  }

  document.addEventListener("draft-saved", function (event) {
    var p = panel();
    var version = event.detail && number(event.detail.version);
    if (p && version && version > number(p.dataset.version)) {
      p.dataset.version = String(version);
    }
  });

  document.addEventListener("htmx:configRequest", function (event) {
    var p = panel();
    if (p && event.detail.elt === p) {
      event.detail.parameters.version = p.dataset.version;
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var p = panel();
    var target = event.detail.target;
    if (!p || !(event.detail.elt === p || (target && target.id === "preview-body"))) {
      return;
    }
    var xhr = event.detail.xhr;
    var answered = number(xhr && xhr.getResponseHeader("X-Preview-Version"));
    if (xhr && xhr.status === 204) {
      event.detail.shouldSwap = false;
      return;
    }
    if (answered && answered < number(p.dataset.shown)) {
      event.detail.shouldSwap = false; // an older version than the one shown: drop it
      return;
    }
    if (xhr && xhr.status >= 400) {
      event.detail.shouldSwap = true; // the error pages say what went wrong, in the panel
      event.detail.isError = false;
    }
    if (answered) {
      p.dataset.shown = String(answered);
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("#preview-refresh");
    var p = panel();
    if (link && p && window.htmx) {
      event.preventDefault();
      window.htmx.trigger(p, "preview-refresh");
    }
  });
})();
