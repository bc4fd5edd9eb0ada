// relazione: no inline script anywhere (strict CSP). Figures travel as json_script data.
(function () {
  "use strict";
  function drawFigures() {
    if (typeof window.Plotly === "undefined") { return; }
    document.querySelectorAll("[data-figure]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-figure"));
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      var config = Object.assign({ responsive: true, displaylogo: false, locale: "it" }, figure.config || {});
      window.Plotly.newPlot(el, figure.data, figure.layout || {}, config);
    });
  }
  function autoSubmit() {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { drawFigures(); autoSubmit(); });
})();
