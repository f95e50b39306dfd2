/* Exam attempt: autosave every answer as it changes and every 10 s, show "saved 18:42:07",
   keep unacknowledged answers in localStorage and retry until the server acknowledges them,
   count down to the server's deadline. The page works without this script (Save / Submit). */
(function () {
  "use strict";
  var form = document.getElementById("attempt-form");
  if (!form) { return; }
  var d = form.dataset;
  var storeKey = "lg-attempt-" + d.attempt;
  var csrf = form.querySelector("input[name=csrf_token]").value;
  var status = document.getElementById("save-status");
  var pending = load();            // slot -> {response, client_seq}
  var acked = {};                  // slot -> JSON of the last acknowledged response
  var inFlight = {};
  var counter = 0;
  var submitting = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey) || "{}"); } catch (e) { return {}; }
  }
  function persist() {
    try { localStorage.setItem(storeKey, JSON.stringify(pending)); } catch (e) { /* private mode: memory only */ }
  }
  function nextSeq() {
    counter += 1;
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 8) + "-" + counter;
  }
  function fieldset(slot) { return form.querySelector("fieldset[data-slot='" + slot + "']"); }

  function responseOf(fs) {
    var type = fs.dataset.type;
    var name = "q" + fs.dataset.slot;
    if (type === "multiple") {
      return {choices: Array.prototype.map.call(fs.querySelectorAll("input[name='" + name + "']:checked"), function (i) { return parseInt(i.value, 10); })};
    }
    if (type === "single" || type === "truefalse") {
      var checked = fs.querySelector("input[name='" + name + "']:checked");
      var key = type === "single" ? "choice" : "value";
      var out = {};
      out[key] = checked ? (type === "single" ? parseInt(checked.value, 10) : checked.value) : null;
      return out;
    }
    var input = fs.querySelector("[name='" + name + "']");
    return type === "fill" ? {text: input.value} : {note: input.value};
  }

  function apply(fs, response) {
    var name = "q" + fs.dataset.slot;
    var type = fs.dataset.type;
    if (type === "multiple") {
      fs.querySelectorAll("input[name='" + name + "']").forEach(function (i) { i.checked = (response.choices || []).indexOf(parseInt(i.value, 10)) >= 0; });
    } else if (type === "single" || type === "truefalse") {
      var value = type === "single" ? response.choice : response.value;
      fs.querySelectorAll("input[name='" + name + "']").forEach(function (i) { i.checked = String(value) === i.value; });
    } else {
      fs.querySelector("[name='" + name + "']").value = (type === "fill" ? response.text : response.note) || "";
    }
  }

  function clock(iso) {
    var t = new Date(iso);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(t.getHours()) + ":" + two(t.getMinutes()) + ":" + two(t.getSeconds());
  }
  function show(slot, text, bad) {
    var line = form.querySelector("[data-slot-status='" + slot + "']");
    if (line) { line.textContent = text; line.classList.toggle("bad", !!bad); }
    status.textContent = text;
    status.className = "save-status " + (bad ? "bad" : "ok");
  }

  function queue(slot) {
    var fs = fieldset(slot);
    var response = responseOf(fs);
    var json = JSON.stringify(response);
    if (acked[slot] === json && !pending[slot]) { return; }
    if (pending[slot] && JSON.stringify(pending[slot].response) === json) { return; }
    pending[slot] = {response: response, client_seq: nextSeq()};
    persist();
    send(slot);
  }

  function send(slot) {
    var item = pending[slot];
    if (!item || inFlight[slot]) { return; }
    inFlight[slot] = true;
    show(slot, d.msgSaving, false);
    fetch(d.saveUrl + slot, {
      method: "PUT", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify(item)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) { return {ok: r.ok, status: r.status, body: body}; });
    }).then(function (res) {
      inFlight[slot] = false;
      if (res.ok) {
        acked[slot] = JSON.stringify(item.response);
        if (pending[slot] === item) { delete pending[slot]; persist(); }
        show(slot, d.msgSaved.replace("{time}", clock(res.body.saved_at)), false);
        if (pending[slot]) { send(slot); }
      } else if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
        // Refused for good (closed attempt, invalid answer): say so, stop retrying this one.
        delete pending[slot]; persist();
        show(slot, d.msgRefused + " " + (res.body.detail || res.status), true);
        if (res.status === 409) { window.setTimeout(function () { window.location.reload(); }, 4000); }
      } else {
        show(slot, d.msgFailed, true);
      }
    }).catch(function () {
      inFlight[slot] = false;
      show(slot, d.msgFailed, true);
    });
  }

  function retryAll() {
    Object.keys(pending).forEach(send);
    form.querySelectorAll("fieldset[data-slot]").forEach(function (fs) { queue(fs.dataset.slot); });
  }

  // Baseline: what the server already has (rendered into the page) counts as acknowledged.
  form.querySelectorAll("fieldset[data-slot]").forEach(function (fs) {
    acked[fs.dataset.slot] = JSON.stringify(responseOf(fs));
  });
  // Answers this browser kept but the server never acknowledged: put them back and resend.
  Object.keys(pending).forEach(function (slot) {
    var fs = fieldset(slot);
    if (fs) { apply(fs, pending[slot].response); send(slot); } else { delete pending[slot]; }
  });
  persist();

  var timers = {};
  form.addEventListener("change", function (e) {
    var fs = e.target.closest("fieldset[data-slot]");
    if (fs) { queue(fs.dataset.slot); }
  });
  form.addEventListener("input", function (e) {
    var fs = e.target.closest("fieldset[data-slot]");
    if (!fs || (fs.dataset.type !== "fill" && fs.dataset.type !== "practical")) { return; }
    window.clearTimeout(timers[fs.dataset.slot]);
    timers[fs.dataset.slot] = window.setTimeout(function () { queue(fs.dataset.slot); }, 800);
  });
  window.setInterval(retryAll, 10000);
  window.addEventListener("online", retryAll);

  form.addEventListener("submit", function (e) {
    var button = e.submitter;
    if (submitting || !button || button.value !== "submit") { return; }
    var unanswered = 0;
    form.querySelectorAll("fieldset[data-slot]").forEach(function (fs) {
      var r = responseOf(fs);
      var empty = (r.choices && !r.choices.length) || r.choice === null || r.value === null || r.text === "" || (fs.dataset.type !== "practical" && r.note === "");
      if (empty && fs.dataset.type !== "practical") { unanswered += 1; }
    });
    var message = d.msgConfirm + (unanswered ? "\n" + d.msgUnanswered.replace("{n}", unanswered) : "");
    if (!window.confirm(message)) { e.preventDefault(); return; }
    submitting = true;
    // The form itself carries every answer, so nothing pending is lost; clear the local copy.
    pending = {}; persist();
  });
  window.addEventListener("beforeunload", function (e) {
    if (!submitting && Object.keys(pending).length) { e.preventDefault(); e.returnValue = ""; }
  });

  // Countdown to the server's deadline (seconds left as the server saw them at page load).
  var timer = document.querySelector(".timer[data-seconds-left]");
  if (timer) {
    var endsAt = Date.now() + parseInt(timer.dataset.secondsLeft, 10) * 1000;
    var out = document.getElementById("time-left");
    var tick = function () {
      var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
      out.textContent = Math.floor(left / 60) + ":" + ("0" + (left % 60)).slice(-2);
      timer.classList.toggle("low", left <= 300);
      if (left === 0 && !submitting) {
        submitting = true;
        status.textContent = d.msgTimeup;
        var action = document.createElement("input");
        action.type = "hidden"; action.name = "action"; action.value = "submit";
        form.appendChild(action);
        pending = {}; persist();
        form.submit();
        return;
      }
      window.setTimeout(tick, 1000);
    };
    tick();
  }
})();
