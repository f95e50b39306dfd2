// Folds the main menu behind a button on narrow screens. Without this script the menu simply stays open.
(function () {
  var toggle = document.querySelector(".menu-toggle");
  var nav = document.getElementById("main-nav");
  if (!toggle || !nav) return;
  var narrow = window.matchMedia("(max-width: 899px)");
  function apply() {
    toggle.hidden = !narrow.matches;
    nav.classList.toggle("collapsed", narrow.matches && toggle.getAttribute("aria-expanded") !== "true");
  }
  toggle.addEventListener("click", function () {
    toggle.setAttribute("aria-expanded", toggle.getAttribute("aria-expanded") === "true" ? "false" : "true");
    apply();
  });
  narrow.addEventListener("change", apply);
  apply();
  // A menu group open as a drop-down closes on a click elsewhere or on Escape, like any menu.
  var groups = nav.querySelectorAll(".nav-group details");
  function closeGroups(except) {
    groups.forEach(function (group) { if (group !== except) group.open = false; });
  }
  document.addEventListener("click", function (event) {
    closeGroups(event.target.closest ? event.target.closest(".nav-group details") : null);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeGroups(null);
  });
})();
