/* Every page: a button with data-confirm asks before its form is sent; data-print prints the page;
   data-copy copies an element's text; a select with data-autosubmit sends its form when changed. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
    if (event.target.closest("[data-print]")) window.print();
    var copy = event.target.closest("[data-copy]");
    if (copy && navigator.clipboard) {
      var text = document.querySelector(copy.dataset.copy).innerText;
      navigator.clipboard.writeText(text).then(function () { copy.textContent = copy.dataset.copied || "已复制"; });
    }
  });
  document.addEventListener("change", function (event) {
    var select = event.target.closest("[data-autosubmit]");
    if (select && select.form) select.form.submit();
  });
})();
