/* Tender form: add and remove lot rows without a round trip.
 * Progressive enhancement only: without JavaScript the "Ajouter un lot" / "Retirer le lot" buttons submit the
 * form and the server re-renders it with everything typed kept. Field names need not be contiguous: the server
 * reads lots-<n>-* in index order and numbers the lots 1..n.
 */
(function () {
  "use strict";

  function init(section) {
    var list = section.querySelector("[data-lot-list]");
    var addButton = section.querySelector("[data-add-lot]");
    var template = document.getElementById("lot-template");
    var status = section.querySelector("[data-lot-status]");
    var empty = section.querySelector("[data-no-lot]");
    var max = parseInt(section.getAttribute("data-max-lots"), 10) || 20;
    if (!list || !addButton || !template) {
      return;
    }

    function rows() {
      return list.querySelectorAll("[data-lot]");
    }

    function nextIndex() {
      var highest = -1;
      list.querySelectorAll("[name^='lots-']").forEach(function (input) {
        var index = parseInt(input.name.split("-")[1], 10);
        if (!isNaN(index) && index > highest) {
          highest = index;
        }
      });
      return highest + 1;
    }

    function refresh() {
      var all = rows();
      all.forEach(function (row, position) {
        row.querySelectorAll("[data-lot-number]").forEach(function (span) {
          span.textContent = String(position + 1);
        });
        var remove = row.querySelector("[data-remove-lot]");
        if (remove) {
          remove.value = String(position);
        }
      });
      addButton.disabled = all.length >= max;
      if (empty) {
        empty.hidden = all.length > 0;
      }
    }

    function announce(message) {
      if (status) {
        status.textContent = message;
      }
    }

    addButton.addEventListener("click", function (event) {
      event.preventDefault();
      if (rows().length >= max) {
        announce("Vous avez atteint le maximum de " + max + " lots.");
        return;
      }
      var index = String(nextIndex());
      var number = String(rows().length + 1);
      var html = template.innerHTML.split("__INDEX__").join(index).split("__NUMBER__").join(number);
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var row = holder.querySelector("[data-lot]");
      list.appendChild(row);
      refresh();
      var first = row.querySelector("input:not([type=hidden]), textarea");
      if (first) {
        first.focus();
      }
      announce("Lot " + number + " ajouté.");
      // Lets other enhancements (the CPV autocomplete) bind to the new inputs.
      row.dispatchEvent(new CustomEvent("lot:added", { bubbles: true }));
    });

    list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-remove-lot]");
      if (!button) {
        return;
      }
      event.preventDefault();
      var row = button.closest("[data-lot]");
      row.parentNode.removeChild(row);
      refresh();
      announce("Lot retiré. Il reste " + rows().length + " lot(s).");
      addButton.focus();
    });
  }

  document.querySelectorAll("[data-lots]").forEach(init);
})();
