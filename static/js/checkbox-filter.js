/* Long checkbox lists in collapsible groups (templates/_forms.html checkbox_groups, e.g. departments by region).
   Progressive enhancement of <fieldset data-checkbox-filter="label">: a filter box ("seine", "93", "bretagne")
   shows only the matching boxes and opens their groups, and each group's summary keeps its count of ticked
   boxes. Emptying the filter puts the groups back as they were. Without JavaScript the groups work as they are. */
(function () {
  "use strict";
  var counter = 0;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function countText(ticked) {
    return ticked ? "(" + ticked + " coché" + (ticked > 1 ? "s" : "") + ")" : "";
  }

  function enhance(fieldset) {
    var groups = Array.prototype.slice.call(fieldset.querySelectorAll("details"));
    if (!groups.length) { return; }
    var id = "filtre-cases-" + (++counter);
    var box = document.createElement("div");
    box.className = "checkbox-filter";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = fieldset.getAttribute("data-checkbox-filter");
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.setAttribute("aria-describedby", id + "-resultat");
    var status = document.createElement("p");
    status.id = id + "-resultat";
    status.className = "checkbox-filter-status";
    status.setAttribute("role", "status");
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(status);
    fieldset.insertBefore(box, groups[0]);
    var openBefore = null;

    function filter() {
      var term = fold(input.value);
      if (!term) {
        groups.forEach(function (group, i) {
          group.hidden = false;
          Array.prototype.forEach.call(group.querySelectorAll("label"), function (l) { l.hidden = false; });
          if (openBefore) { group.open = openBefore[i] || group.querySelector("input:checked") !== null; }
        });
        openBefore = null;
        status.textContent = "";
        return;
      }
      if (openBefore === null) { openBefore = groups.map(function (group) { return group.open; }); }
      var total = 0;
      groups.forEach(function (group) {
        var wholeGroup = fold(group.querySelector("summary").textContent).indexOf(term) !== -1;
        var shown = 0;
        Array.prototype.forEach.call(group.querySelectorAll("label"), function (l) {
          var match = wholeGroup || fold(l.textContent).indexOf(term) !== -1;
          l.hidden = !match;
          if (match) { shown++; }
        });
        group.hidden = shown === 0;
        group.open = shown > 0;
        total += shown;
      });
      status.textContent = total ? total + (total > 1 ? " résultats." : " résultat.") : "Aucun résultat.";
    }

    input.addEventListener("input", filter);
    // Enter in the filter box must not submit the form.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
    fieldset.addEventListener("change", function (event) {
      var group = event.target.closest("details");
      if (!group || event.target.type !== "checkbox") { return; }
      group.querySelector("[data-checkbox-count]").textContent =
        countText(group.querySelectorAll("input[type=checkbox]:checked").length);
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("fieldset[data-checkbox-filter]"), enhance);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
