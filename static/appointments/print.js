// Print buttons without inline handlers (CSP): any element with data-print prints the page.
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) {
    window.print();
  }
});
// Autofocus for desk pages: the first element with data-autofocus.
(function () {
  var field = document.querySelector("[data-autofocus]");
  if (field) { field.focus(); }
})();
