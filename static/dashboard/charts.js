// Draws every chart on the page from the figure JSON embedded with json_script.
// The house style (a plotly template) is embedded once per page as "chart-template"
// and given to each figure that does not carry its own.
(function () {
  "use strict";
  var template = null;
  function houseTemplate() {
    if (template === null) {
      var source = document.getElementById("chart-template");
      template = source ? JSON.parse(source.textContent) : undefined;
    }
    return template;
  }
  function draw(el) {
    var source = document.getElementById(el.dataset.figure);
    if (!source || !window.Plotly) return;
    var figure = JSON.parse(source.textContent);
    var layout = figure.layout || {};
    if (layout.template === undefined && houseTemplate()) {
      layout.template = houseTemplate();
    }
    var config = {
      responsive: true,
      displaylogo: false,
      modeBarButtonsToRemove: ["select2d", "lasso2d", "toImage"],
    };
    window.Plotly.newPlot(el, figure.data || [], layout, config).then(function () {
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
