// Behaviour of the booking slip, the printed ticket, the kiosk and the proxy booking page, kept
// out of the templates so that the Content-Security-Policy can forbid inline script:
//   <button data-print>           prints the page (slip, receipt);
//   <select data-autosubmit>      submits its form when the choice changes (proxy booking).
//   [data-autofocus]              takes the focus (desk pages; the kiosk's field uses autofocus).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) { select.form.submit(); }
    });
  });
  var first = document.querySelector("[data-autofocus]");
  if (first) { first.focus(); }
})();
