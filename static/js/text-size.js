/* 大字: the cadre's choice of larger text, kept on this phone. Runs in <head>, before the first
   paint, so that the page never jumps from small to large text; app.js wires the button. */
(function () {
  "use strict";
  try {
    if (window.localStorage.getItem("quizapp:text-size") === "large") document.documentElement.classList.add("text-large");
  } catch (e) { /* storage disabled: normal text */ }
})();
