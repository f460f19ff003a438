/* The door without a camera, as progressive enhancement beside scanner.js (which it does not touch):
   - the page's own layout puts "Find by name" first; this file switches to the camera layout only while a
     camera is being started or is running, and back when there is none or it is blocked;
   - search results scroll into view when they arrive;
   - the answer screen gets a line saying what the door does next (texts in the page, by result). */
(function () {
  "use strict";

  var body = document.body;
  var video = document.getElementById("camera-video");
  var startButton = document.getElementById("camera-start");
  var results = document.getElementById("search-results");
  var answer = document.getElementById("result");
  var next = document.getElementById("result-next");
  var steps = document.getElementById("result-next-steps");
  if (!video || !answer) return;

  // --- camera or no camera -----------------------------------------------------------------------------------

  function noCamera() {
    body.classList.remove("checkin--camera-pending", "checkin--camera");
  }

  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    body.classList.add("checkin--camera-pending");
    if (navigator.mediaDevices.enumerateDevices) {
      navigator.mediaDevices.enumerateDevices().then(function (devices) {
        var cameras = devices.filter(function (device) { return device.kind === "videoinput"; });
        if (!cameras.length) noCamera();
      }).catch(function () {});
    }
  }
  video.addEventListener("playing", function () {
    body.classList.remove("checkin--camera-pending");
    body.classList.add("checkin--camera");
  });
  // scanner.js shows "Start the camera" when the camera failed or was refused.
  if (startButton) {
    new MutationObserver(function () {
      if (!startButton.hidden) noCamera();
    }).observe(startButton, { attributes: true, attributeFilter: ["hidden"] });
    startButton.addEventListener("click", function () { body.classList.add("checkin--camera-pending"); });
  }

  // --- results into view ---------------------------------------------------------------------------------------

  if (results) {
    new MutationObserver(function () {
      if (results.children.length) results.scrollIntoView({ block: "start", behavior: "smooth" });
    }).observe(results, { childList: true });
  }

  // --- what to do next ---------------------------------------------------------------------------------------------

  function nextStep(result) {
    if (!steps) return "";
    var match = steps.querySelector('[data-result="' + (result || "").replace(/[^a-z_]/g, "") + '"]');
    return (match || steps.querySelector('[data-result=""]')).textContent;
  }

  if (next) {
    new MutationObserver(function () {
      if (answer.hidden) return;
      next.textContent = nextStep(answer.dataset.result);
    }).observe(answer, { attributes: true, attributeFilter: ["hidden", "data-result", "class"] });
  }
})();
