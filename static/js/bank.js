/* The bank list: tick every question on the page at once. */
(function () {
  "use strict";
  var all = document.getElementById("select-all");
  if (!all) return;
  all.addEventListener("change", function () {
    document.querySelectorAll(".row-check").forEach(function (box) { box.checked = all.checked; });
  });
})();
