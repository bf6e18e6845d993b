/* The exam form: show only the paper section that the chosen 组卷方式 uses. */
(function () {
  "use strict";
  var random = document.getElementById("random-rules");
  var fixed = document.getElementById("fixed-list");
  if (!random || !fixed) return;
  var radios = document.querySelectorAll('input[name="paper_mode"]');
  function show() {
    var mode = document.querySelector('input[name="paper_mode"]:checked');
    var isFixed = mode && mode.value === "fixed";
    random.classList.toggle("d-none", isFixed);
    fixed.classList.toggle("d-none", !isFixed);
  }
  radios.forEach(function (r) { r.addEventListener("change", show); });
  show();
})();
