// Recipients widget (drafting form and recipient-list pages): show the chosen mode, the
// preview of the chosen named list, and add empty rows. Without this script every part is
// shown and three empty rows come back after each save: the page works by plain posts.
(function () {
  "use strict";

  function showMode(box) {
    var checked = box.querySelector('input[name="recipients_mode"]:checked');
    if (!checked) { return; }
    box.querySelectorAll("[data-rl-mode]").forEach(function (part) {
      part.hidden = part.getAttribute("data-rl-mode") !== checked.value;
    });
  }

  function showPreview(box) {
    var select = box.querySelector("[data-rl-select]");
    if (!select) { return; }
    box.querySelectorAll("[data-rl-preview]").forEach(function (preview) {
      preview.hidden = preview.getAttribute("data-rl-preview") !== select.value;
    });
  }

  function addRow(editor, kind) {
    var list = editor.querySelector('[data-rl-rows="' + kind + '"]');
    var template = editor.querySelector('template[data-rl-template="' + kind + '"]');
    if (!list || !template) { return; }
    var index = list.children.length;
    var html = template.innerHTML.split("__i__").join(String(index));
    list.insertAdjacentHTML("beforeend", html);
    var input = list.lastElementChild && list.lastElementChild.querySelector("input");
    if (input) { input.focus(); }
  }

  function init(root) {
    root.querySelectorAll("[data-recipients]").forEach(function (box) {
      if (box.dataset.rlReady) { return; }
      box.dataset.rlReady = "1";
      box.addEventListener("change", function (event) {
        if (event.target.name === "recipients_mode") { showMode(box); }
        if (event.target.hasAttribute("data-rl-select")) { showPreview(box); }
      });
      showMode(box);
      showPreview(box);
    });
    root.querySelectorAll("[data-rl-editor]").forEach(function (editor) {
      if (editor.dataset.rlReady) { return; }
      editor.dataset.rlReady = "1";
      editor.querySelectorAll("[data-rl-add]").forEach(function (button) {
        button.hidden = false;
        button.addEventListener("click", function () {
          addRow(editor, button.getAttribute("data-rl-add"));
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
