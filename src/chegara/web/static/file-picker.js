// Writes the chosen file's name beside the file pickers of templates/_file_picker.html, in
// place of the browser's own words, which follow the browser's language, not the page's.
(function () {
  "use strict";
  if (window.chegaraFilePicker) { return; }  // the macro may appear twice on a page
  window.chegaraFilePicker = true;
  var INPUTS = ".file-picker input[type=file]";

  function showChoice(input) {
    var line = input.parentNode.querySelector(".file-name");
    if (!line.hasAttribute("data-none")) { line.setAttribute("data-none", line.textContent); }
    var names = Array.prototype.map.call(input.files || [], function (file) { return file.name; });
    line.textContent = names.length ? names.join(", ") : line.getAttribute("data-none");
    line.hidden = false;
  }

  function showAll() { Array.prototype.forEach.call(document.querySelectorAll(INPUTS), showChoice); }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches(INPUTS)) { showChoice(event.target); }
  });
  // A page restored from the back-forward cache keeps its chosen files; htmx may swap in forms.
  window.addEventListener("pageshow", showAll);
  document.addEventListener("htmx:load", showAll);
  showAll();
})();
