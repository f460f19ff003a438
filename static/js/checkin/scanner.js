/* The door scanner: camera → QR decoder → check-in API, with offline answers (Ed25519 verified in the
   browser, refused and already-checked-in lists kept in IndexedDB) and a queue that syncs when the
   network comes back. Needs offline-store.js and, where BarcodeDetector is missing, vendor jsQR. */
(function () {
  "use strict";

  var main = document.querySelector("main[data-conference]");
  if (!main) return;

  var STRINGS = JSON.parse(document.getElementById("checkin-strings").textContent);
  var CONFERENCE = main.dataset.conference;
  var CONFERENCE_ID = parseInt(main.dataset.conferenceId, 10);
  var TIME_ZONE = main.dataset.timeZone;
  var SIGNATURE_CONTEXT = new TextEncoder().encode("hrne-badge:");
  var TOKEN_LENGTH = 117;
  var SAME_CODE_PAUSE_MS = 4000;
  var SYNC_INTERVAL_MS = 4000;
  var REFRESH_INTERVAL_MS = 30000;
  var REQUEST_TIMEOUT_MS = 5000;

  var store = window.CheckinStore;
  var elements = {
    video: document.getElementById("camera-video"),
    cameraStatus: document.getElementById("camera-status"),
    cameraStart: document.getElementById("camera-start"),
    network: document.getElementById("network-status"),
    checkedIn: document.getElementById("count-checked-in"),
    confirmed: document.getElementById("count-confirmed"),
    queued: document.getElementById("count-queued"),
    queueNote: document.getElementById("queue-note"),
    scanned: document.getElementById("count-scanned"),
    gate: document.getElementById("gate-name"),
    result: document.getElementById("result"),
    headline: document.getElementById("result-headline"),
    name: document.getElementById("result-name"),
    type: document.getElementById("result-type"),
    detail: document.getElementById("result-detail"),
    searchForm: document.getElementById("search-form"),
    searchQuery: document.getElementById("search-query"),
    searchStatus: document.getElementById("search-status"),
    searchResults: document.getElementById("search-results"),
    signOut: document.getElementById("sign-out"),
  };

  // What this device knows about the conference: filled from the server, kept in IndexedDB.
  var state = {
    data: null, // {public_key, badges, refused, checked_in, counts, day, conference}
    publicKey: null, // CryptoKey, or null where the browser has no Ed25519
    localCheckins: {}, // registration id -> ISO time, for scans made on this device today
    scannedHere: 0,
    lastCode: null,
    lastCodeAt: 0,
    busy: false,
    online: navigator.onLine,
    syncing: false,
    signedOut: false,
  };

  // --- small helpers ---------------------------------------------------------------------------------

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function newNonce() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  function deviceId() {
    var id = localStorage.getItem("checkin-device");
    if (!id) {
      id = "device-" + newNonce().slice(0, 8);
      localStorage.setItem("checkin-device", id);
    }
    return Array.from(id).slice(0, 100).join("");
  }

  function gateName() {
    // Cut by code points: a cut inside an emoji would send half of it, which no server can store.
    return Array.from((elements.gate.value || "").trim()).slice(0, 60).join("");
  }

  function formatTime(iso) {
    try {
      return new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
        hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: TIME_ZONE,
      }).format(new Date(iso));
    } catch (error) {
      return iso;
    }
  }

  function todayInConference() {
    // en-CA formats as YYYY-MM-DD.
    return new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" })
      .format(new Date());
  }

  function postJson(url, body) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS);
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body),
      signal: controller.signal,
    }).finally(function () { clearTimeout(timer); });
  }

  function setOnline(online) {
    state.online = online;
    elements.network.textContent = online ? elements.network.dataset.onlineText : elements.network.dataset.offlineText;
    elements.network.classList.toggle("is-offline", !online);
  }

  // --- base32 token and the signature check -----------------------------------------------------------

  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  function base32Decode(text) {
    var bits = 0, value = 0, out = [];
    for (var i = 0; i < text.length; i++) {
      var index = ALPHABET.indexOf(text[i]);
      if (index < 0) return null;
      value = (value << 5) | index;
      bits += 5;
      if (bits >= 8) {
        out.push((value >>> (bits - 8)) & 255);
        bits -= 8;
      }
    }
    // Only the canonical spelling counts: the spare bits of the last character must be zero.
    if (value & ((1 << bits) - 1)) return null;
    return new Uint8Array(out);
  }

  function parseToken(code) {
    if (typeof code !== "string" || code.length !== TOKEN_LENGTH) return null;
    var bytes = base32Decode(code);
    if (!bytes || bytes.length !== 73) return null;
    var view = new DataView(bytes.buffer);
    if (view.getUint8(0) !== 1) return null;
    return {
      conferenceId: view.getUint32(1),
      registrationId: view.getUint32(5),
      payload: bytes.slice(0, 9),
      signature: bytes.slice(9),
    };
  }

  function base64UrlDecode(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) base64 += "=";
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  function importPublicKey(encoded) {
    if (!crypto.subtle) return Promise.resolve(null);
    return crypto.subtle
      .importKey("raw", base64UrlDecode(encoded), { name: "Ed25519" }, false, ["verify"])
      .catch(function () { return null; });
  }

  function verifySignature(token) {
    if (!state.publicKey) return Promise.resolve(null); // cannot tell
    var message = new Uint8Array(SIGNATURE_CONTEXT.length + token.payload.length);
    message.set(SIGNATURE_CONTEXT);
    message.set(token.payload, SIGNATURE_CONTEXT.length);
    return crypto.subtle.verify({ name: "Ed25519" }, state.publicKey, token.signature, message).catch(function () {
      return false;
    });
  }

  // --- conference data for offline answers ------------------------------------------------------------

  function applyData(data) {
    state.data = data;
    if (data.day !== todayInConference()) {
      data.checked_in = {};
    }
    return importPublicKey(data.public_key).then(function (key) {
      state.publicKey = key;
      updateCounters();
    });
  }

  function refreshData() {
    var url = main.dataset.offlineDataUrl + "?conference=" + encodeURIComponent(CONFERENCE);
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) {
          sessionEnded();
          return null;
        }
        if (!response.ok) return null;
        setOnline(true);
        return response.json().then(function (data) {
          // Check-ins this device made today that the server lists are no longer "local".
          Object.keys(state.localCheckins).forEach(function (id) {
            if (data.checked_in[id]) delete state.localCheckins[id];
          });
          data.slug = CONFERENCE;
          return store.saveConference(data).catch(function () {}).then(function () { return applyData(data); });
        });
      })
      .catch(function () { setOnline(false); });
  }

  function loadSavedData() {
    return store.loadConference(CONFERENCE).then(function (data) {
      if (data && !state.data) return applyData(data);
    }).catch(function () {});
  }

  function knownCheckinTime(registrationId) {
    var id = String(registrationId);
    if (state.localCheckins[id]) return state.localCheckins[id];
    return state.data && state.data.checked_in ? state.data.checked_in[id] : null;
  }

  function updateCounters() {
    if (state.data) {
      var serverCount = Object.keys(state.data.checked_in || {}).length;
      var serverTotal = state.data.counts ? state.data.counts.checked_in : serverCount;
      elements.checkedIn.textContent = String(Math.max(serverCount, serverTotal) + Object.keys(state.localCheckins).length);
      if (state.data.counts) elements.confirmed.textContent = String(state.data.counts.confirmed);
    }
    elements.scanned.textContent = String(state.scannedHere);
    store.count().then(function (count) { elements.queued.textContent = String(count); }).catch(function () {});
  }

  // --- answers ------------------------------------------------------------------------------------------

  var COLOURS = {
    checked_in: "green",
    already_checked_in: "amber",
    invalid: "red",
    cancelled: "red",
    not_confirmed: "red",
    wrong_conference: "red",
  };
  var hideTimer = null;
  var audioContext = null;

  function beep(colour) {
    try {
      if (navigator.vibrate) navigator.vibrate(colour === "green" ? 80 : colour === "amber" ? [80, 60, 80] : [250, 80, 250]);
      audioContext = audioContext || new (window.AudioContext || window.webkitAudioContext)();
      var oscillator = audioContext.createOscillator();
      var gain = audioContext.createGain();
      oscillator.frequency.value = colour === "green" ? 880 : colour === "amber" ? 620 : 220;
      gain.gain.value = 0.15;
      oscillator.connect(gain).connect(audioContext.destination);
      oscillator.start();
      oscillator.stop(audioContext.currentTime + (colour === "red" ? 0.45 : 0.15));
    } catch (error) {
      /* no sound on this device */
    }
  }

  function showAnswer(answer) {
    var colour = answer.colour || COLOURS[answer.result] || "red";
    elements.result.className = "result result--" + colour;
    elements.result.dataset.result = answer.result;
    elements.result.dataset.offline = answer.offline ? "true" : "false";
    elements.headline.textContent = STRINGS[answer.result] || answer.result;
    elements.name.textContent = answer.badge_name || "";
    elements.type.textContent = answer.registration_type || "";
    var detail = answer.detail || "";
    if (!detail && answer.checked_in_at) {
      var template = answer.result === "already_checked_in" ? STRINGS.first_at : STRINGS.checked_in_at;
      detail = template.replace("{time}", formatTime(answer.checked_in_at));
    }
    elements.detail.textContent = detail;
    elements.result.hidden = false;
    beep(colour);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hideAnswer, colour === "green" ? 2000 : 3500);
  }

  function hideAnswer() {
    clearTimeout(hideTimer);
    elements.result.hidden = true;
  }

  elements.result.addEventListener("click", hideAnswer);

  // --- checking a code -----------------------------------------------------------------------------------

  function rememberAnswer(answer) {
    if ((answer.result === "checked_in" || answer.result === "already_checked_in") && answer.registration_id) {
      if (!knownCheckinTime(answer.registration_id)) {
        state.localCheckins[String(answer.registration_id)] = answer.checked_in_at || new Date().toISOString();
      }
    }
    updateCounters();
  }

  function answerOffline(code, scan) {
    var token = parseToken(code);
    if (!token) return Promise.resolve({ result: "invalid", offline: true });
    if (state.data && token.conferenceId !== state.data.conference.id) {
      return Promise.resolve({ result: "wrong_conference", offline: true });
    }
    if (!state.data && token.conferenceId !== CONFERENCE_ID) {
      return Promise.resolve({ result: "wrong_conference", offline: true });
    }
    return verifySignature(token).then(function (valid) {
      if (valid === false) return { result: "invalid", offline: true };
      var id = String(token.registrationId);
      var badge = state.data && state.data.badges ? state.data.badges[id] : null;
      var refused = state.data && state.data.refused ? state.data.refused[id] : null;
      var known = { badge_name: badge ? badge[0] : "", registration_type: badge ? badge[1] : "", registration_id: token.registrationId };
      if (refused) return Object.assign({ result: refused, offline: true }, known);
      var first = knownCheckinTime(id);
      if (first) return Object.assign({ result: "already_checked_in", checked_in_at: first, offline: true }, known);
      // A new check-in: remember it and queue it for the server (which dedups by nonce and by day).
      state.localCheckins[id] = scan.scanned_at;
      return store.enqueue(scan).then(function () {
        var answer = Object.assign({ result: "checked_in", checked_in_at: scan.scanned_at, offline: true }, known);
        if (valid === null) {
          answer.colour = "amber";
          answer.detail = STRINGS.unverified_offline;
        } else {
          answer.detail = STRINGS.saved_offline;
        }
        return answer;
      });
    });
  }

  function checkCode(code) {
    state.scannedHere += 1;
    var scan = {
      nonce: newNonce(),
      code: code,
      conference: CONFERENCE,
      gate: gateName(),
      device: deviceId(),
      scanned_at: new Date().toISOString(),
    };
    var online = state.online && navigator.onLine;
    var attempt = online
      ? postJson(main.dataset.scanUrl, scan).then(function (response) {
          if (response.status === 401 || response.status === 403) {
            sessionEnded();
            throw new Error("signed out");
          }
          // A server error is answered on the phone and queued (retried later); a refusal is shown as one.
          if (isRetryable(response.status)) throw new Error("server " + response.status);
          setOnline(true);
          return response.json().catch(function () { return {}; }).then(function (answer) {
            return response.ok ? answer : { result: "invalid", detail: answer.error || "" };
          });
        })
      : Promise.reject(new Error("offline"));
    return attempt
      .catch(function () {
        if (!state.signedOut) setOnline(false);
        scan.offline = true;
        return answerOffline(code, scan);
      })
      .then(function (answer) {
        rememberAnswer(answer);
        showAnswer(answer);
      });
  }

  function onCode(code) {
    var now = Date.now();
    if (state.busy || !elements.result.hidden) return;
    if (code === state.lastCode && now - state.lastCodeAt < SAME_CODE_PAUSE_MS) return;
    state.lastCode = code;
    state.lastCodeAt = now;
    state.busy = true;
    checkCode(code).finally(function () {
      state.busy = false;
      state.lastCodeAt = Date.now();
    });
  }

  // --- sync of queued check-ins ----------------------------------------------------------------------------

  // Only a network failure or a server error (5xx, 408, 429) is worth another try, later and later; a scan the
  // server refuses (any other 4xx) can never succeed, so it leaves the queue with a note on the page. Neither
  // ever holds back the scans queued behind it.
  var RETRY_FIRST_MS = 4000;
  var RETRY_MAX_MS = 5 * 60 * 1000;
  var NOTE_KEY = "checkin-queue-note";

  function isRetryable(status) {
    return status >= 500 || status === 408 || status === 429;
  }

  function showQueueNote(note) {
    if (!elements.queueNote) return;
    elements.queueNote.textContent = note
      ? STRINGS.queue_dropped.replace("{count}", String(note.count)).replace("{reason}", note.reason)
      : "";
    elements.queueNote.hidden = !note;
  }

  function savedQueueNote() {
    try {
      return JSON.parse(localStorage.getItem(NOTE_KEY) || "null");
    } catch (error) {
      return null;
    }
  }

  function dropRefused(item, response) {
    return response.json().catch(function () { return {}; }).then(function (answer) {
      var previous = savedQueueNote();
      var reason = answer && typeof answer.error === "string" ? answer.error : "HTTP " + response.status;
      var note = { count: (previous ? previous.count : 0) + 1, reason: reason };
      try { localStorage.setItem(NOTE_KEY, JSON.stringify(note)); } catch (error) { /* private mode */ }
      showQueueNote(note);
      return store.remove(item.nonce);
    });
  }

  function retryLater(item) {
    var sync = item.sync || { attempts: 0 };
    sync.attempts += 1;
    sync.retry_at = Date.now() + Math.min(RETRY_FIRST_MS * Math.pow(2, sync.attempts - 1), RETRY_MAX_MS);
    item.sync = sync;
    return store.enqueue(item);
  }

  function scanBody(item) {
    // The queue's own bookkeeping stays on the phone.
    var body = {};
    Object.keys(item).forEach(function (key) { if (key !== "sync") body[key] = item[key]; });
    return body;
  }

  // Sends one queued item; resolves to "sent", "dropped", "retry", "network" or "stop" (signed out).
  function sendQueued(item) {
    return postJson(main.dataset.scanUrl, scanBody(item)).then(
      function (response) {
        if (response.status === 401 || (response.status === 403 && item.conference === CONFERENCE)) {
          sessionEnded();
          return "stop";
        }
        setOnline(true);
        if (response.ok) return store.remove(item.nonce).then(function () { return "sent"; });
        if (isRetryable(response.status)) return retryLater(item).then(function () { return "retry"; });
        return dropRefused(item, response).then(function () { return "dropped"; });
      },
      function () {
        return retryLater(item).then(function () { return "network"; });
      }
    );
  }

  function syncQueue() {
    if (state.syncing || state.signedOut) return Promise.resolve();
    state.syncing = true;
    var failedInARow = 0;
    var allSent = true;
    return store.queued()
      .then(function (items) {
        var now = Date.now();
        var due = items.filter(function (item) { return !item.sync || !(item.sync.retry_at > now); });
        allSent = due.length === items.length;
        if (!items.length) return null;
        // Oldest first, one after another. Two network failures in a row mean the network is down: the
        // rest waits for the next round (they keep their place; none is marked failed for it).
        function next(index) {
          if (index >= due.length) return null;
          return sendQueued(due[index]).then(function (outcome) {
            if (outcome === "stop") { allSent = false; return null; }
            if (outcome === "network" || outcome === "retry") allSent = false;
            failedInARow = outcome === "network" ? failedInARow + 1 : 0;
            if (failedInARow >= 2) {
              setOnline(false);
              return null;
            }
            return next(index + 1);
          });
        }
        return next(0).then(function () {
          if (allSent) return refreshData();
          return null;
        });
      })
      .catch(function () {})
      .finally(function () {
        state.syncing = false;
        updateCounters();
      });
  }

  function sessionEnded() {
    state.signedOut = true;
    elements.cameraStatus.textContent = STRINGS.session_expired;
  }

  window.addEventListener("online", function () {
    setOnline(true);
    syncQueue();
  });
  window.addEventListener("offline", function () { setOnline(false); });
  setInterval(function () {
    if (navigator.onLine) syncQueue();
  }, SYNC_INTERVAL_MS);
  setInterval(function () {
    if (navigator.onLine && !state.syncing) refreshData();
  }, REFRESH_INTERVAL_MS);

  // --- the camera and the decoder ---------------------------------------------------------------------------

  var canvas = document.createElement("canvas");
  var context2d = canvas.getContext("2d", { willReadFrequently: true });
  var detector = null;
  if ("BarcodeDetector" in window) {
    try {
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    } catch (error) {
      detector = null;
    }
  }

  function decodeFrame() {
    var video = elements.video;
    if (video.readyState < 2 || !video.videoWidth) return Promise.resolve(null);
    if (detector) {
      return detector.detect(video).then(function (codes) {
        return codes.length ? codes[0].rawValue : null;
      }).catch(function () {
        detector = null; // fall back to jsQR for good
        return null;
      });
    }
    if (!window.jsQR) return Promise.resolve(null);
    var scale = Math.min(1, 800 / Math.max(video.videoWidth, video.videoHeight));
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    context2d.drawImage(video, 0, 0, canvas.width, canvas.height);
    var image = context2d.getImageData(0, 0, canvas.width, canvas.height);
    var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
    return Promise.resolve(found ? found.data : null);
  }

  function scanLoop() {
    decodeFrame()
      .then(function (code) {
        if (code) onCode(code.trim());
      })
      .catch(function () {})
      .finally(function () {
        setTimeout(scanLoop, 120);
      });
  }

  function startCamera() {
    elements.cameraStart.hidden = true;
    elements.cameraStatus.textContent = STRINGS.camera_starting;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      elements.cameraStatus.textContent = STRINGS.camera_missing;
      return;
    }
    navigator.mediaDevices
      .getUserMedia({ audio: false, video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } } })
      .then(function (stream) {
        elements.video.srcObject = stream;
        return elements.video.play();
      })
      .then(function () {
        elements.cameraStatus.textContent = STRINGS.camera_ready;
      })
      .catch(function (error) {
        elements.cameraStatus.textContent =
          error && error.name === "NotAllowedError" ? STRINGS.camera_denied : STRINGS.camera_missing;
        elements.cameraStart.hidden = false;
      });
  }

  elements.cameraStart.addEventListener("click", startCamera);

  // --- manual search -----------------------------------------------------------------------------------------

  function renderResults(results) {
    elements.searchResults.textContent = "";
    results.forEach(function (result) {
      var item = document.createElement("li");
      item.className = "manual__result";
      var name = document.createElement("span");
      name.className = "manual__name";
      name.textContent = result.badge_name;
      var meta = document.createElement("span");
      meta.className = "meta";
      var status = result.status === "confirmed" ? "" : " · " + (result.status === "cancelled" ? STRINGS.status_cancelled : STRINGS.status_not_confirmed);
      meta.textContent = [result.organisation, result.registration_type].filter(Boolean).join(" · ") + status;
      item.appendChild(name);
      item.appendChild(meta);
      var first = result.checked_in_at || knownCheckinTime(result.registration_id);
      if (first) {
        var done = document.createElement("span");
        done.className = "meta";
        done.textContent = STRINGS.checked_in_at.replace("{time}", formatTime(first));
        item.appendChild(done);
      } else if (result.status === "confirmed") {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button button--primary";
        button.textContent = STRINGS.check_in;
        button.addEventListener("click", function () { manualCheckin(result, button); });
        item.appendChild(button);
      }
      elements.searchResults.appendChild(item);
    });
  }

  function manualCheckin(result, button) {
    button.disabled = true;
    var body = {
      registration_id: result.registration_id,
      conference: CONFERENCE,
      nonce: newNonce(),
      gate: gateName(),
      device: deviceId(),
      scanned_at: new Date().toISOString(),
    };
    postJson(main.dataset.manualUrl, body)
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        rememberAnswer(answer);
        showAnswer(answer);
        button.remove();
      })
      .catch(function () {
        button.disabled = false;
        elements.searchStatus.textContent = STRINGS.search_failed;
      });
  }

  elements.searchForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = elements.searchQuery.value.trim();
    if (query.length < 3) {
      elements.searchQuery.reportValidity();
      return;
    }
    elements.searchStatus.textContent = STRINGS.searching;
    var url = main.dataset.searchUrl + "?conference=" + encodeURIComponent(CONFERENCE) + "&q=" + encodeURIComponent(query);
    fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        elements.searchStatus.textContent = data.results.length ? "" : STRINGS.nobody_found;
        renderResults(data.results);
      })
      .catch(function () { elements.searchStatus.textContent = STRINGS.search_failed; });
  });

  // --- gate name, sign-out, service worker ---------------------------------------------------------------------

  elements.gate.value = elements.gate.value || localStorage.getItem("checkin-gate") || "";
  elements.gate.addEventListener("change", function () { localStorage.setItem("checkin-gate", gateName()); });

  if (elements.signOut) {
    elements.signOut.form.addEventListener("submit", function (event) {
      event.preventDefault();
      var form = event.target;
      store.count().then(function (count) {
        if (count && !window.confirm(STRINGS.unsent_on_sign_out)) return Promise.reject(new Error("kept"));
        return store.clear().then(function () {
          if (window.caches) return caches.keys().then(function (keys) { return Promise.all(keys.map(function (k) { return caches.delete(k); })); });
        });
      }).then(function () { form.submit(); }, function () {});
    });
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(main.dataset.serviceWorkerUrl, { scope: main.dataset.scope }).catch(function () {});
  }

  // Expose a little for the door's own troubleshooting and the browser tests.
  window.checkinScanner = {
    syncNow: syncQueue,
    refresh: refreshData,
    checkCode: checkCode,
    state: state,
    clearQueueNote: function () {
      localStorage.removeItem(NOTE_KEY);
      showQueueNote(null);
    },
  };

  setOnline(navigator.onLine);
  showQueueNote(savedQueueNote());
  loadSavedData().then(function () {
    updateCounters();
    return refreshData();
  }).then(syncQueue);
  startCamera();
  scanLoop();
})();
