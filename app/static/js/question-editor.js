// The question editor, made a little nicer. Without JavaScript everything works: every option row
// is shown (an empty one is left out), "Add a row" reloads the form with one more, and "Preview"
// shows the question as the trainee will see it.
//  - Empty rows beyond the first are folded away; "Add an option" / "Add a row" unfolds the next
//    (for the rubric, when none is left, the button still asks the server for one more).
//  - The question text and the explanation get a live preview, rendered and sanitised by the server.
(function () {
  "use strict";
  var form = document.querySelector("form.question-editor");
  if (!form) return;

  function isBlank(row) {
    var fields = row.querySelectorAll("input, textarea, select");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (field.type === "checkbox" || field.type === "radio") { if (field.checked) return false; }
      else if (field.value.trim() !== "") return false;
    }
    return !row.classList.contains("has-error");
  }

  form.querySelectorAll("[data-rows]").forEach(function (list) {
    var rows = Array.prototype.slice.call(list.querySelectorAll("[data-row]"));
    var button = list.parentNode.querySelector("[data-add-row]");
    if (!button) return;
    // Fold the empty rows at the end, except the first of them.
    var last = rows.length - 1;
    while (last >= 0 && isBlank(rows[last])) last--;
    for (var i = last + 2; i < rows.length; i++) rows[i].hidden = true;
    function folded() { return rows.filter(function (row) { return row.hidden; }); }
    function update() { if (button.type === "button") button.hidden = folded().length === 0; }
    button.addEventListener("click", function (event) {
      var next = folded()[0];
      if (!next) return;  // a submit button: the server adds a row
      event.preventDefault();
      next.hidden = false;
      var input = next.querySelector("input[type=text], textarea");
      if (input) input.focus();
      update();
    });
    update();
  });

  var url = form.dataset.markdownUrl;
  var csrf = form.querySelector("input[name=csrf_token]");
  form.querySelectorAll("[data-preview-of]").forEach(function (box) {
    window.livePreview(document.getElementById(box.dataset.previewOf), box, url, csrf);
  });
})();
