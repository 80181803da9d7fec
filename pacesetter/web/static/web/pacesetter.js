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

// A wide table whose box names a column to show (data-scroll-to: the current month on the
// org page) opens scrolled so that column is in view, at the box's right edge.
// A second column that stays in view (.sticky-2: the org page's year) sits right of the first.
function scrollToMarked() {
  document.querySelectorAll(".scroll[data-scroll-to]").forEach(function (box) {
    var first = box.querySelector("thead th:first-child");
    if (first) {
      box.style.setProperty("--first-column", first.getBoundingClientRect().width + "px");
    }
    var cell = box.querySelector(box.dataset.scrollTo);
    if (cell && box.scrollWidth > box.clientWidth) {
      box.scrollLeft = Math.max(0, cell.offsetLeft + cell.offsetWidth - box.clientWidth + 8);
    }
  });
}
document.addEventListener("DOMContentLoaded", scrollToMarked);
window.addEventListener("resize", scrollToMarked);
window.addEventListener("resize", focusableScrollBoxes);
document.addEventListener("htmx:afterSettle", focusableScrollBoxes);
