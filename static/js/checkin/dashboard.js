/* The organisers' check-in dashboard: reloads its figures every ten seconds without reloading the page. */
(function () {
  "use strict";
  var figures = document.getElementById("checkin-figures");
  if (!figures) return;
  setInterval(function () {
    if (document.hidden) return;
    fetch(figures.dataset.refreshUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null) figures.innerHTML = html; })
      .catch(function () {});
  }, 10000);
})();
