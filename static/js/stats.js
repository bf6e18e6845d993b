/* The dashboard's charts, drawn from the figures the server put in data-chart (no inline script).
   A click on a unit's bar opens the people of that unit who have not taken the exams. */
(function () {
  "use strict";
  if (!window.Chart) return;
  function data(id) {
    var el = document.getElementById(id);
    return el ? { el: el, d: JSON.parse(el.dataset.chart) } : null;
  }
  var units = data("chart-units");
  if (units) {
    new window.Chart(units.el, {
      data: {
        labels: units.d.labels,
        datasets: [
          { type: "bar", label: "参考率（%）", data: units.d.values, backgroundColor: "#1f6fb2" },
          { type: "line", label: "目标", data: units.d.labels.map(function () { return units.d.target; }),
            borderColor: "#b3261e", borderDash: [6, 4], pointRadius: 0 }
        ]
      },
      options: {
        maintainAspectRatio: false, scales: { y: { min: 0, max: 100 } },
        onClick: function (_event, elements) {
          if (!elements.length) return;
          var url = new URL(units.el.dataset.people, window.location.href);
          url.searchParams.set("unit", units.d.links[elements[0].index]);
          window.location.href = url.toString();
        }
      }
    });
  }
  var bands = data("chart-bands");
  if (bands) {
    new window.Chart(bands.el, {
      type: "bar",
      data: { labels: bands.d.labels, datasets: [{ label: "人次", data: bands.d.values, backgroundColor: "#2e7d32" }] },
      options: { maintainAspectRatio: false, plugins: { legend: { display: false } } }
    });
  }
  var topics = data("chart-topics");
  if (topics) {
    new window.Chart(topics.el, {
      type: "bar",
      data: { labels: topics.d.labels, datasets: [{ label: "正确率（%）", data: topics.d.values, backgroundColor: "#c77700" }] },
      options: { indexAxis: "y", maintainAspectRatio: false, scales: { x: { min: 0, max: 100 } }, plugins: { legend: { display: false } } }
    });
  }
})();
