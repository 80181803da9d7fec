// Pacesetter's own script, served from static files: the Content-Security-Policy runs no
// inline script and no on…= handler, so behaviour is attached here.
//
// <form data-confirm="Really?"> asks before it is sent; Cancel keeps the form unsent.
// Listening on the document covers forms that htmx swaps in later too.
"use strict";

document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) {
    return;
  }
  if (!window.confirm(form.getAttribute("data-confirm"))) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);

// A table wider than its box scrolls inside it (.scroll): such a box is made reachable by the
// keyboard (Tab, then the arrow keys), as are those htmx swaps in later.
function focusableScrollBoxes() {
  document.querySelectorAll(".scroll:not([tabindex])").forEach(function (box) {
    if (box.scrollWidth > box.clientWidth) {
      box.setAttribute("tabindex", "0");
    }
  });
}
document.addEventListener("DOMContentLoaded", focusableScrollBoxes);
window.addEventListener("resize", focusableScrollBoxes);
document.addEventListener("htmx:afterSettle", focusableScrollBoxes);
