/* The exam page: save each answer the moment it is chosen, mirror it in localStorage,
   retry with backoff while offline, follow the server's clock, submit at the deadline.
   No answer key ever reaches this page. */
(function () {
  "use strict";
  var root = document.getElementById("exam");
  if (!root) return;

  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var saveUrl = root.dataset.saveUrl;
  var stateUrl = root.dataset.stateUrl;
  var storeKey = "quizapp:attempt:" + root.dataset.attemptId;
  var deadline = Date.parse(root.dataset.deadline);
  var clockOffset = Date.parse(root.dataset.serverNow) - Date.now(); // server minus browser
  var form = document.getElementById("submit-form");
  var submitButton = document.getElementById("submit-button");
  var saveStateEl = document.getElementById("save-state");
  var countdownEl = document.getElementById("countdown");
  var alertEl = document.getElementById("exam-alert");
  var sections = Array.prototype.slice.call(root.querySelectorAll("section.question"));
  var closed = false;
  var submitting = false;
  var frozen = false;
  var FREEZE_MS = 3000; // stop taking clicks just before the end so the last save lands in time

  // ---- local mirror: answers not yet acknowledged by the server survive a reload or a crash
  function loadStore() {
    try {
      var s = JSON.parse(window.localStorage.getItem(storeKey));
      if (s && typeof s.pending === "object") { s.saved = s.saved || {}; return s; }
    } catch (e) { /* storage disabled or corrupt: start empty */ }
    return { pending: {}, saved: {}, seq: 0 };
  }
  var store = loadStore();
  function persist() {
    try { window.localStorage.setItem(storeKey, JSON.stringify(store)); } catch (e) { /* quota or private mode */ }
  }

  function sectionFor(itemId) { return root.querySelector('section[data-item-id="' + itemId + '"]'); }
  function readAnswer(section) {
    var inputs = section.querySelectorAll("input");
    if (section.dataset.qtype === "true_false") {
      var c = section.querySelector("input:checked");
      return c ? c.value === "true" : null;
    }
    var chosen = [];
    inputs.forEach(function (i) { if (i.checked) chosen.push(Number(i.value)); });
    return chosen;
  }
  function applyAnswer(section, answer) {
    section.querySelectorAll("input").forEach(function (i) {
      if (section.dataset.qtype === "true_false") i.checked = answer !== null && (i.value === "true") === answer;
      else i.checked = Array.isArray(answer) && answer.indexOf(Number(i.value)) >= 0;
    });
  }
  function answered(answer) { return answer !== null && answer !== undefined && !(Array.isArray(answer) && answer.length === 0); }
  function unansweredCount() { return sections.filter(function (s) { return !answered(readAnswer(s)); }).length; }
  function refreshSheet() {
    var done = 0;
    sections.forEach(function (s) {
      var ok = answered(readAnswer(s));
      if (ok) done++;
      var cell = root.querySelector('[data-sheet-for="' + s.dataset.itemId + '"]');
      if (cell) {
        cell.classList.toggle("done", ok);
        cell.querySelector(".sheet-state").textContent = ok ? "已答" : "未答";  // said, not only coloured
      }
    });
    document.getElementById("answered-count").textContent = done;
  }

  // ---- save state shown to the examinee
  var STATES = {
    saved: "已保存",
    saving: "保存中…",
    offline: "离线：答案已暂存在本机，恢复网络后自动保存",
    retrying: "有答案未能保存，正在重试…",
    closed: "已停止保存"
  };
  function setState(kind) {
    saveStateEl.textContent = STATES[kind];
    saveStateEl.className = "save-state " + kind;
    saveStateEl.dataset.state = kind;
  }
  function showAlert(message) {
    alertEl.textContent = message;
    alertEl.classList.remove("d-none");
  }
  function markRefused(itemId, why) {
    var section = sectionFor(itemId);
    if (!section) return;
    section.classList.add("refused");
    var note = section.querySelector(".refused-note");
    if (!note) {
      note = document.createElement("p");
      note.className = "refused-note small mt-2 mb-0";
      note.setAttribute("role", "alert");
      section.querySelector(".card-body").appendChild(note);
    }
    note.textContent = "本题答案未能保存（" + why + "），已恢复为服务器上保存的答案，请重新选择。";
  }
  function clearRefused(section) {
    section.classList.remove("refused");
    var note = section.querySelector(".refused-note");
    if (note) note.remove();
  }
  // The attempt was handed in elsewhere (another tab or phone) or ran out of time: stop, say so,
  // then show the result.
  function endHere(message) {
    if (closed && submitting) return;
    closed = true;
    store.pending = {};
    persist();
    forgetOfflineCopy();
    setState("closed");
    root.querySelectorAll("section.question input").forEach(function (i) { i.disabled = true; });
    submitButton.disabled = true;
    showAlert(message + "。即将打开成绩页…");
    setTimeout(function () { window.location.reload(); }, 4000);
  }

  // ---- saving with retry and backoff
  var inflight = false;
  var acks = 0;       // answers the server has acknowledged on this page so far
  var ackedAt = {};   // item id -> the count of acknowledgements when its last one came
  var retryDelay = 1000;
  var retryTimer = null;
  function pendingIds() { return Object.keys(store.pending); }
  // The next answer to send: the one that has failed least often, so that an answer the server
  // keeps failing on never holds up the others.
  function nextId() {
    return pendingIds().sort(function (a, b) {
      return (store.pending[a].fails || 0) - (store.pending[b].fails || 0);
    })[0];
  }

  function flush() {
    if (inflight || closed) return;
    var ids = pendingIds();
    if (!ids.length) { setState("saved"); return; }
    inflight = true;
    setState("saving");
    var id = nextId();
    var entry = store.pending[id];
    fetch(saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify({ item_id: Number(id), answer: entry.answer })
    }).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (body) { return { resp: resp, body: body }; });
    }).then(function (r) {
      inflight = false;
      var code = r.body.code;
      if (r.resp.ok && r.body.saved === true) {
        store.saved[id] = entry.answer;
        ackedAt[id] = ++acks;
        if (store.pending[id] && store.pending[id].seq === entry.seq) delete store.pending[id];
        persist();
        retryDelay = 1000;
        flush();
      } else if (code === "closed") {
        // Submitted elsewhere or out of time: nothing more can be saved here.
        endHere(r.body.error || "考试已结束，答案不能再保存");
      } else if (code === "invalid" || code === "not_found") {
        // The server will never take this answer: say so on the question and put back what it
        // holds, so the page never shows a refused answer as saved; the others go on.
        delete store.pending[id];
        persist();
        markRefused(id, r.body.error || "答案格式有误");
        syncState();
      } else if (code === "login" || code === "csrf" || code === "password" || r.resp.status === 401) {
        setState("offline");
        showAlert((r.body.error || "登录已失效") + "。答案已暂存在本机，请刷新页面（必要时在新窗口重新登录）后继续作答。");
        scheduleRetry();
      } else {
        // A server error on this answer: count it against this one and go on with the others.
        if (store.pending[id]) store.pending[id].fails = (store.pending[id].fails || 0) + 1;
        persist();
        setState("retrying");
        var others = pendingIds().some(function (other) {
          return (store.pending[other].fails || 0) < (store.pending[id] ? store.pending[id].fails : 0);
        });
        if (others) flush(); else scheduleRetry();
      }
    }).catch(function () {
      inflight = false;
      setState("offline");
      scheduleRetry();
    });
  }
  function scheduleRetry() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(flush, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }
  window.addEventListener("online", function () { retryDelay = 1000; flush(); });

  var lastChange = {}; // item id -> seq of the last change made on this page
  root.addEventListener("change", function (ev) {
    var section = ev.target.closest("section.question");
    if (!section || closed || frozen) return;
    store.seq = (store.seq || 0) + 1;
    lastChange[section.dataset.itemId] = store.seq;
    store.pending[section.dataset.itemId] = { answer: readAnswer(section), seq: store.seq };
    clearRefused(section);
    persist();
    refreshSheet();
    flush();
  });

  // ---- the server's view: saved answers (another device) and the clock
  function syncState() {
    var sentAt = Date.now();
    var seqAtSend = store.seq || 0;
    var acksAtSend = acks;
    return fetch(stateUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (resp) { return resp.ok ? resp.json() : null; })
      .then(function (state) {
        if (!state || !state.server_now) return;
        var rtt = Date.now() - sentAt;
        clockOffset = Date.parse(state.server_now) + rtt / 2 - Date.now();
        deadline = Date.parse(state.deadline);
        if (state.status !== "in_progress") {
          endHere(state.status === "expired" ? "考试时间已到，已自动交卷" : "本场考试已在其他设备交卷");
          return;
        }
        sections.forEach(function (s) {
          var id = s.dataset.itemId;
          // Skip answers changed since this request left: the reply predates them.
          // Skip too answers acknowledged since it left: the server read its answers before them.
          if (!(id in store.pending) && (lastChange[id] || 0) <= seqAtSend && (ackedAt[id] || 0) <= acksAtSend) {
            var saved = state.answers[id];
            applyAnswer(s, saved === undefined ? (s.dataset.qtype === "true_false" ? null : []) : saved);
          }
        });
        var newer = store.saved || {};
        Object.keys(ackedAt).forEach(function (id) {
          if (ackedAt[id] > acksAtSend && id in newer) state.answers[id] = newer[id];
        });
        store.saved = state.answers;
        persist();
        refreshSheet();
        flush();
      })
      .catch(function () { setState(pendingIds().length ? "offline" : "saved"); });
  }

  // ---- countdown and the automatic submit
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  // A screen reader hears the time at each 5-minute mark and at 60, 30 and 10 seconds, never
  // the ticking clock itself.
  var announceEl = document.getElementById("time-announcement");
  var lastMark = null;
  function timeMark(left) {
    if (left <= 0) return null;
    if (left <= 60) return left <= 10 ? 10 : left <= 30 ? 30 : 60;
    return Math.ceil(left / 300) * 300;
  }
  function announceTime(left) {
    var mark = timeMark(left);
    if (mark === lastMark) return;
    var first = lastMark === null;
    lastMark = mark;
    if (first || mark === null) return;  // the page itself shows the time on arrival
    var minutes = Math.round(mark / 60);
    announceEl.textContent = mark >= 60 ? "剩余时间约 " + minutes + " 分钟" : "剩余时间不足 " + mark + " 秒";
  }
  function tick() {
    var leftMs = deadline - (Date.now() + clockOffset);
    var left = Math.max(0, Math.ceil(leftMs / 1000));
    var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    countdownEl.textContent = (h ? h + ":" + pad(m) : pad(m)) + ":" + pad(s);
    countdownEl.classList.toggle("warning", left <= 300);
    announceTime(left);
    if (leftMs <= FREEZE_MS && !frozen) {
      frozen = true;
      root.querySelectorAll("section.question input").forEach(function (i) { i.disabled = true; });
      showAlert("考试即将结束，正在保存最后的答案…");
      flush();
    }
    if (leftMs <= 0 && !submitting) {
      if (inflight && leftMs > -FREEZE_MS) return; // let the last save finish first
      showAlert("考试时间到，正在自动交卷…");
      document.getElementById("time-up").value = "1";
      finalSubmit();
    }
  }
  function finalSubmit() {
    submitting = true;
    closed = true;
    submitButton.disabled = true;
    submitButton.textContent = "正在交卷…";
    try { window.localStorage.removeItem(storeKey); } catch (e) { /* ignore */ }
    forgetOfflineCopy();
    form.submit();
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (submitting) return;
    if (pendingIds().length) {
      flush();
      window.alert("还有 " + pendingIds().length + " 题的答案尚未保存到服务器（可能是网络中断）。请等待显示“已保存”后再交卷。");
      return;
    }
    var missing = unansweredCount();
    var question = missing ? "还有 " + missing + " 题未作答，确定要交卷吗？" : "确定要交卷吗？交卷后不能再修改答案。";
    if (window.confirm(question)) finalSubmit();
  });

  // ---- the copy of this page kept for a reload without network (static/js/sw.js)
  var offlineCopy = root.dataset.offlineCopy === "1";
  function forgetOfflineCopy() {
    if (!window.caches) return;
    window.caches.open("quizapp-exam").then(function (c) { c.delete(window.location.pathname); })
      .catch(function () { /* nothing kept */ });
  }
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.workerUrl).catch(function () { /* unsupported here */ });
  }

  // ---- keyboard and the sticky bar
  // 跳到交卷 puts the focus on the button itself (without script it lands just before it).
  document.querySelectorAll('a[href="#hand-in"]').forEach(function (link) {
    link.addEventListener("click", function (ev) {
      ev.preventDefault();
      submitButton.focus();
    });
  });
  // Nothing that a jump or the focus scrolls to may hide under the sticky bar, whose height
  // grows with the text (大字, 200 %): the page's scroll padding follows it.
  var bar = root.querySelector(".exam-bar");
  function followBar() {
    document.documentElement.style.setProperty("--exam-bar-height", Math.ceil(bar.getBoundingClientRect().height) + "px");
  }
  followBar();
  if (window.ResizeObserver) new ResizeObserver(followBar).observe(bar);

  // ---- start
  // The form carries this page's ticked inputs for a browser without script; here every answer
  // is saved as it is chosen, so the server takes none from the form.
  document.getElementById("scripted").value = "1";
  document.getElementById("no-script").classList.add("d-none");
  // Answers ticked before this script ran (a slow link shows the page first): never sent yet,
  // so they go out now, ahead of anything older.
  var earlyTicks = {};
  sections.forEach(function (s) {
    var changed = Array.prototype.some.call(s.querySelectorAll("input"), function (i) { return i.checked !== i.defaultChecked; });
    if (changed) earlyTicks[s.dataset.itemId] = readAnswer(s);
  });
  // A reload without network shows the page as it was kept, older than what the server has
  // acknowledged since: put back what this browser knows was saved.
  if (offlineCopy) {
    Object.keys(store.saved || {}).forEach(function (id) {
      var s = sectionFor(id);
      if (s && !(id in earlyTicks)) applyAnswer(s, store.saved[id]);
    });
    showAlert("网络未连接：这是本机保存的答卷，可以继续作答，答案暂存在本机，恢复网络后自动保存。");
  }
  // Answers this browser has not yet delivered win over what the page was rendered with.
  Object.keys(store.pending).forEach(function (id) {
    var s = sectionFor(id);
    if (!s) delete store.pending[id];
    else if (!(id in earlyTicks)) applyAnswer(s, store.pending[id].answer);
  });
  Object.keys(earlyTicks).forEach(function (id) {
    store.seq = (store.seq || 0) + 1;
    lastChange[id] = store.seq;
    store.pending[id] = { answer: earlyTicks[id], seq: store.seq };
  });
  persist();
  refreshSheet();
  setState(pendingIds().length ? "saving" : "saved");
  flush();
  tick();
  setInterval(tick, 500);
  syncState();
  setInterval(syncState, 60000);
})();
