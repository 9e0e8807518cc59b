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
// Suggests people for a field that names one (`data-people`): the field works as plain text
// without this; with it, the list under the field fills with matches as one types.
(function () {
  var list = document.getElementById("people-suggestions");
  if (!list || !window.fetch) return;
  var timer = null;
  var asked = "";
  document.querySelectorAll("input[data-people]").forEach(function (field) {
    field.addEventListener("input", function () {
      var typed = field.value.trim();
      if (typed.length < 2 || typed.indexOf("@") >= 0 || typed === asked) return;
      clearTimeout(timer);
      timer = setTimeout(function () {
        asked = typed;
        fetch("/api/v1/people?q=" + encodeURIComponent(typed), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { people: [] }; })
          .then(function (found) {
            list.textContent = "";
            found.people.forEach(function (person) {
              var option = document.createElement("option");
              option.value = person.name;
              option.label = person.team;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 150);
    });
  });
})();
// Shows the rationale field of an agreed rating only while the rating differs from the
// manager's (or already holds a reason): without this file every field shows.
(function () {
  document.querySelectorAll(".rationale[data-select]").forEach(function (wrapper) {
    var select = document.getElementById(wrapper.getAttribute("data-select"));
    var input = wrapper.querySelector("input");
    if (!select || !input) return;
    var update = function () {
      wrapper.hidden = select.value === wrapper.getAttribute("data-manager") && input.value.trim() === "";
    };
    select.addEventListener("change", update);
    update();
  });
})();
