// Live preview of Markdown in the authoring forms: the server renders and sanitises it, so the
// preview is exactly what learners will see. Without JavaScript the "Preview" button does the same.
(function () {
  "use strict";
  var url = document.currentScript.dataset.url;
  document.querySelectorAll("form.md-editor").forEach(function (form) {
    var area = form.querySelector("textarea[name=body_md], textarea[name=intro_md]");
    var box = form.querySelector(".md-preview");
    var body = form.querySelector(".md-preview-body");
    var csrf = form.querySelector("input[name=csrf_token]");
    if (!area || !box || !body || !csrf) return;
    var timer = null;
    var sent = 0;
    function refresh() {
      var ticket = ++sent;
      var data = new FormData();
      data.set("course", form.dataset.course);
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
    if (area.value) refresh();
  });
})();
