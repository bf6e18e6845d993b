/* The exam's roster: one click ticks the people a 补考 is usually for (failed or not taken). */
(function () {
  "use strict";
  document.querySelectorAll("[data-pick]").forEach(function (button) {
    button.addEventListener("click", function () {
      var ids = button.dataset.pick ? button.dataset.pick.split(",") : [];
      document.querySelectorAll('.roster-table input[name="user_ids"]').forEach(function (box) {
        box.checked = ids.indexOf(box.value) >= 0;
      });
    });
  });
})();
