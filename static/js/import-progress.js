// Polls an import job's progress and reloads the page when it has finished.
(function () {
  var box = document.querySelector("[data-progress-url]");
  if (!box) { return; }
  function poll() {
    fetch(box.dataset.progressUrl, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
      document.getElementById("import-status").textContent = data.status_display;
      document.getElementById("import-bar").value = data.percent;
      document.getElementById("import-processed").textContent = data.processed_rows;
      document.getElementById("import-total").textContent = data.total_rows;
      document.getElementById("import-imported").textContent = data.imported_rows;
      document.getElementById("import-errors").textContent = data.error_count;
      if (data.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
    }).catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
