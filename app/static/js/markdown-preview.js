// Live Markdown preview for the authoring forms (lessons, course intros, questions): the server
// renders and sanitises, so the preview is exactly what readers will see. Without JavaScript the
// forms' "Preview" buttons do the same.
//   livePreview(textarea, box, url, csrfInput, {extra: {field: value}, immediately: bool})
// `box` holds a `.md-preview-body`; it is hidden while the text is empty.
window.livePreview = function (area, box, url, csrf, options) {
  "use strict";
  options = options || {};
  var body = box && box.querySelector(".md-preview-body");
  if (!area || !body || !csrf || !url) return;
  var timer = null;
  var sent = 0;
  function refresh() {
    var ticket = ++sent;
    if (!area.value.trim()) { box.hidden = true; return; }
    var data = new FormData();
    Object.keys(options.extra || {}).forEach(function (name) { data.set(name, options.extra[name]); });
    data.set("markdown", area.value);
    data.set("csrf_token", csrf.value);
    fetch(url, { method: "POST", body: data, credentials: "same-origin",
                 headers: { "X-CSRFToken": csrf.value, "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (result) {
        if (!result || ticket !== sent) return;  // an older answer arriving late
        body.innerHTML = result.html;  // sanitised by the server's allow-list
        box.hidden = false;
      }).catch(function () {});
  }
  area.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 400); });
  if (options.immediately && area.value.trim()) refresh();
};
