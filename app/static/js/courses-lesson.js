// Lesson page: complete the lesson on reaching its end, and count reading time with heartbeats.
// Without JavaScript the page still works: the "Mark as complete" button posts the form.
(function () {
  "use strict";
  var script = document.currentScript;
  var completeForm = document.getElementById("complete-form");
  var beatForm = document.getElementById("beat-form");
  var end = document.getElementById("lesson-end");
  if (!completeForm || !beatForm) return;

  function token(form) {
    var field = form.querySelector("input[name=csrf_token]");
    return field ? field.value : "";
  }

  function post(form, extra) {
    var data = new FormData(form);
    Object.keys(extra || {}).forEach(function (key) { data.set(key, extra[key]); });
    return fetch(form.action, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": token(form), "Accept": "application/json" }
    });
  }

  // Reaching the end marker completes the lesson (once per page view).
  var button = completeForm.querySelector("button[type=submit]");
  if (button && end && "IntersectionObserver" in window) {
    var observer = new IntersectionObserver(function (entries) {
      if (!entries.some(function (e) { return e.isIntersecting; })) return;
      observer.disconnect();
      post(completeForm, { automatic: "1" }).then(function (response) {
        if (!response.ok) return;
        var status = document.getElementById("complete-status");
        status.textContent = script.dataset.doneText;
        status.className = "tag tag-ok";
        button.remove();
      });
    }, { threshold: 1.0 });
    observer.observe(end);
  }

  // Heartbeats every 30 s while the page is visible and the reader was active in the last 2 minutes;
  // the server counts at most the time between beats and caps each view.
  var visit = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2);
  var lastActivity = Date.now();
  ["scroll", "keydown", "pointerdown", "pointermove", "touchstart"].forEach(function (name) {
    window.addEventListener(name, function () { lastActivity = Date.now(); }, { passive: true });
  });
  function beat() {
    if (document.visibilityState !== "visible" || Date.now() - lastActivity > 120000) return;
    post(beatForm, { visit: visit }).catch(function () {});
  }
  beat();
  setInterval(beat, 30000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && navigator.sendBeacon) {
      var data = new FormData(beatForm);
      data.set("visit", visit);
      navigator.sendBeacon(beatForm.action, data);
    }
  });
})();
