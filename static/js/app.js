/* Every page: a button with data-confirm asks before its form is sent; data-print prints the page;
   data-copy copies an element's text; a select with data-autosubmit sends its form when changed;
   data-collapse opens and closes the phone menu; data-dismiss="alert" closes a message;
   data-text-size switches 大字 on and off (static/js/text-size.js applies it on every page). */
(function () {
  "use strict";
  var html = document.documentElement;
  var TEXT_SIZE = "quizapp:text-size";

  function showTextSize() {
    document.querySelectorAll("[data-text-size]").forEach(function (button) {
      var large = html.classList.contains("text-large");
      button.setAttribute("aria-pressed", large ? "true" : "false");
      button.textContent = large ? "标准字" : "大字";
      button.title = large ? "恢复标准大小的文字" : "放大页面文字";
    });
  }
  showTextSize();

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
    if (event.target.closest("[data-print]")) window.print();
    var copy = event.target.closest("[data-copy]");
    if (copy && navigator.clipboard) {
      var text = document.querySelector(copy.dataset.copy).innerText;
      navigator.clipboard.writeText(text).then(function () { copy.textContent = copy.dataset.copied || "已复制"; });
    }
    var toggler = event.target.closest("[data-collapse]");
    if (toggler) {
      var menu = document.querySelector(toggler.dataset.collapse);
      var open = menu.classList.toggle("show");
      toggler.setAttribute("aria-expanded", open ? "true" : "false");
    }
    var close = event.target.closest('[data-dismiss="alert"]');
    if (close) close.closest(".alert").remove();
    if (event.target.closest("[data-text-size]")) {
      var large = html.classList.toggle("text-large");
      try { window.localStorage.setItem(TEXT_SIZE, large ? "large" : "normal"); } catch (e) { /* kept for this page only */ }
      showTextSize();
    }
  });
  document.addEventListener("change", function (event) {
    var select = event.target.closest("[data-autosubmit]");
    if (select && select.form) select.form.submit();
  });
})();
