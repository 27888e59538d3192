// Draws every chart on the page from the figure JSON embedded with json_script.
(function () {
  "use strict";
  function draw(el) {
    var source = document.getElementById(el.dataset.figure);
    if (!source || !window.Plotly) return;
    var figure = JSON.parse(source.textContent);
    var config = {
      responsive: true,
      displaylogo: false,
      modeBarButtonsToRemove: ["select2d", "lasso2d", "toImage"],
    };
    window.Plotly.newPlot(el, figure.data || [], figure.layout || {}, config).then(function () {
      el.dataset.ready = "true";
    });
  }
  function init() {
    document.querySelectorAll("[data-figure]").forEach(draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
