/* The personal agenda's stars, as progressive enhancement: every star is a form that works without this
   file. Signed in, a star is saved with fetch and the page does not reload; anonymous, it is kept in this
   browser (localStorage) and /my/ offers to keep it after signing in. */
(function () {
  "use strict";

  var STORAGE_KEY = "hrne.agenda.stars";

  function readLocalStars() {
    try {
      var value = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "[]");
      return Array.isArray(value) ? value.map(String) : [];
    } catch (error) {
      return [];
    }
  }

  function writeLocalStars(stars) {
    try {
      if (stars.length) {
        window.localStorage.setItem(STORAGE_KEY, JSON.stringify(stars));
      } else {
        window.localStorage.removeItem(STORAGE_KEY);
      }
      return true;
    } catch (error) {
      return false; // storage disabled: the form's own behaviour (sign in) is used instead
    }
  }

  var liveRegion = null;
  function announce(text) {
    if (!liveRegion) {
      liveRegion = document.createElement("p");
      liveRegion.className = "visually-hidden";
      liveRegion.setAttribute("role", "status");
      liveRegion.setAttribute("aria-live", "polite");
      document.body.appendChild(liveRegion);
    }
    liveRegion.textContent = "";
    window.setTimeout(function () { liveRegion.textContent = text; }, 50);
  }

  function showState(form, starred) {
    var button = form.querySelector("button");
    var label = form.querySelector(".star-button__label");
    var icon = form.querySelector(".star-button__icon");
    var wanted = form.querySelector("input[name=starred]");
    if (label) { label.textContent = starred ? form.dataset.labelRemove : form.dataset.labelAdd; }
    if (icon) { icon.textContent = starred ? "\u2605" : "\u2606"; }
    if (wanted) { wanted.value = starred ? "0" : "1"; }
    if (button) { button.classList.toggle("star-button--on", starred); }
  }

  function toggleLocal(form, event) {
    var id = form.dataset.agendaStar;
    var stars = readLocalStars();
    var starred = stars.indexOf(id) === -1;
    var next = starred ? stars.concat([id]) : stars.filter(function (item) { return item !== id; });
    if (!writeLocalStars(next)) { return; }
    event.preventDefault();
    showState(form, starred);
    announce(starred ? form.dataset.labelRemove : form.dataset.labelAdd);
  }

  function toggleOnServer(form, event) {
    event.preventDefault();
    var button = form.querySelector("button");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    button.disabled = true;
    window.fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token ? token.value : "" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("status " + response.status); }
      return response.json();
    }).then(function (data) {
      button.disabled = false;
      showState(form, data.starred);
      announce(data.starred ? form.dataset.labelRemove : form.dataset.labelAdd);
    }).catch(function () {
      button.disabled = false;
      form.submit(); // let the server answer the ordinary way
    });
  }

  function setUpStars() {
    var forms = document.querySelectorAll("form[data-agenda-star]");
    var localStars = readLocalStars();
    Array.prototype.forEach.call(forms, function (form) {
      var signedIn = form.dataset.signedIn === "1";
      if (!signedIn && localStars.indexOf(form.dataset.agendaStar) !== -1) {
        showState(form, true);
      }
      form.addEventListener("submit", function (event) {
        if (signedIn) { toggleOnServer(form, event); } else { toggleLocal(form, event); }
      });
    });
  }

  function setUpOffer() {
    var offer = document.querySelector("[data-agenda-offer]");
    if (!offer) { return; }
    var stars = readLocalStars();
    if (!stars.length) { return; }
    var form = offer.querySelector("form");
    stars.forEach(function (id) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "session";
      input.value = id;
      form.appendChild(input);
    });
    offer.hidden = false;
    form.addEventListener("submit", function () { writeLocalStars([]); });
    offer.querySelector("[data-agenda-discard]").addEventListener("click", function () {
      writeLocalStars([]);
      offer.hidden = true;
    });
  }

  function start() {
    setUpStars();
    setUpOffer();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
