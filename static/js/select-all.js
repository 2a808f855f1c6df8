/* "Select all" boxes: <input type="checkbox" data-select-all="tickets"> checks or clears
   every box named "tickets" in its form, like the rows it heads. */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[type=checkbox][data-select-all]") || !box.form) return;
    box.form.querySelectorAll("input[type=checkbox]").forEach(function (other) {
      if (other.name === box.dataset.selectAll) other.checked = box.checked;
    });
  });
})();
