/* Practice: send the answer, show right/wrong with the explanation and the article. */
(function () {
  "use strict";
  var card = document.getElementById("practice");
  if (!card) return;
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var button = document.getElementById("check-answer");
  var errorEl = document.getElementById("practice-error");
  var LONG_ARTICLE = 300;  // as web/citations.py: longer articles open at the quoted paragraph

  function chosen() {
    if (card.dataset.qtype === "true_false") {
      var c = card.querySelector("input[name=answer]:checked");
      return c ? c.value === "true" : null;
    }
    var list = [];
    card.querySelectorAll("input[name=answer]:checked").forEach(function (i) { list.push(Number(i.value)); });
    return list;
  }
  function showError(message) { errorEl.textContent = message; errorEl.classList.remove("d-none"); }

  // The whole article, with the quoted words marked (when they stand in it verbatim).
  function articleBlock(text, quote) {
    var div = document.createElement("div");
    div.className = "article-text";
    var at = quote ? text.indexOf(quote) : -1;
    if (at < 0) { div.textContent = text; return div; }
    div.appendChild(document.createTextNode(text.slice(0, at)));
    var mark = document.createElement("mark");
    mark.textContent = quote;
    div.appendChild(mark);
    div.appendChild(document.createTextNode(text.slice(at + quote.length)));
    return div;
  }

  function renderBasis(basis) {
    var ul = document.getElementById("basis");
    ul.textContent = "";
    basis.forEach(function (b) {
      var li = document.createElement("li");
      var badge = document.createElement("span");
      badge.className = "badge text-bg-light border me-1";
      badge.textContent = b.label;
      li.appendChild(badge);
      if (b.law) {
        var link = document.createElement("a");
        link.href = b.url; link.className = "small"; link.textContent = "法规库";
        li.appendChild(link);
        if (b.article_text.length > LONG_ARTICLE) {
          // A long article: the quoted paragraph first, the whole text one click away.
          var paragraphs = b.article_text.split("\n");
          var quoted = paragraphs.filter(function (p) { return b.quote && p.indexOf(b.quote) >= 0; })[0] || paragraphs[0];
          li.appendChild(articleBlock(quoted, b.quote));
          var details = document.createElement("details");
          details.className = "article-full";
          var summary = document.createElement("summary");
          summary.textContent = "本条全文";
          details.appendChild(summary);
          details.appendChild(articleBlock(b.article_text, b.quote));
          li.appendChild(details);
        } else if (b.article_text) { li.appendChild(articleBlock(b.article_text, b.quote)); }
        else { var q = document.createElement("q"); q.textContent = b.quote; li.appendChild(q); }
      } else {
        li.appendChild(document.createTextNode(b.source));
      }
      ul.appendChild(li);
    });
  }

  button.addEventListener("click", function () {
    var answer = chosen();
    if (answer === null || (Array.isArray(answer) && !answer.length)) { showError("请先选择答案"); return; }
    button.disabled = true;
    fetch(card.dataset.answerUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify({ version_id: Number(card.dataset.versionId), answer: answer })
    }).then(function (resp) {
      return resp.json().then(function (body) { return { ok: resp.ok, body: body }; });
    }).then(function (r) {
      if (!r.ok) { button.disabled = false; showError(r.body.error || "提交失败，请重试"); return; }
      errorEl.classList.add("d-none");
      var fb = r.body;
      var verdict = document.getElementById("verdict");
      verdict.textContent = fb.correct ? "✓ 回答正确" : "✗ 回答错误，已加入错题本";
      verdict.className = fb.correct ? "fw-bold text-success" : "fw-bold text-danger";
      // Only the answer's inputs: the 题目纠错 form in the same card must still send its hidden fields.
      card.querySelectorAll("input[name=answer]").forEach(function (i) {
        i.disabled = true;
        var isKey = card.dataset.qtype === "true_false" ? (i.value === "true") === fb.answer
                                                        : fb.answer.indexOf(Number(i.value)) >= 0;
        if (isKey) {
          var label = i.closest("label");
          label.classList.add("key");
          var note = document.createElement("span");
          note.className = "key-note";
          note.textContent = "（正确答案）";
          label.appendChild(note);
        }
      });
      document.getElementById("explanation").textContent = fb.explanation;
      renderBasis(fb.basis);
      var size = document.getElementById("wrong-book-size");
      if (size) size.textContent = fb.wrong_book_size;
      document.getElementById("feedback").classList.remove("d-none");
      button.classList.add("d-none");
      document.getElementById("next-question").classList.replace("btn-outline-primary", "btn-primary");
      verdict.focus();  // the button that had the focus is gone: the verdict takes it and is read out
    }).catch(function () {
      button.disabled = false;
      showError("网络连接失败，请检查网络后重试");
    });
  });
})();
