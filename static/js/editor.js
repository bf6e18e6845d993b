/* The question editor: a live preview as the cadre will see it, and each cited article looked
   up as it is typed, with the quote checked word for word against the shipped law text. */
(function () {
  "use strict";
  var form = document.getElementById("question-editor");
  if (!form) return;
  var LETTERS = "ABCDEF";
  var TYPE_LABELS = { single: "单选题", multiple: "多选题", true_false: "判断题" };
  var qtype = form.querySelector("[name=qtype]");

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function showParts() {
    var truth = qtype.value === "true_false";
    form.querySelectorAll(".choice-only").forEach(function (n) { n.hidden = truth; });
    form.querySelectorAll(".truth-only").forEach(function (n) { n.hidden = !truth; });
  }

  function option(type, letter, text) {
    var label = el("label", "option");
    var input = el("input", "form-check-input");
    input.type = type; input.name = "preview-answer"; input.tabIndex = -1;
    label.appendChild(input);
    if (letter) label.appendChild(el("span", "letter", letter + "."));
    label.appendChild(el("span", "", text));
    return label;
  }

  function preview() {
    var type = qtype.value;
    document.getElementById("preview-type").textContent = (TYPE_LABELS[type] || "") + " · " +
      (form.querySelector("[name=topic]").value || "（专题）");
    document.getElementById("preview-stem").textContent = form.querySelector("[name=stem]").value || "（题干）";
    var box = document.getElementById("preview-options");
    box.textContent = "";
    if (type === "true_false") {
      box.appendChild(option("radio", "", "正确"));
      box.appendChild(option("radio", "", "错误"));
      return;
    }
    var n = 0;
    form.querySelectorAll("[data-preview=option]").forEach(function (input) {
      if (!input.value.trim()) return;
      box.appendChild(option(type === "multiple" ? "checkbox" : "radio", LETTERS[n], input.value.trim()));
      n += 1;
    });
  }

  function marked(text, quote) {
    var div = el("div", "article-text");
    var at = quote ? text.indexOf(quote) : -1;
    if (at < 0) { div.textContent = text; return div; }
    div.appendChild(document.createTextNode(text.slice(0, at)));
    div.appendChild(el("mark", "", quote));
    div.appendChild(document.createTextNode(text.slice(at + quote.length)));
    return div;
  }

  var asked = new WeakMap();  // the latest lookup of each row: older answers arriving late are dropped

  function check(row) {
    var ticket = (asked.get(row) || 0) + 1;
    asked.set(row, ticket);
    var out = row.querySelector(".article-check");
    var law = row.querySelector("select").value;
    var article = row.querySelector("input").value.trim();
    var quote = row.querySelector("textarea").value.trim();
    if (!law && !article && !quote) { out.textContent = ""; return; }
    if (!law || !article) { out.textContent = law ? "请填写条款" : "请选择法律"; out.className = "article-check small mt-1 text-secondary"; return; }
    var url = form.dataset.lookupUrl + "?" + new URLSearchParams({ law: law, article: article, quote: quote });
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (found) {
        if (asked.get(row) !== ticket) return;
        out.textContent = "";
        out.className = "article-check small mt-1";
        if (!found.found) { out.appendChild(el("span", "text-danger", found.problem)); return; }
        var head = el("div");
        var link = el("a", "fw-semibold", found.label);
        link.href = found.url; link.target = "_blank";
        head.appendChild(link);
        if (found.heading) head.appendChild(el("span", "text-secondary ms-1", found.heading));
        out.appendChild(head);
        out.appendChild(marked(found.text, quote));
        if (quote) {
          out.appendChild(found.quote_ok ? el("div", "text-success quote-ok", "✓ 原文逐字出现在该条中")
                                         : el("div", "text-danger quote-bad", "✗ " + found.quote_problem));
        }
      })
      .catch(function () { if (asked.get(row) === ticket) out.textContent = "暂时无法查询法条，请检查网络"; });
  }

  var timers = new WeakMap();
  form.querySelectorAll(".basis-row").forEach(function (row) {
    row.addEventListener("input", function () {
      clearTimeout(timers.get(row));
      timers.set(row, setTimeout(function () { check(row); }, 350));
    });
    row.addEventListener("change", function () { check(row); });
    check(row);
  });
  form.addEventListener("input", preview);
  qtype.addEventListener("change", function () { showParts(); preview(); });
  showParts();
  preview();
})();
