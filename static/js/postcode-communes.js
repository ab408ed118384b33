/* Postcode -> communes: refills the commune <select> as soon as 5 digits are typed (the server-side button
   "Afficher les communes" does the same without JavaScript). */
(function () {
  "use strict";
  function enhance(box) {
    var postcode = box.querySelector("input[name=postcode]");
    var select = box.querySelector("select[name=commune_insee]");
    var button = box.querySelector("button[value=communes]");
    if (!postcode || !select) { return; }
    if (button) { button.hidden = true; }
    postcode.addEventListener("input", function () {
      var value = postcode.value.trim();
      if (!/^\d{5}$/.test(value)) { return; }
      fetch(box.getAttribute("data-url") + "?postcode=" + value, {
        headers: {"Accept": "application/json"}, credentials: "same-origin"
      }).then(function (r) { return r.ok ? r.json() : {results: []}; }).then(function (data) {
        var results = data.results || [];
        select.textContent = "";
        var prompt = document.createElement("option");
        prompt.value = "";
        prompt.textContent = results.length ? "Choisissez votre commune" : "Code postal inconnu";
        select.appendChild(prompt);
        results.forEach(function (c) {
          var option = document.createElement("option");
          option.value = c.insee;
          option.textContent = c.label;
          select.appendChild(option);
        });
        if (results.length === 1) { select.value = results[0].insee; }
      }).catch(function () { if (button) { button.hidden = false; } });
    });
  }
  document.querySelectorAll("[data-postcode-communes]").forEach(enhance);
})();
