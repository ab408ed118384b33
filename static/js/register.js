// Progressive enhancement: show only the fieldset that matters for the chosen profile.
(function () {
  "use strict";
  var form = document.querySelector("form[data-register]");
  if (!form) return;
  var sections = form.querySelectorAll("[data-for-role]");
  function update() {
    var checked = form.querySelector("input[name=role]:checked");
    var role = checked ? checked.value : "";
    sections.forEach(function (section) {
      section.hidden = section.getAttribute("data-for-role") !== role;
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "role") update();
  });
  update();
})();
