// The drafting form: add, remove and move rows of repeatable fields (cloning a <template>),
// keep the version the server last saved, and say plainly when an autosave could not be saved.
// Without this script the form still posts: every repeatable field has one spare empty row.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var counter = 0;

  function form() { return document.getElementById("draft-form"); }

  function changed() {
    var f = form();
    if (f && window.htmx) { window.htmx.trigger(f, "draft-rows-changed"); }
  }

  function addRow(fieldId) {
    var tpl = document.getElementById(fieldId + "-new");
    var list = document.querySelector("#" + CSS.escape(fieldId) + " > ol.rows");
    if (!tpl || !list) { return; }
    var max = parseInt(list.getAttribute("data-max-items") || "0", 10);
    if (max && list.children.length >= max) { return; }
    counter += 1;
    var token = "n" + Date.now().toString(36) + counter;  // no "-": it separates name parts
    var html = tpl.innerHTML.split("__row__").join(token);
    list.insertAdjacentHTML("beforeend", html);
    var added = list.lastElementChild;
    var first = added && added.querySelector("input, textarea, select:not(.kind)");
    if (first) { first.focus(); }
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-row]");
    if (add) { addRow(add.getAttribute("data-add-row")); return; }
    var tool = event.target.closest("[data-row-action]");
    if (!tool) { return; }
    var row = tool.closest("li.row");
    if (!row) { return; }
    var action = tool.getAttribute("data-row-action");
    if (action === "remove") {
      var next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      if (next) { var t = next.querySelector("[data-row-action='remove']"); if (t) { t.focus(); } }
    } else if (action === "up" && row.previousElementSibling) {
      row.parentNode.insertBefore(row, row.previousElementSibling);
      tool.focus();
    } else if (action === "down" && row.nextElementSibling) {
      row.parentNode.insertBefore(row.nextElementSibling, row);
      tool.focus();
    } else {
      return;
    }
    changed();
  });

  // Contract with the preview panel: the server says which version it saved.
  document.body.addEventListener("draft-saved", function (event) {
    var f = form();
    var version = event.detail && event.detail.version;
    if (f && version) {
      f.setAttribute("data-version", String(version));
      var input = document.getElementById("draft-version");
      if (input) { input.value = String(version); }
    }
  });

  function status(text) {
    var box = document.getElementById("save-status");
    if (box) { box.textContent = text; box.classList.add("bad"); }
  }

  // An autosave answered by a conflict or a refusal still shows its message (htmx swaps only
  // 2xx by default); a lost session (redirected to the sign-in page) never swaps that page in.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var f = form();
    if (!f || event.detail.requestConfig.elt !== f) { return; }
    var xhr = event.detail.xhr;
    if (xhr.responseURL && xhr.responseURL.indexOf("/autosave") === -1) {
      event.detail.shouldSwap = false;
      status("Chưa lưu được: phiên đăng nhập đã hết. Nội dung vẫn còn trên trang — hãy đăng nhập lại ở một thẻ khác rồi bấm “Lưu dự thảo”.");
      return;
    }
    if (xhr.status === 409 || xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      if (xhr.status === 409) { f.setAttribute("data-autosave", "conflict"); }
    } else if (xhr.status >= 400) {
      event.detail.shouldSwap = false;
      status("Chưa lưu được (lỗi " + xhr.status + "). Nội dung vẫn còn trên trang; bấm “Lưu dự thảo” để thử lại.");
    }
  });
  // After a conflict autosave stops: the clerk decides on the full page (never a silent overwrite).
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var f = form();
    if (f && event.detail.elt === f && f.getAttribute("data-autosave") === "conflict") {
      event.preventDefault();
    }
  });
  document.body.addEventListener("htmx:sendError", function (event) {
    if (event.detail.requestConfig && event.detail.requestConfig.elt === form()) {
      status("Chưa lưu được: mất kết nối tới máy chủ. Nội dung vẫn còn trên trang.");
    }
  });
})();
