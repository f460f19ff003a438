// The registration form without JavaScript shows every type's questions, each group labelled with its type.
// With it, only the chosen type's questions (and the passport fields once a visa letter is asked) are shown.
(function () {
  "use strict";
  var form = document.querySelector("form.registration-form");
  if (!form) return;

  function showChosenTypeQuestions() {
    var chosen = form.querySelector("input[name=registration_type]:checked");
    form.querySelectorAll("fieldset.type-questions").forEach(function (group) {
      group.hidden = !chosen || group.dataset.registrationType !== chosen.value;
    });
  }

  var visaBox = form.querySelector("input[name=needs_visa_letter]");
  function showPassportFields() {
    ["passport_name", "passport_number", "nationality", "date_of_birth"].forEach(function (name) {
      var input = form.querySelector("[name=" + name + "]");
      var wrapper = input && input.closest(".field");
      if (wrapper) wrapper.hidden = !visaBox.checked;
    });
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "registration_type") showChosenTypeQuestions();
    if (event.target === visaBox) showPassportFields();
  });
  showChosenTypeQuestions();
  if (visaBox) showPassportFields();
})();
