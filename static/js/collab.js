// Collab's own script: small, and every page works without it.
(function () {
  "use strict";
  if (!window.htmx) { return; }
  // Swap validation errors (422) and edit conflicts (409) like successes, so
  // the form comes back with its error summary; show other errors in the alert region.
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "409", swap: true, error: false },
    { code: "422", swap: true, error: false },
    { code: "[45]..", swap: false, error: true }
  ];
  document.addEventListener("htmx:responseError", function (event) {
    var region = document.getElementById("htmx-error");
    if (!region) { return; }
    region.innerHTML = event.detail.xhr.responseText;
    region.hidden = false;
    region.focus();
  });
  document.addEventListener("htmx:sendError", function () {
    var region = document.getElementById("htmx-error");
    if (!region) { return; }
    region.innerHTML = '<p class="govuk-body">We could not reach Collab. Check your connection and try again.</p>';
    region.hidden = false;
  });
  // The no-JavaScript Preview buttons are not needed when the live preview works. Remove
  // them (not just hide them) so that Enter in a text field submits the form's main button.
  htmx.onLoad(function (element) {
    var buttons = element.querySelectorAll ? element.querySelectorAll(".collab-nojs-only") : [];
    Array.prototype.forEach.call(buttons, function (button) { button.remove(); });
  });
  // After a fragment swap, move focus to an error summary if one arrived; otherwise to the
  // comment just added (it says so in the polite live region), or back to the control that
  // was pressed when it was swapped for a new one (a "this matters to me too" button).
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    var summary = target.querySelector(".govuk-error-summary");
    if (summary) { summary.focus(); return; }
    var added = document.querySelector("[data-collab-focus]");
    if (added) {
      added.removeAttribute("data-collab-focus");
      added.focus();
      return;
    }
    var swapped = document.getElementById(target.id);
    if (swapped && swapped.classList.contains("collab-support")) {
      var button = swapped.querySelector("button");
      if (button) { button.focus(); }
    }
  });
})();
