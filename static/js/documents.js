// Follows the automatic pre-review live: polls the application's small status JSON while any
// material is being checked and updates each item's verdict and reason in place.
(function () {
  "use strict";
  var root = document.querySelector("[data-status-url]");
  if (!root) { return; }
  var url = root.getAttribute("data-status-url");
  function apply(data) {
    data.items.forEach(function (item) {
      var row = document.querySelector('[data-item="' + item.id + '"]');
      if (!row) { return; }
      var badge = row.querySelector("[data-role=status]");
      var reason = row.querySelector("[data-role=reason]");
      if (badge.getAttribute("data-status") !== item.status) {
        badge.setAttribute("data-status", item.status);
        badge.className = "status status-" + item.status;
        badge.textContent = item.label;
        reason.textContent = item.reason;
        row.setAttribute("data-status", item.status);
        // A failed check shows the sample beside its reason: what a good photo looks like.
        var sample = row.querySelector("[data-role=sample]");
        if (sample && item.status === "failed") { sample.open = true; }
      }
    });
    root.setAttribute("data-checking", data.checking ? "1" : "0");
    if (root.getAttribute("data-app-status") !== data.status) { window.location.reload(); }
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) { apply(data); setTimeout(poll, data.checking ? 1000 : 4000); })
      .catch(function () { setTimeout(poll, 5000); });
  }
  poll();
  // Upload as soon as a photo is chosen: one tap on a phone.
  document.querySelectorAll("form.upload input[type=file]").forEach(function (input) {
    input.addEventListener("change", function () { if (input.files.length) { input.form.submit(); } });
  });
})();
