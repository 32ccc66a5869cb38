// Small behaviours of the booking and queue pages, without inline script (CSP):
// [data-print] buttons open the print dialog; [data-autofocus] fields take the focus.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) { event.preventDefault(); window.print(); }
  });
  var first = document.querySelector("[data-autofocus]");
  if (first) { first.focus(); }
})();
