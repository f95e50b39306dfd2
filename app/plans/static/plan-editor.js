// The plan editor, made a little nicer. Without JavaScript everything works: every field is shown and
// the row buttons (add, remove, move) reload the form with the change, keeping what was typed.
//  - A stage's session shows only the fields of its kind (weekly: weekday; on a date: the date).
//  - An assessment shows the exam id or the qualification, by its kind.
//  - A task's value suggests the known course, lesson or exam ids of its kind.
(function () {
  "use strict";
  var form = document.querySelector("form.plan-editor");
  if (!form) return;
  var LISTS = { course: "plan-courses", lesson: "plan-lessons", practice: "plan-exams" };

  function select(root, suffix) { return root.querySelector("select[name$='-" + suffix + "']"); }

  form.querySelectorAll("[data-session]").forEach(function (box) {
    var kind = select(box, "session_kind");
    if (!kind) return;
    function update() {
      box.querySelectorAll("[data-when]").forEach(function (part) {
        part.hidden = part.dataset.when.split(" ").indexOf(kind.value) < 0;
      });
    }
    kind.addEventListener("change", update);
    update();
  });

  form.querySelectorAll("[data-assessment]").forEach(function (row) {
    var kind = select(row, "kind");
    var exam = row.querySelector("input[name$='-exam']");
    var qualification = select(row, "qualification");
    if (!kind || !exam || !qualification) return;
    function update() {
      var external = kind.value === "external";
      exam.closest(".field").hidden = external;
      qualification.closest(".field").hidden = !external;
    }
    kind.addEventListener("change", update);
    update();
  });

  form.querySelectorAll(".task-row").forEach(function (row) {
    var kind = select(row, "kind");
    var value = row.querySelector("input[name$='-value']");
    if (!kind || !value) return;
    kind.addEventListener("change", function () {
      if (LISTS[kind.value]) value.setAttribute("list", LISTS[kind.value]);
      else value.removeAttribute("list");
    });
  });
})();
