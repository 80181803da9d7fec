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
  if (form.dataset.resending === "1") {
    return; // confirmed the first time; sent again because the database was busy (below)
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

// A form sent by htmx that met a busy database (503 with Retry-After, web/busy.py: nothing of
// it was saved, as an import held the database) is sent again after the wait the server
// asked for, up to three times, and says so meanwhile (the words come from <body data-busy-*>).
var BUSY_TRIES = 3;
function busyNote(form, text) {
  var note = form.querySelector(".busy-note");
  if (!note) {
    note = document.createElement("p");
    note.className = "busy-note";
    note.setAttribute("role", "status");
    form.appendChild(note);
  }
  note.textContent = text;
}
document.addEventListener("htmx:responseError", function (event) {
  var xhr = event.detail.xhr;
  var form = event.detail.elt;
  if (!xhr || xhr.status !== 503 || !(form instanceof HTMLFormElement)) {
    return;
  }
  var tries = Number(form.dataset.busyTries || "0");
  if (tries >= BUSY_TRIES) {
    form.dataset.busyTries = "0";
    busyNote(form, document.body.dataset.busyGaveUp || "");
    return;
  }
  var seconds = parseInt(xhr.getResponseHeader("Retry-After"), 10);
  seconds = seconds >= 0 && seconds <= 60 ? seconds : 5;
  form.dataset.busyTries = String(tries + 1);
  busyNote(form, (document.body.dataset.busyRetry || "").replace("{seconds}", String(seconds)));
  window.setTimeout(function () {
    form.dataset.resending = "1";
    htmx.trigger(form, "submit");
    delete form.dataset.resending;
  }, seconds * 1000);
});
document.addEventListener("htmx:afterRequest", function (event) {
  var form = event.detail.elt;
  if (event.detail.successful && form instanceof HTMLFormElement) {
    delete form.dataset.busyTries;
    var note = form.querySelector(".busy-note");
    if (note) {
      note.remove();
    }
  }
});
