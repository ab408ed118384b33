/* CPV autocomplete: progressive enhancement of <input data-cpv-autocomplete> holding comma-separated codes.
   ARIA 1.2 combobox pattern (input role=combobox + listbox popup, aria-activedescendant); keyboard:
   ArrowDown/ArrowUp move, Enter picks, Escape closes; leaving the field (Tab, a tap elsewhere) closes the list and
   drops any search still waiting, so no list opens over the next field. Without JavaScript the input stays a plain
   text field. */
(function () {
  "use strict";
  var counter = 0;

  function currentTerm(value) {
    var parts = value.split(",");
    return parts[parts.length - 1].trim();
  }

  function enhance(input) {
    var id = "cpv-liste-" + (++counter);
    var url = input.getAttribute("data-cpv-url") || "/api/cpv";
    var wrapper = document.createElement("div");
    wrapper.className = "cpv-combobox";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    var list = document.createElement("ul");
    list.id = id;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Codes CPV proposés");
    list.hidden = true;
    wrapper.appendChild(list);
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    wrapper.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    var results = [], active = -1, timer = null, lastQuery = null, searchId = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    // Leaving the field: close, and forget the search waiting for the typing pause or for the server's answer.
    function leave() {
      clearTimeout(timer);
      searchId++;
      lastQuery = null;
      results = [];
      close();
    }

    function render() {
      list.textContent = "";
      results.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", i === active ? "true" : "false");
        li.textContent = item.code + " — " + item.label + " (" + item.level + ")";
        li.addEventListener("mousedown", function (event) { event.preventDefault(); pick(i); });
        list.appendChild(li);
      });
      if (results.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
      if (active >= 0) {
        input.setAttribute("aria-activedescendant", id + "-" + active);
        list.children[active].scrollIntoView({block: "nearest"});
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function pick(i) {
      var parts = input.value.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
      parts.pop();
      if (parts.indexOf(results[i].code) === -1) { parts.push(results[i].code); }
      input.value = parts.join(", ") + ", ";
      status.textContent = "Code " + results[i].code + " ajouté.";
      results = [];
      close();
      input.focus();
    }

    function search() {
      var term = currentTerm(input.value);
      if (term.length < 2 || term === lastQuery) { if (term.length < 2) { results = []; close(); } return; }
      lastQuery = term;
      var id = ++searchId;
      fetch(url + "?limit=10&q=" + encodeURIComponent(term), {
        headers: {"Accept": "application/json"}, credentials: "same-origin"
      }).then(function (response) {
        return response.ok ? response.json() : {results: []};
      }).then(function (data) {
        // An answer to an older search, or arriving after the person left the field, opens nothing.
        if (id !== searchId || term !== currentTerm(input.value) || document.activeElement !== input) { return; }
        results = data.results || [];
        active = -1;
        render();
        status.textContent = results.length ? results.length + " codes proposés, flèches pour parcourir."
          : "Aucun code CPV trouvé.";
      }).catch(function () { results = []; close(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && results.length) {
        active = (active + 1) % results.length; render(); event.preventDefault();
      } else if (event.key === "ArrowUp" && results.length) {
        active = active <= 0 ? results.length - 1 : active - 1; render(); event.preventDefault();
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        pick(active); event.preventDefault();
      } else if (event.key === "Escape" && !list.hidden) {
        close(); event.preventDefault();
      } else if (event.key === "Tab") {
        leave();
      }
    });
    // Options are picked on mousedown (which keeps the focus here), so leaving the field can close at once.
    input.addEventListener("blur", leave);
    addSuggestions(input, wrapper, status);
  }

  // "Suggest codes from the text": the title and description typed in the same fieldset (a lot) or form.
  function addSuggestions(input, wrapper, status) {
    var scope = input.closest("fieldset") || input.form;
    if (!scope) { return; }
    var sources = scope.querySelectorAll("input[name$='title'], textarea[name$='description']");
    if (!sources.length) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary outline cpv-suggest-button";
    button.textContent = "Suggérer des codes CPV d'après le texte";
    var box = document.createElement("div");
    box.className = "cpv-suggestions";
    // After the field's hint and error message, which belong right under the field.
    var anchor = wrapper;
    while (anchor.nextElementSibling && anchor.nextElementSibling.tagName === "SMALL") {
      anchor = anchor.nextElementSibling;
    }
    anchor.parentNode.insertBefore(button, anchor.nextSibling);
    button.parentNode.insertBefore(box, button.nextSibling);
    button.addEventListener("click", function () {
      var text = Array.prototype.map.call(sources, function (el) { return el.value; }).join(" ").trim();
      box.textContent = "";
      if (text.length < 3) {
        status.textContent = "Saisissez d'abord un titre ou une description.";
        box.textContent = status.textContent;
        return;
      }
      fetch("/api/cpv/suggest?limit=5&text=" + encodeURIComponent(text.slice(0, 2000)), {
        headers: {"Accept": "application/json"}, credentials: "same-origin"
      }).then(function (response) {
        return response.ok ? response.json() : {results: []};
      }).then(function (data) {
        var results = data.results || [];
        status.textContent = results.length ? results.length + " codes suggérés." : "Aucune suggestion.";
        if (!results.length) { box.textContent = "Aucune suggestion pour ce texte."; return; }
        var list = document.createElement("ul");
        list.setAttribute("aria-label", "Codes CPV suggérés");
        results.forEach(function (item) {
          var li = document.createElement("li");
          var add = document.createElement("button");
          add.type = "button";
          add.className = "secondary outline";
          add.textContent = "Ajouter " + item.code + " — " + item.label;
          add.addEventListener("click", function () {
            var parts = input.value.split(",").map(function (v) { return v.trim(); }).filter(Boolean);
            if (parts.indexOf(item.code) === -1) { parts.push(item.code); }
            input.value = parts.join(", ");
            add.disabled = true;
            status.textContent = "Code " + item.code + " ajouté.";
          });
          li.appendChild(add);
          list.appendChild(li);
        });
        box.appendChild(list);
      }).catch(function () { status.textContent = "Suggestions indisponibles pour le moment."; });
    });
  }

  function enhanceWithin(root) {
    Array.prototype.forEach.call(root.querySelectorAll("input[data-cpv-autocomplete]"), function (input) {
      if (input.getAttribute("role") !== "combobox") { enhance(input); }
    });
  }

  function init() {
    enhanceWithin(document);
    // Lot rows added by lots.js get the autocomplete too.
    document.addEventListener("lot:added", function (event) { enhanceWithin(event.target); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
