// Draws the owners' metrics charts from the JSON each report puts next to its canvas.
(function () {
  "use strict";
  if (typeof Chart === "undefined") return;
  var palette = ["#1f5f8b", "#c06c2b", "#4b8b3b", "#7a4f9a"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    var names = Object.keys(spec.series);
    new Chart(canvas, {
      type: spec.kind,
      data: {
        labels: spec.labels,
        datasets: names.map(function (name, n) {
          return {
            label: name,
            data: spec.series[name],
            borderColor: palette[n % palette.length],
            backgroundColor: palette[n % palette.length],
            pointRadius: 0,
            tension: 0.2,
          };
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: true,
        aspectRatio: window.innerWidth < 600 ? 1.4 : 3,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: { x: { ticks: { maxTicksLimit: 6 } }, y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: "bottom" } },
      },
    });
  });
})();
