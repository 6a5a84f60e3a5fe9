// docgen's only script: sends the CSRF token of the page's <meta> tag with every htmx request.
// Served from 'self' (the Content-Security-Policy allows no inline script).
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers["X-CSRFToken"] = meta.content;
  }
});
