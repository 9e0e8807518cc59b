// Progressive enhancement: everything works without this file.
// Marks a rating row as changed, and warns before leaving a form with unsaved changes.
(function () {
  var dirty = false;
  document.querySelectorAll("form[data-draft]").forEach(function (form) {
    form.addEventListener("change", function (event) {
      dirty = true;
      var row = event.target.closest(".rating-row");
      if (row) row.classList.add("changed");
    });
    form.addEventListener("submit", function () { dirty = false; });
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();
