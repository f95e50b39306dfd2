// Live preview in the course authoring forms (markdown-preview.js does the work).
(function () {
  "use strict";
  var url = document.currentScript.dataset.url;
  document.querySelectorAll("form.md-editor").forEach(function (form) {
    window.livePreview(form.querySelector("textarea[name=body_md], textarea[name=intro_md]"),
                       form.querySelector(".md-preview"), url, form.querySelector("input[name=csrf_token]"),
                       { extra: { course: form.dataset.course }, immediately: true });
  });
})();
