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
  // A table wider than the screen scrolls in its own box: the box must then be reachable with
  // the keyboard (tabindex) and named after the table's caption, for who cannot swipe.
  function scrollableTables() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth <= box.clientWidth || box.hasAttribute("tabindex")) { return; }
      var caption = box.querySelector("caption");
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Tabella");
    });
  }
  document.addEventListener("DOMContentLoaded", function () { drawFigures(); autoSubmit(); scrollableTables(); });
})();
