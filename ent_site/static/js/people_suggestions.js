// « Ajouter à une classe »: as the director types a name or an address, the
// people of their school who match are offered in the field's list.
(function () {
  "use strict";
  document.querySelectorAll("form[data-suggestions-url]").forEach(function (form) {
    var input = form.querySelector("input[list]");
    var list = document.getElementById(input && input.getAttribute("list"));
    if (!input || !list) {
      return;
    }
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var text = input.value.trim();
        if (text.length < 2 || text === asked) {
          return;
        }
        asked = text;
        var url = form.dataset.suggestionsUrl + "?q=" + encodeURIComponent(text);
        fetch(url, { credentials: "same-origin" })
          .then(function (response) {
            return response.ok ? response.json() : { people: [] };
          })
          .then(function (data) {
            list.replaceChildren();
            data.people.forEach(function (person) {
              var option = document.createElement("option");
              option.value = person.email;
              option.label = person.name;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 200);
    });
  });
})();
