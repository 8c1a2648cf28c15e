/* Roster marking: a button that marks everyone still unmarked as present. Without
   JavaScript the button stays hidden and each person is marked by hand. */
(function () {
  "use strict";
  var button = document.querySelector("[data-mark-all]");
  if (!button) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    var status = button.getAttribute("data-mark-all");
    document.querySelectorAll("fieldset.mark").forEach(function (group) {
      if (group.querySelector("input[type=radio]:checked")) { return; }
      var choice = group.querySelector("input[type=radio][value='" + status + "']");
      if (choice) { choice.checked = true; }
    });
  });
})();
